#!/usr/bin/env python3
# System suite: a short boot of the project's Linux guest with 2 vCPUs under Bulwark on AMD-V
# (QEMU/OVMF, TCG on one thread): init reports userspace on 2 CPUs with no kernel BUG, oops or
# panic on the way, and the guest is still up and clean 20 s later.
# SPDX-License-Identifier: MIT
"""Expected values come from the VM's configuration (2 vCPUs) and Linux's own formats (init's
banner, /proc/interrupts). Under QEMU's TCG an external interrupt injected through EVENTINJ is
delivered a second time, whatever RFLAGS.IF says, at the next round-robin kick between vCPUs;
Linux then took its timer interrupt between SWAPGS and IRETQ and died on the entry stack, or
stalled. Bulwark posts external interrupts as V_IRQ instead (hypervisor/svm/svm_intr.c)."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from linux_guest import USERSPACE_UP  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

PLAN = 3
BOOT_S = 600  # one boot under nested TCG on a loaded 2-CPU machine
FATAL = re.compile(r"BUG:|Oops|Kernel panic|general protection fault|stack guard page")

t = Tap(PLAN)
watchdog(1500)

try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="linux_smp_svm_qemu").start() as rig:
        rig.boot()
        st = {}

        def boots():
            for name in ("hello1", "hello2"):
                rig.run("vm pause %s" % name, 60)
            out = rig.run('vm create linux0 kernel=bzImage initrd=rootfs.cpio.gz cmdline="console=ttyS0" '
                          'mem=128M vcpus=2', 60)
            assert "created vm" in out, out
            t0 = time.monotonic()
            assert "is running" in rig.run("vm start linux0", 60)
            while True:
                out = V.output(rig, "linux0", 4000)
                bad = FATAL.search(out)
                assert not bad, "the guest died: %r" % out[max(0, bad.start() - 200):][:1500]
                m = re.search(USERSPACE_UP.decode(), out)
                if m:
                    st["cpus"] = m.group(1)
                    break
                info = V.vm_list(rig)["linux0"]
                assert info["state"] == "running", "%s; last output: %r" % (info, out[-1500:])
                assert time.monotonic() - t0 < BOOT_S, "no userspace after %d s: %r" % (BOOT_S, out[-1500:])
                time.sleep(2)
            t.note("linux0: userspace %.1f s after vm start" % (time.monotonic() - t0))
            assert st["cpus"] == "2", st

        def still_alive():
            if "cpus" not in st:
                raise AssertionError("linux0 did not boot")
            time.sleep(20)  # the shell idles, both CPUs take their timer interrupts
            out = V.output(rig, "linux0", 200000)
            bad = FATAL.search(out)
            assert not bad, "the guest died: %r" % out[max(0, bad.start() - 200):][:1500]
            assert V.vm_list(rig)["linux0"]["state"] == "running"
            rig.run("vm kill linux0", 60)
            assert "destroyed" in rig.run("vm destroy linux0", 60)

        for name, fn in (("linux0 (2 vCPUs) reaches userspace on 2 CPUs with no BUG, oops or panic", boots),
                         ("20 s later the guest is still up, its log clean; vm kill, vm destroy", still_alive)):
            t.check(name, fn)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
