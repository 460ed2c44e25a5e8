# VM lifecycle, isolation and scheduling checks, shared by the VT-x (Bochs) and AMD-V (QEMU) suites.
# SPDX-License-Identifier: MIT
"""Each check drives the console like an operator and reads the guests' serial output.

The booted image autostarts hello1 (CPU 0) and hello2 (CPU 1) from guests/bulwark.cfg.
`slow` scales every wait: Bochs interprets the hypervisor and its guests.
"""

import re
import time

import rig as R

# Only complete lines count: the newest line may still be on its way out of the guest.
HELLO_RE = re.compile(r"hello from hello: (\d+)\n")
DETACH = "\x1d"  # Ctrl-]


def vm_list(rig):
    return {v["name"]: v for v in rig.run_json("vm list --json", 60)}


def state_of(rig, name):
    vms = vm_list(rig)
    return vms[name]["state"] if name in vms else None


def wait_state(rig, name, want, timeout):
    deadline = time.monotonic() + timeout
    while True:
        st = state_of(rig, name)
        if st == want:
            return
        if time.monotonic() > deadline:
            raise AssertionError("vm %s is %s, expected %s" % (name, st, want))
        time.sleep(0.5)


def output(rig, name, nbytes=4000):
    return rig.run("vm output %s -n %d" % (name, nbytes), 60)


def last_count(rig, name):
    counts = [int(n) for n in HELLO_RE.findall(output(rig, name))]
    return counts[-1] if counts else None


def counts_grow(rig, name, wait):
    a = last_count(rig, name)
    time.sleep(wait)
    b = last_count(rig, name)
    assert a is not None and b is not None and b > a, "%s printed %s then %s" % (name, a, b)


def expect_error(rig, cmd, needle):
    out = rig.run(cmd, 60)
    assert out.startswith("error:") or "\nerror:" in out, "'%s' gave no error: %r" % (cmd, out)
    assert needle in out, "'%s' error does not mention %r: %r" % (cmd, needle, out)


def lifecycle_checks(t, rig, slow):
    def autostarted():
        vms = vm_list(rig)
        for name in ("hello1", "hello2"):
            assert name in vms and vms[name]["state"] == "running", "%s not running: %s" % (name, vms.get(name))
        counts_grow(rig, "hello1", 2 * slow)
        counts_grow(rig, "hello2", 2 * slow)

    def create():
        out = rig.run("vm create t1 image=hello.elf mem=4M", 60)
        assert "created vm" in out, out
        assert state_of(rig, "t1") == "created"

    def start():
        assert "is running" in rig.run("vm start t1", 60)
        time.sleep(2 * slow)
        counts_grow(rig, "t1", 2 * slow)

    def pause_stops_output():
        assert "is paused" in rig.run("vm pause t1", 60)
        time.sleep(0.5 * slow)
        a = last_count(rig, "t1")
        time.sleep(2 * slow)
        b = last_count(rig, "t1")
        assert a == b, "output went on while paused: %s then %s" % (a, b)

    def resume_continues():
        assert "is running" in rig.run("vm resume t1", 60)
        counts_grow(rig, "t1", 2 * slow)

    def illegal_transitions():
        expect_error(rig, "vm start t1", "running")
        expect_error(rig, "vm destroy t1", "running")
        expect_error(rig, "vm resume t1", "running")

    def stop_and_start_again():
        assert "is stopped" in rig.run("vm stop t1", 60)
        expect_error(rig, "vm pause t1", "stopped")
        before = last_count(rig, "t1")
        assert "is running" in rig.run("vm start t1", 60)
        time.sleep(2 * slow)
        text = output(rig, "t1", 100000)
        assert "hello from hello: 0\n" in text.split("hello from hello: %d" % before)[-1], \
            "a started VM did not boot afresh"

    def restart_and_kill():
        assert "is running" in rig.run("vm restart t1", 60)
        assert "is stopped" in rig.run("vm kill t1", 60)

    def destroy():
        assert "destroyed" in rig.run("vm destroy t1", 60)
        assert state_of(rig, "t1") is None
        expect_error(rig, "vm start t1", "no VM named 't1'")

    def bad_requests():
        expect_error(rig, "vm start nosuchvm", "no VM named")
        expect_error(rig, "vm create x1 image=nosuch.elf", "no guest image")
        expect_error(rig, "vm create x1 image=hello.elf mem=1", "mem")
        expect_error(rig, "vm create hello1 image=hello.elf", "exists")
        expect_error(rig, "vm create x1 image=hello.elf cpus=9", "cpus=")
        expect_error(rig, "vm create x1 image=hello.elf mem=1T", "mem")
        expect_error(rig, "vm frob", "unknown")

    def stats():
        s = rig.run_json("vm stats hello1 --json", 60)
        assert s["exits"] > 0 and s["exits_by_reason"]["io"] > 0, s
        assert float(s["guest_s"]) > 0, s

    def two_vcpus():
        assert "created vm" in rig.run("vm create mv image=hello.elf mem=4M vcpus=2", 60)
        assert "is running" in rig.run("vm start mv", 60)
        time.sleep(2 * slow)
        counts_grow(rig, "mv", 2 * slow)
        vm = vm_list(rig)["mv"]
        assert vm["state"] == "running" and vm["vcpus"] == 2, vm
        stats = rig.run_json("vm stats mv --json", 60)
        assert stats["exits_by_reason"]["hlt"] >= 1, "vCPU 1 did not park: %s" % stats
        rig.run("vm kill mv", 60)
        assert "destroyed" in rig.run("vm destroy mv", 60)

    for name, fn in (("hello1 and hello2 autostarted and counting", autostarted), ("vm create", create),
                     ("vm start: output grows", start), ("vm pause: output stops", pause_stops_output),
                     ("vm resume: output continues", resume_continues),
                     ("illegal transitions refused naming the state", illegal_transitions),
                     ("vm stop, then start boots afresh", stop_and_start_again),
                     ("vm restart, vm kill", restart_and_kill), ("vm destroy", destroy),
                     ("bad names, images, sizes and CPUs refused", bad_requests), ("vm stats --json", stats),
                     ("a 2-vCPU VM runs with its second vCPU parked", two_vcpus)):
        t.check(name, fn)


def create_destroy_loop(t, rig, rounds):
    def loop():
        free0 = rig.run_json("mem --json", 60)["free_bytes"]
        for i in range(rounds):
            out = rig.run("vm create loop%d image=hello.elf mem=2M" % i, 60)
            assert "created vm" in out, out
            out = rig.run("vm destroy loop%d" % i, 60)
            assert "destroyed" in out, out
        free1 = rig.run_json("mem --json", 60)["free_bytes"]
        assert free0 == free1, "free memory %d before, %d after %d create/destroy" % (free0, free1, rounds)
    t.check("%d x create+destroy returns every page" % rounds, loop)


HOSTILE_EXPECT = [
    (r"wrmsr IA32_FEATURE_CONTROL", "#GP"), (r"VMXON", "#UD"), (r"VMLAUNCH", "#UD"), (r"VMRUN", "#UD"),
    (r"STGI", "#UD"), (r"PCI 00:00.0 vendor", "ok value=0xffffffff"),
    (r"IPI to APIC 7", "ok"), (r"NMI self-IPI storm", "ok value=0x50014"),
    (r"LAPIC write 0xffffffff at every offset", "ok value=0x50014"),
    (r"IOAPIC bogus vector", "ok value=0x170011"),
]


def isolation_checks(t, rig, slow):
    state = {}

    def run_hostile():
        state["integrity"] = rig.run_json("integrity --json", 60)
        state["h1"] = last_count(rig, "hello1")
        state["h2"] = last_count(rig, "hello2")
        assert "created vm" in rig.run("vm create hs image=hostile.elf mem=16M", 60)
        assert "is running" in rig.run("vm start hs", 60)
        wait_state(rig, "hs", "crashed", 120 * slow)

    def every_attack_refused():
        text = output(rig, "hs", 60000)
        results = dict(re.findall(r"hostile: try (\d+): ([^\n]*)", text))
        outcomes = dict(re.findall(r"hostile: result (\d+): ([^\n]*)", text))
        assert len(results) >= 40, "hostile reported only %d tries" % len(results)
        for pattern, want in HOSTILE_EXPECT:
            nums = [n for n, what in results.items() if re.search(pattern, what)]
            assert nums, "no try matching %r" % pattern
            for n in nums:
                assert outcomes.get(n, "").startswith(want), "try %s (%s) gave %r, expected %s" % (
                    n, results[n], outcomes.get(n), want)
        assert "hostile: done" not in text, "hostile survived every attack"
        last = max(int(n) for n in results)
        assert last not in [int(n) for n in outcomes], "the VM was not stopped at its memory attack"
        assert re.search(r"(read|write) 0x", results[str(last)]), results[str(last)]

    def escapes_neutralised():
        raw = rig.type_line("vm output hs -n 60000\r", 60)
        assert b"terminal escapes" in raw, "hostile did not reach its terminal attack"
        assert b"\x1b[2J" not in raw and b"\x1b]0;" not in raw and b"\x07" not in raw, \
            "raw escape sequences reached the operator's terminal"
        assert b"\\x1b[2J" in raw, "the escapes are not shown escaped"

    def reason_logged():
        vms = vm_list(rig)
        assert "outside its RAM" in vms["hs"]["reason"], vms["hs"]
        assert "outside its RAM" in rig.run("log -n 40", 60)

    def neighbours_unharmed():
        counts_grow(rig, "hello1", 2 * slow)
        counts_grow(rig, "hello2", 2 * slow)
        assert last_count(rig, "hello1") > state["h1"] and last_count(rig, "hello2") > state["h2"]

    def hypervisor_unchanged():
        after = rig.run_json("integrity --json", 60)
        assert after == state["integrity"], "hypervisor checksum changed: %s -> %s" % (state["integrity"], after)

    def interrupt_attacks_counted():
        refused = rig.run_json("vm stats hs --json", 60)["interrupts_refused"]
        # 2 tries x (fixed, NMI, INIT, SIPI) to absent APICs, and an ICR of 0: vector 0 is illegal.
        assert refused["undelivered"] >= 8 and refused["illegal_vectors"] >= 1, refused
        assert "interrupts refused:" in rig.run("vm stats hs", 60)

    def cleanup():
        assert "destroyed" in rig.run("vm destroy hs", 60)

    for name, fn in (("hostile guest runs until it is stopped", run_hostile),
                     ("every hostile attack is refused (#GP, #UD, floating ports, stop)", every_attack_refused),
                     ("guest escape sequences are neutralised outside attach mode", escapes_neutralised),
                     ("the stop reason is logged", reason_logged),
                     ("hello guests keep counting beside hostile", neighbours_unharmed),
                     ("hostile's interrupt-controller attacks are counted in vm stats", interrupt_attacks_counted),
                     ("hypervisor code checksum unchanged", hypervisor_unchanged),
                     ("hostile destroyed", cleanup)):
        t.check(name, fn)


def scheduling_checks(t, rig, slow, cpus=2):
    def spinners_do_not_starve():
        for c in range(cpus):
            assert "created vm" in rig.run("vm create spin%d image=spin.elf mem=2M cpus=%d" % (c, c), 60)
            assert "is running" in rig.run("vm start spin%d" % c, 60)
        time.sleep(1 * slow)
        t0 = time.monotonic()
        out = rig.run("version", 30 * slow)
        elapsed = time.monotonic() - t0
        t.note("console answered in %.3f s with a spin guest on each of %d CPUs" % (elapsed, cpus))
        assert "Bulwark" in out, out
        counts_grow(rig, "hello1", 3 * slow)
        counts_grow(rig, "hello2", 3 * slow)
        for c in range(cpus):
            assert state_of(rig, "spin%d" % c) == "running"
            rig.run("vm kill spin%d" % c, 60)
            rig.run("vm destroy spin%d" % c, 60)

    def attach_detach():
        rig.drain()
        with rig.cond:
            rig.pos = len(rig.buf)
        rig.send("vm console hello1\r")
        rig.expect(r"attached to hello1", 30 * slow)
        rig.expect(r"hello from hello: \d+", 30 * slow)
        rig.expect(r"hello from hello: \d+", 30 * slow)
        rig.send("q\x1b[A\x03")  # a letter, an arrow and Ctrl-C all reach the guest
        for code in ("71", "1b", "5b", "41", "03"):
            rig.expect(r"hello: key 0x%s" % code, 30 * slow)
        rig.send(DETACH)
        rig.expect(r"detached from hello1", 30 * slow)
        rig.expect(R.PROMPT_RE, 30 * slow)
        assert "Bulwark" in rig.run("version", 30)

    def sse_state_kept_per_guest():
        for n in ("fa", "fb"):
            assert "created vm" in rig.run("vm create %s image=fpu_check.elf mem=2M cpus=0" % n, 60)
            assert "is running" in rig.run("vm start %s" % n, 60)
        time.sleep(4 * slow)
        for n in ("fa", "fb"):
            text = output(rig, n, 20000)
            rounds = re.findall(r"fpu_check: round \d+ (ok|CORRUPTED[^\n]*)\n", text)
            bad = [r for r in rounds if r != "ok"]
            assert len(rounds) >= 2, "%s finished only %d rounds" % (n, len(rounds))
            assert not bad, "%s saw its SSE registers change across exits: %s" % (n, bad[0])
        for n in ("fa", "fb"):
            rig.run("vm kill %s" % n, 60)
            rig.run("vm destroy %s" % n, 60)

    t.check("two guests on one CPU keep their own SSE registers across exits", sse_state_kept_per_guest)
    t.check("a spin guest on every CPU: the console answers, hello guests keep printing", spinners_do_not_starve)
    t.check("vm console attaches, streams live output, Ctrl-] detaches", attach_detach)


PLATFORM_LINES = [
    "platform: pm timer advances", "platform: pit channel 2 counts", "platform: apic base 0xfee00900",
    "platform: lapic version 0x50014", "platform: ioapic version 0x170011",
]


def platform_checks(t, rig, slow, rtc_tolerance_s=None):
    """The `platform` guest reads the virtual PC's devices, resets itself three ways, then takes the
    ACPI power button: boot 3 ignores it (vm stop kills it after --timeout), boot 4 powers off.

    rtc_tolerance_s: how far the guest's RTC may be from the host's UTC clock (None: only its format,
    for rigs whose emulated clock does not follow the host's)."""
    state = {}

    def wait_for(needle, count, timeout):
        deadline = time.monotonic() + timeout
        while True:
            out = output(rig, "pf", 8000)
            if out.count(needle) >= count:
                return out
            vm = vm_list(rig)["pf"]
            assert vm["state"] != "crashed", vm
            assert time.monotonic() < deadline, "no %r (x%d) from pf: %s %r" % (needle, count, vm, out[-400:])
            time.sleep(0.5)

    def wait_stopped(reason, timeout):
        deadline = time.monotonic() + timeout
        while True:
            vm = vm_list(rig)["pf"]
            if vm["state"] == "stopped" and vm["reason"] == reason:
                return
            assert vm["state"] != "crashed" and time.monotonic() < deadline, "pf: %s, wanted %r" % (vm, reason)
            time.sleep(0.5)

    def run_to_power_button():
        assert "created vm" in rig.run("vm create pf image=platform.elf mem=4M", 60)
        state["t0"] = time.time()
        assert "is running" in rig.run("vm start pf", 60)
        state["out"] = wait_for("platform: waiting for the power button\n", 1, 120 * slow)

    def reboots():
        out = state["out"]
        for n in range(4):
            assert "platform: boot %d\n" % n in out, "boot %d missing: %r" % (n, out[-600:])
        assert "still running after the exit" not in out, out[-600:]
        log = rig.run("log -n 60", 60)
        for how in ("reset through port 0xcf9", "keyboard controller command 0xfe", "fast reset through port 0x92"):
            assert "guest reset (%s)" % how in log, "no '%s' in the log" % how

    def devices():
        out = state["out"]
        for line in PLATFORM_LINES:
            assert line + "\n" in out, "no %r in %r" % (line, out[-800:])
        m = re.search(r"platform: rtc (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\n", out)
        assert m, "no RTC line: %r" % out[-800:]
        y, mo, d, h, mi, s = (int(x) for x in m.groups())
        assert 1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 60, m.group(0)
        if rtc_tolerance_s is not None:
            import calendar
            guest = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
            assert abs(guest - state["t0"]) <= rtc_tolerance_s, "guest RTC %s, host UTC %s" % (
                m.group(0).strip(), time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(state["t0"])))

    def ignored_button_kills():
        out = rig.run("vm stop pf --timeout 3", 60)
        assert "power button pressed; it is killed if still running in 3 s" in out, out
        wait_for("platform: ignoring the power button\n", 1, 60 * slow)
        wait_stopped("killed: still running 3 s after the power button", 60 * slow)
        assert "still running 3 s after the power button" in rig.run("log -n 20", 60)

    def button_powers_off():
        assert "is running" in rig.run("vm start pf", 60)
        wait_for("platform: waiting for the power button\n", 2, 60 * slow)  # boot 4: the CMOS kept the count
        assert "power button pressed" in rig.run("vm stop pf", 60)
        wait_stopped("guest powered off", 60 * slow)
        out = output(rig, "pf", 8000)
        boot4 = out[out.find("platform: boot 4\n"):]
        assert "platform: boot 4\n" in out and "platform: power button pressed\nplatform: power off\n" in boot4, \
            out[-300:]

    def cleanup():
        assert "destroyed" in rig.run("vm destroy pf", 60)

    for name, fn in (("platform guest resets itself three ways, then takes the power button", run_to_power_button),
                     ("each reset reboots the VM (0xCF9, keyboard controller, port 0x92)", reboots),
                     ("the guest reads the PM timer, PIT, RTC, LAPIC and IOAPIC", devices),
                     ("vm stop of a guest that ignores the power button kills it after --timeout", ignored_button_kills),
                     ("vm stop presses the power button; the guest powers off through S5", button_powers_off),
                     ("platform guest destroyed", cleanup)):
        t.check(name, fn)
