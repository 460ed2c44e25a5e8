#!/usr/bin/env python3
# System suite: the project's Linux guest under Bulwark on AMD-V (QEMU/OVMF), driven through
# `vm console` at the hypervisor's prompt the way a person would: 2 vCPUs, a clean dmesg, time
# that runs true, detach, `vm stop` through the power button, a start again, a reboot from inside,
# and a second Linux VM beside it.
# SPDX-License-Identifier: MIT
"""Expected values come from the VM's configuration (2 vCPUs, 128 MiB), the host's clock and TSC
frequency (`info --json`), and Linux's own formats (/proc, dmesg)."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from linux_guest import GuestShell, USERSPACE_UP  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

PLAN = 16
BOOT_S = 600  # one boot under nested TCG on a loaded 2-CPU machine
MEM_MIB = 128
# Warnings (dmesg levels 0-4) about what the virtual platform provides: none may appear.
PLATFORM_WORDS = re.compile(r"apic|tsc|acpi|clock|calibrat|timer|hpet|pit\b|irq|lost", re.I)

t = Tap(PLAN)
watchdog(2400)


def create(rig, name, vcpus, mem, host):
    out = rig.run('vm create %s kernel=bzImage initrd=rootfs.cpio.gz cmdline="console=ttyS0 bulwark.hostname=%s" '
                  'mem=%dM vcpus=%d' % (name, host, mem, vcpus), 60)
    assert "created vm" in out, out
    assert "is running" in rig.run("vm start %s" % name, 60)


def attach(rig, name):
    """`vm console NAME`; returns a shell on the guest's ttyS0."""
    rig.drain()
    with rig.cond:
        rig.pos = len(rig.buf)
    rig.send("vm console %s\r" % name)
    rig.expect(r"attached to %s" % re.escape(name), 60)
    return GuestShell(rig)


def detach(rig, name):
    rig.send(V.DETACH)
    rig.expect(r"detached from %s" % re.escape(name), 60)
    rig.expect(R.PROMPT_RE, 60)


def wait_fresh(rig, sh, started, banner_since=None):
    """Waits until the guest's shell answers from a boot that began at `started` (monotonic): its
    uptime must be younger than that. `vm console` replays what the VM printed before, earlier
    boots included, so a banner or prompt alone proves nothing. Returns init's banner match when
    `banner_since` (a buffer offset) is given."""
    m = None
    if banner_since is not None:
        with rig.cond:
            rig.pos = banner_since
        m = rig.expect(USERSPACE_UP, BOOT_S)
    deadline = time.monotonic() + BOOT_S
    while True:
        try:
            up = float(sh.out("cut -d' ' -f1 /proc/uptime", 20).split()[-1])
            if up <= time.monotonic() - started + 5:
                return m
        except (R.RigError, ValueError, IndexError):
            pass
        assert time.monotonic() < deadline, "no shell from the new boot after %d s" % BOOT_S
        time.sleep(2)


try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="linux_vm_qemu").start() as rig:
        rig.boot()
        st = {}

        def boots():
            for name in ("hello1", "hello2"):  # the time checks want the CPUs
                rig.run("vm pause %s" % name, 60)
            st["tsc_hz"] = rig.run_json("info --json", 60)["tsc_hz"]
            with rig.cond:
                start = len(rig.buf)
            st["t0"] = time.monotonic()
            create(rig, "linux0", 2, MEM_MIB, "linux0")
            sh = attach(rig, "linux0")
            m = wait_fresh(rig, sh, st["t0"], start)
            st["sh"] = sh
            t.note("linux0: userspace %.1f s after vm create" % (time.monotonic() - st["t0"]))
            assert m.group(1) == b"2", m.group(0)

        def sh():
            if "sh" not in st:
                raise AssertionError("no shell: linux0 did not boot")
            return st["sh"]

        def nproc():
            assert sh().out("nproc") == "2"

        def dmesg_clean():
            # Raw records carry their level: <0> emergency ... <4> warning (busybox dmesg has no -l).
            bad = [l for l in sh().out("dmesg -r").splitlines()
                   if re.match(r"<[0-4]>", l) and PLATFORM_WORDS.search(l)]
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
            assert abs(guest - time.time()) < 5, "guest %d, host %.0f" % (guest, time.time())

        def sleep_runs_true():
            # The host's arrival times of two lines printed around the sleep: ±2 % of 10 s,
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

        def interrupts():
            def row(what):
                line = [l for l in sh().out("cat /proc/interrupts").splitlines() if what in l]
                assert line, "no %s row" % what
                return [int(x) for x in line[0].split(":", 1)[1].split()[:2]]
            loc1, tty1 = row("LOC:"), row("ttyS0")
            time.sleep(1)
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
            out = rig.run("vm stop linux0 --timeout 120", 180)
            V.wait_state(rig, "linux0", "stopped", 180)
            reason = V.vm_list(rig)["linux0"]["reason"]
            assert reason == "guest powered off", "%r (vm stop said %r)" % (reason, out)

        def starts_again():
            t0 = time.monotonic()
            out = rig.run("vm start linux0", 60)
            assert "is running" in out, out
            st["sh"] = attach(rig, "linux0")
            wait_fresh(rig, st["sh"], t0)
            n, host = sh().out("nproc"), sh().out("hostname")
            assert n == "2" and host == "linux0", (n, host)

        def reboots_from_inside():
            t0 = time.monotonic()
            rig.send("reboot\n")
            rig.expect(r"reboot: Restarting system", 120)
            wait_fresh(rig, sh(), t0)
            assert sh().out("nproc") == "2"
            detach(rig, "linux0")
            assert V.state_of(rig, "linux0") == "running"

        def second_vm():
            t0 = time.monotonic()
            create(rig, "linux1", 1, 96, "linux1")
            s1 = attach(rig, "linux1")
            try:
                wait_fresh(rig, s1, t0)
                assert s1.out("hostname") == "linux1"
                # Each sees its own memory and its own files only.
                kb = int(re.search(r"(\d+) kB", s1.out("grep MemTotal /proc/meminfo")).group(1))
                assert kb <= 96 * 1024, kb
                s1.out("echo only-in-linux1 > /tmp/mark")
            finally:
                detach(rig, "linux1")
            s0 = attach(rig, "linux0")
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
            s0 = attach(rig, "linux0")
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

        for name, fn in (("linux0 (2 vCPUs) boots to its shell through vm console", boots),
                         ("nproc is 2", nproc),
                         ("dmesg has no warning about the APIC, TSC, ACPI, timers or clocks", dmesg_clean),
                         ("the TSC frequency Linux reports is the host's; clocksource kvm-clock or tsc", tsc_matches_host),
                         ("the guest's date is the host's", date_is_host),
                         ("sleep 10 takes 10 s of host time (±2 %)", sleep_runs_true),
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
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
