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

t = Tap(R.ONE_BOOT_PLAN + V.PLAN + V.CT_PLAN + V.AC_LOOP_PLAN + V.NMI_PLAN + V.STACK_PLAN + I.PLAN)  # the banner, the checks, poweroff
watchdog(1500)


def checks(rig, slow):
    V.lifecycle_checks(t, rig, slow=slow)
    V.ct_checks(t, rig, slow=slow)
    V.create_destroy_loop(t, rig, 100)
    V.isolation_checks(t, rig, slow=slow, backend="svm")
    V.ac_loop_checks(t, rig, slow=slow, backend="svm")
    V.platform_checks(t, rig, slow=slow, rtc_tolerance_s=120)
    I.irq_checks(t, rig, slow=slow)
    V.scheduling_checks(t, rig, slow=slow)
    V.nmi_checks(t, rig, slow=slow)
    V.stack_checks(t, rig)


R.one_boot_suite(t, "svm", "vm_svm_qemu", checks)
t.exit()
