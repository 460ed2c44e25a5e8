#!/usr/bin/python3
# System suite: Debian's stock Linux kernel (unmodified) as a 2-vCPU guest on AMD-V under QEMU/OVMF.
# SPDX-License-Identifier: MIT
"""The initramfs' /init (tests/system/data/linux_shell_init) prints "linux-shell:" lines with what
is checked here, sleeps 5 s between two of them, then powers off. Expected values are the VM's
configuration (2 vCPUs, 128 MiB), the host's clock, and Linux's /proc formats."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

KERNEL = os.path.join(R.BUILD, "guests", "linux", "vmlinuz")
INITRD = os.path.join(R.BUILD, "tests", "linux-shell.cpio.gz")
MEM_MIB = 128
PLAN = 10

t = Tap(PLAN)
watchdog(1500)
state = {}


def lines(prefix):
    return [m.group(1) for m in re.finditer(r"linux-shell: %s(.*)\n" % re.escape(prefix), state["out"])]


try:
    extra = {"bulwark/guests/vmlinuz": KERNEL, "bulwark/guests/linux-shell.cpio.gz": INITRD}
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="linux_vm_svm_qemu", esp_extra=extra).start() as rig:
        rig.boot()
        state["tsc"] = rig.run_json("info --json", 60)["tsc"]
        print("# host tsc: %s" % state["tsc"], flush=True)

        def boots():
            for name in ("hello1", "hello2"):
                rig.run("vm pause %s" % name, 60)  # the guest's timing checks want the CPUs
            out = rig.run('vm create linux0 kernel=vmlinuz initrd=linux-shell.cpio.gz cmdline="console=ttyS0" '
                          'mem=%dM vcpus=2' % MEM_MIB, 60)
            assert "created vm" in out, out
            assert "is running" in rig.run("vm start linux0", 60)
            deadline = time.monotonic() + 900
            while True:
                out = V.output(rig, "linux0", 2000)
                if "linux-shell: sleep start\n" in out:
                    state["sleep_start"] = time.monotonic()
                    break
                st = V.vm_list(rig)["linux0"]
                assert st["state"] == "running", "%s; last output: %r" % (st, out[-1500:])
                assert time.monotonic() < deadline, "no userspace line: %r" % out[-1500:]
                time.sleep(0.2)
            while "linux-shell: sleep end\n" not in V.output(rig, "linux0", 400):
                assert time.monotonic() < deadline, "the guest's sleep 5 did not end"
                time.sleep(0.05)
            state["sleep_s"] = time.monotonic() - state["sleep_start"]
            state["host_time"] = time.time()
            while "linux-shell: powering off\n" not in V.output(rig, "linux0", 400):
                assert time.monotonic() < deadline, "the guest did not get to its poweroff"
                time.sleep(0.2)
            state["out"] = V.output(rig, "linux0", 60000)
            for line in re.findall(r"linux-shell: [^\n]*", state["out"]):
                print("# " + line, flush=True)

        def nproc():
            assert lines("nproc ") == ["2"], lines("nproc ")

        def interrupts_count():
            # /proc/interrupts: "LOC:  n0  n1  Local timer interrupts", "4:  n0  n1  IO-APIC  4-edge  ttyS0"
            def counts(prefix, what):
                row = [l for l in lines(prefix) if what in l]
                assert row, "no %s row in %r" % (what, state["out"][-3000:])
                return [int(x) for x in re.findall(r"\s(\d+)", " " + row[0].split(":", 1)[1])[:2]]
            loc1, loc2 = counts("irq ", "LOC:"), counts("irq2 ", "LOC:")
            assert all(b > a for a, b in zip(loc1, loc2)), "LAPIC timer per CPU %s then %s" % (loc1, loc2)
            tty1, tty2 = counts("irq ", "ttyS0"), counts("irq2 ", "ttyS0")
            assert sum(tty2) > sum(tty1), "ttyS0 interrupts %s then %s" % (tty1, tty2)

        def no_warnings():
            assert lines("warnings in all "), "no dmesg summary: %r" % state["out"][-2000:]
            assert not lines("warn "), lines("warn ")
            # Linux prints this when kvm-clock lacks PVCLOCK_TSC_STABLE_BIT (kernel/trace/trace.c);
            # the host's TSCs were found synchronised at bring-up, so the bit must be there.
            assert state["tsc"]["synchronised"], state["tsc"]
            assert "Unstable clock detected" not in state["out"], "kvm-clock not marked stable"

        def date_is_host():
            guest = int(lines("date ")[0])
            assert abs(guest - state["host_time"]) < 120, "guest %d, host %d" % (guest, state["host_time"])

        def sleep_takes_5s():
            # Measured from the console's polling of the output (0.05-0.2 s apart), beside the guest's ±5 %.
            assert 4.75 - 0.2 <= state["sleep_s"] <= 5.25 + 0.4, "sleep 5 took %.2f s" % state["sleep_s"]

        def memory():
            # "Memory: 81804K/130680K available (...)": all RAM the e820 map gave, less the PC's holes below 1 MiB.
            m = re.match(r"(\d+)K/(\d+)K", lines("memory ")[0])
            assert m, lines("memory ")
            total = int(m.group(2))
            assert (MEM_MIB - 2) * 1024 <= total <= MEM_MIB * 1024, "Linux sees %d KiB of %d MiB" % (total, MEM_MIB)
            free = int(re.search(r"(\d+) kB", lines("MemTotal:")[0]).group(1))
            assert free <= total, "MemTotal %d kB above %d KiB" % (free, total)

        def powers_off():
            deadline = time.monotonic() + 120
            while True:
                st = V.vm_list(rig)["linux0"]
                if st["state"] == "stopped":
                    assert st["reason"] == "guest powered off", st
                    return
                assert st["state"] == "running" and time.monotonic() < deadline, st
                time.sleep(0.5)

        def cleanup():
            assert "destroyed" in rig.run("vm destroy linux0", 60)
            for name in ("hello1", "hello2"):
                rig.run("vm resume %s" % name, 60)

        for name, fn in (("Debian's kernel boots to userspace with 2 vCPUs and 128 MiB", boots),
                         ("nproc is 2", nproc),
                         ("/proc/interrupts: the LAPIC timer counts on both CPUs, ttyS0 counts", interrupts_count),
                         ("dmesg at warning level and above says nothing about APIC, TSC, ACPI or the clock", no_warnings),
                         ("the guest's date is the host's", date_is_host),
                         ("sleep 5 takes 5 s of host time", sleep_takes_5s),
                         ("Linux sees the configured memory and no more", memory),
                         ("poweroff in the guest stops the VM: guest powered off", powers_off),
                         ("linux0 destroyed", cleanup)):
            t.check(name, fn)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
