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

t = Tap(2 + V.PLAN + V.AC_LOOP_PLAN + V.STACK_PLAN + I.PLAN)  # the banner, the checks, poweroff
watchdog(3000)  # a loaded 2-core machine stretches Bochs runs past 30 min
SLOW = 3  # Bochs interprets the hypervisor and its guests
try:
    with R.BochsRig(cpus=2, megs=512, model="corei7_skylake_x", tag="vm_vmx_bochs").start() as rig:
        banner = rig.boot()
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        V.lifecycle_checks(t, rig, slow=SLOW)
        V.create_destroy_loop(t, rig, 100)
        V.isolation_checks(t, rig, slow=SLOW, backend="vmx")
        V.ac_loop_checks(t, rig, slow=SLOW, backend="vmx")
        V.platform_checks(t, rig, slow=SLOW)
        I.irq_checks(t, rig, slow=SLOW)
        V.scheduling_checks(t, rig, slow=SLOW)
        V.stack_checks(t, rig)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 120)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
