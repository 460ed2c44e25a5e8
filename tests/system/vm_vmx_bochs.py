#!/usr/bin/python3
# System suite: VMs on VT-x with EPT under Bochs (corei7_skylake_x, 2 CPUs), one boot.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import irq_checks as I  # noqa: E402
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(R.ONE_BOOT_PLAN + V.PLAN + V.AC_LOOP_PLAN + V.DB_LOOP_PLAN + V.STACK_PLAN + I.PLAN)  # the banner, the checks, poweroff
watchdog(3000)  # a loaded 2-core machine stretches Bochs runs past 30 min


def checks(rig, slow):
    V.lifecycle_checks(t, rig, slow=slow)
    V.create_destroy_loop(t, rig, 100)
    V.isolation_checks(t, rig, slow=slow, backend="vmx")
    V.ac_loop_checks(t, rig, slow=slow, backend="vmx")
    V.db_loop_checks(t, rig, slow=slow)
    V.platform_checks(t, rig, slow=slow)
    I.irq_checks(t, rig, slow=slow)
    V.scheduling_checks(t, rig, slow=slow)
    V.stack_checks(t, rig)


R.one_boot_suite(t, "vmx", "vm_vmx_bochs", checks)
t.exit()
