#!/usr/bin/python3
# System suite: VMs on AMD-V with nested paging under QEMU/OVMF (TCG, -cpu max, 2 CPUs).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import irq_checks as I  # noqa: E402
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(2 + V.PLAN + V.CT_PLAN + V.AC_LOOP_PLAN + V.NMI_PLAN + V.STACK_PLAN + I.PLAN)  # the banner, the checks, poweroff
watchdog(1500)
try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="vm_svm_qemu").start() as rig:
        banner = rig.boot()
        t.ok("banner: AMD-V with NPT", "virt: AMD-V (NPT" in banner, banner[-400:])
        V.lifecycle_checks(t, rig, slow=1)
        V.ct_checks(t, rig, slow=1)
        V.create_destroy_loop(t, rig, 100)
        V.isolation_checks(t, rig, slow=1, backend="svm")
        V.ac_loop_checks(t, rig, slow=1, backend="svm")
        V.platform_checks(t, rig, slow=1, rtc_tolerance_s=120)
        I.irq_checks(t, rig, slow=1)
        V.scheduling_checks(t, rig, slow=1)
        V.nmi_checks(t, rig, slow=1)
        V.stack_checks(t, rig)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
