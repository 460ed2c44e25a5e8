#!/usr/bin/python3
# System suite: lifecycle stress of 2-vCPU VMs on VT-x under Bochs (corei7_skylake_x, 2 CPUs), shorter than on QEMU.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import stress_checks as S  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

CYCLES = int(os.environ.get("BULWARK_STRESS_CYCLES", "30"))
t = Tap(2 + S.PLAN)  # the banner, the checks, poweroff
watchdog(2400)
try:
    with R.BochsRig(cpus=2, megs=512, model="corei7_skylake_x", tag="stress_vmx_bochs").start() as rig:
        banner = rig.boot()
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        S.stress_checks(t, rig, cycles=CYCLES, storms=CYCLES, slow=3)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 120)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
