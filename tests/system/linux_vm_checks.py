# The Linux guest under Bulwark, driven through `vm console` at the hypervisor's prompt the way a
# person would, on any rig: 2 vCPUs, a clean dmesg, time that runs true, detach, `vm stop` through
# the power button, a start again, a reboot from inside, and a second Linux VM beside it.
# SPDX-License-Identifier: MIT
"""Expected values come from the VM's configuration (2 vCPUs, 128 MiB), the host's clock and TSC
frequency (`info --json`, `uptime --json`), and Linux's own formats (/proc, dmesg).

"The host's time" is the hypervisor's clock. Under QEMU that is the test machine's own clock, and
the checks also hold the guest to it (`wall=True`); Bochs (clock sync=none) runs time of its own,
slower than the test machine's, so there the guest is held to the hypervisor's clock only."""
import re
import time

import rig as R
import vm_checks as V
from linux_guest import GuestShell, USERSPACE_UP

PLAN = 15
MEM_MIB = 128
# Warnings (dmesg levels 0-4) about what the virtual platform provides: none may appear.
PLATFORM_WORDS = re.compile(r"apic|tsc|acpi|clock|calibrat|timer|hpet|pit\b|irq|lost", re.I)
# A warning that reports time the vCPU did not run, not a fault of the virtual platform: the
# hrtimer core times its own interrupt handler on the guest's clock (kernel/time/hrtimer.c,
# hrtimer_interrupt), so a vCPU descheduled inside it (it shares its CPU with the hello guests,
# and the rig's emulator shares the machine with other suites) reads as a long interrupt.
DESCHEDULED = re.compile(r"hrtimer: interrupt took \d+ ns")
BOOT_ID = "cat /proc/sys/kernel/random/boot_id"


def create(rig, name, vcpus, mem, host):
    out = rig.run('vm create %s kernel=bzImage initrd=rootfs.cpio.gz cmdline="console=ttyS0 bulwark.hostname=%s" '
                  'mem=%dM vcpus=%d' % (name, host, mem, vcpus), 120)
    assert "created vm" in out, out
    assert "is running" in rig.run("vm start %s" % name, 120)


def attach(rig, name, timeout=30.0):
    """`vm console NAME`; returns a shell on the guest's ttyS0 whose commands wait `timeout` s.
    Waits out the replay of what the VM printed before (at the UART's pace: long under Bochs)."""
    rig.drain()
    with rig.cond:
        rig.pos = len(rig.buf)
    rig.send("vm console %s\r" % name)
    rig.expect(r"attached to %s" % re.escape(name), 120)
    rig.drain(quiet=1.0, timeout=300)
    return GuestShell(rig, timeout=timeout)


def detach(rig, name):
    rig.send(V.DETACH)
    rig.expect(r"detached from %s" % re.escape(name), 120)
    rig.expect(R.PROMPT_RE, 120)


def wait_fresh(rig, sh, boot_s, old_boot_id=None, banner_since=None):
    """Waits until the guest's shell answers from a boot other than `old_boot_id` (Linux draws a
    new boot id at every boot). `vm console` replays what the VM printed before, earlier boots
    included, so a banner or a prompt alone proves nothing. Returns (boot id, init's banner match
    when `banner_since`, a buffer offset, is given)."""
    m = None
    if banner_since is not None:
        with rig.cond:
            rig.pos = banner_since
        m = rig.expect(USERSPACE_UP, boot_s)
    deadline = time.monotonic() + boot_s
    while True:
        try:
            boot_id = sh.out(BOOT_ID, 60).split()[-1]
            if re.fullmatch(r"[0-9a-f-]{36}", boot_id) and boot_id != old_boot_id:
                return boot_id, m
        except (R.RigError, IndexError):
            pass
        assert time.monotonic() < deadline, "no shell from a new boot after %d s" % boot_s
        time.sleep(2)


def linux_vm_checks(t, rig, boot_s, wall, cmd_s=30.0):
    st = {}

    def note_boot(what, t0):
        t.note("linux0: %s %.1f s after the command" % (what, time.monotonic() - t0))

    def boots():
        for name in ("hello1", "hello2"):  # the time checks want the CPUs
            rig.run("vm pause %s" % name, 60)
        st["tsc_hz"] = rig.run_json("info --json", 60)["tsc_hz"]
        with rig.cond:
            start = len(rig.buf)
        t0 = time.monotonic()
        create(rig, "linux0", 2, MEM_MIB, "linux0")
        sh = attach(rig, "linux0", cmd_s)
        st["boot_id"], m = wait_fresh(rig, sh, boot_s, None, start)
        st["sh"] = sh
        note_boot("userspace", t0)
        assert m.group(1) == b"2", m.group(0)

    def sh():
        if "sh" not in st:
            raise AssertionError("no shell: linux0 did not boot")
        return st["sh"]

    def nproc():
        assert sh().out("nproc") == "2"

    def dmesg_clean():
        # Raw records carry their level: <0> emergency ... <4> warning (busybox dmesg has no -l).
        bad = [l for l in sh().out("dmesg -r", 120).splitlines()
               if re.match(r"<[0-4]>", l) and PLATFORM_WORDS.search(l) and not DESCHEDULED.search(l)]
        assert not bad, bad

    def tsc_matches_host():
        line = sh().out("dmesg | grep -m1 'tsc: Detected'")
        m = re.search(r"Detected ([\d.]+) MHz", line)
        assert m, line
        guest_hz = float(m.group(1)) * 1e6
        assert abs(guest_hz - st["tsc_hz"]) <= st["tsc_hz"] * 1e-5, "guest %s, host %d Hz" % (line, st["tsc_hz"])
        cs = sh().out("cat /sys/devices/system/clocksource/clocksource0/current_clocksource")
        assert cs in ("kvm-clock", "tsc"), "clocksource %s" % cs

    def date_is_host():
        guest = int(sh().out("date -u +%s"))
        if wall:
            assert abs(guest - time.time()) < 5, "guest %d, test machine %.0f" % (guest, time.time())
        detach(rig, "linux0")
        try:
            _, host_s = V.hv_clock(rig)
        finally:
            st["sh"] = attach(rig, "linux0", cmd_s)
        assert abs(guest - host_s) < 5, "guest %d, hypervisor %.3f" % (guest, host_s)

    def sleep_on_wall():
        # The test machine's arrival times of two lines printed around the sleep: ±2 % of 10 s,
        # plus the console's own jitter of a few tens of ms on each line.
        with rig.cond:
            rig.pos = len(rig.buf)
        rig.send("echo sleep-A; sleep 10; echo sleep-B\n")
        a = rig.expect(r"\nsleep-A", 60)
        b = rig.expect(r"\nsleep-B", 60)
        sh().wait_prompt(60)
        took = rig.time_of(b.start() + 1) - rig.time_of(a.start() + 1)
        t.note("sleep 10 took %.3f s of host time" % took)
        assert 9.8 - 0.1 <= took <= 10.2 + 0.1, "sleep 10 took %.3f s" % took

    def sleep_on_hypervisor():
        # The guest's uptime against the VM's uptime in the hypervisor's clock, each read twice
        # with a `sleep 10` between: the two clocks must advance together (±2 %), and the sleep
        # must have lasted its 10 s. Each pair is read with the guest's value first, then the
        # hypervisor's at its prompt, so the pairs' lags are alike and cancel.
        def pair():
            g = float(sh().out("cut -d' ' -f1 /proc/uptime").split()[-1])
            detach(rig, "linux0")
            try:
                h = V.vm_list(rig)["linux0"]["uptime_s"]
            finally:
                st["sh"] = attach(rig, "linux0", cmd_s)
            return g, float(h)
        g0, h0 = pair()
        sh().out("sleep 10", 600)
        g1, h1 = pair()
        t.note("sleep 10: guest clock %.3f s, hypervisor clock %.3f s" % (g1 - g0, h1 - h0))
        assert g1 - g0 >= 10.0, "the guest's clock advanced %.3f s over a sleep 10" % (g1 - g0)
        assert abs((g1 - g0) - (h1 - h0)) <= 0.02 * (h1 - h0) + 0.1, \
            "guest %.3f s, hypervisor %.3f s" % (g1 - g0, h1 - h0)

    def interrupts():
        def row(what):
            line = [l for l in sh().out("cat /proc/interrupts").splitlines() if what in l]
            assert line, "no %s row" % what
            return [int(x) for x in line[0].split(":", 1)[1].split()[:2]]
        loc1, tty1 = row("LOC:"), row("ttyS0")
        sh().out("sleep 1")
        loc2, tty2 = row("LOC:"), row("ttyS0")
        assert all(b > a for a, b in zip(loc1, loc2)), "LAPIC timer per CPU %s then %s" % (loc1, loc2)
        assert sum(tty2) > sum(tty1), "ttyS0 %s then %s" % (tty1, tty2)

    def memory():
        kb = int(re.search(r"(\d+) kB", sh().out("grep MemTotal /proc/meminfo")).group(1))
        assert (MEM_MIB - 24) * 1024 <= kb <= MEM_MIB * 1024, "MemTotal %d kB of %d MiB" % (kb, MEM_MIB)

    def detaches():
        detach(rig, "linux0")
        assert V.state_of(rig, "linux0") == "running"

    def stop_powers_off():
        out = rig.run("vm stop linux0 --timeout %d" % boot_s, boot_s + 60)
        V.wait_state(rig, "linux0", "stopped", boot_s + 60)
        reason = V.vm_list(rig)["linux0"]["reason"]
        assert reason == "guest powered off", "%r (vm stop said %r)" % (reason, out)

    def starts_again():
        t0 = time.monotonic()
        out = rig.run("vm start linux0", 120)
        assert "is running" in out, out
        st["sh"] = attach(rig, "linux0", cmd_s)
        st["boot_id"], _ = wait_fresh(rig, st["sh"], boot_s, st.get("boot_id"))
        note_boot("shell again", t0)
        n, host = sh().out("nproc"), sh().out("hostname")
        assert n == "2" and host == "linux0", (n, host)

    def reboots_from_inside():
        rig.send("reboot\n")
        rig.expect(r"reboot: Restarting system", boot_s)
        st["boot_id"], _ = wait_fresh(rig, sh(), boot_s, st.get("boot_id"))
        assert sh().out("nproc") == "2"
        detach(rig, "linux0")
        assert V.state_of(rig, "linux0") == "running"

    def second_vm():
        create(rig, "linux1", 1, 96, "linux1")
        s1 = attach(rig, "linux1", cmd_s)
        try:
            wait_fresh(rig, s1, boot_s)
            assert s1.out("hostname") == "linux1"
            # Each sees its own memory and its own files only.
            kb = int(re.search(r"(\d+) kB", s1.out("grep MemTotal /proc/meminfo")).group(1))
            assert kb <= 96 * 1024, kb
            s1.out("echo only-in-linux1 > /tmp/mark")
        finally:
            detach(rig, "linux1")
        s0 = attach(rig, "linux0", cmd_s)
        try:
            status, text = s0.sh("cat /tmp/mark")
            assert status != 0, "linux0 sees linux1's file: %r" % text
            assert s0.out("hostname") == "linux0"
        finally:
            detach(rig, "linux0")

    def destroy_one_keeps_other():
        rig.run("vm kill linux1", 60)
        out = rig.run("vm destroy linux1", 60)
        assert "destroyed" in out, out
        s0 = attach(rig, "linux0", cmd_s)
        try:
            assert s0.out("echo still-here") == "still-here"
        finally:
            detach(rig, "linux0")

    def exits_budget():
        info = V.vm_list(rig)["linux0"]
        t.note("linux0: %d exits so far (three boots and the checks)" % info["exits"])
        rig.run("vm kill linux0", 60)
        out = rig.run("vm destroy linux0", 60)
        assert "destroyed" in out, out
        for name in ("hello1", "hello2"):
            rig.run("vm resume %s" % name, 60)
        V.counts_grow(rig, "hello1", 3)

    if wall:
        sleep = ("sleep 10 takes 10 s of host time (±2 %)", sleep_on_wall)
    else:
        sleep = ("over a sleep 10 the guest's clock runs with the hypervisor's (±2 %)", sleep_on_hypervisor)
    for name, fn in (("linux0 (2 vCPUs) boots to its shell through vm console", boots),
                     ("nproc is 2", nproc),
                     ("dmesg has no warning about the APIC, TSC, ACPI, timers or clocks", dmesg_clean),
                     ("the TSC frequency Linux reports is the host's; clocksource kvm-clock or tsc", tsc_matches_host),
                     ("the guest's date is the host's", date_is_host),
                     sleep,
                     ("the LAPIC timer ticks on both CPUs; ttyS0 is interrupt-driven", interrupts),
                     ("Linux sees the configured memory and no more", memory),
                     ("Ctrl-] detaches, the VM runs on", detaches),
                     ("vm stop presses the power button: guest powered off", stop_powers_off),
                     ("vm start boots it again", starts_again),
                     ("reboot inside the guest restarts the VM", reboots_from_inside),
                     ("a second Linux VM runs beside it, each with its own memory and files", second_vm),
                     ("destroying one leaves the other running", destroy_one_keeps_other),
                     ("linux0 destroyed; the toy guests run on", exits_budget)):
        t.check(name, fn)
