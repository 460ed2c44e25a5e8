#!/usr/bin/python3
# System suite: MMIO emulation on VT-x with EPT under Bochs (corei7_skylake_x, 2 CPUs).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mmio_checks as M  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(2 + M.PLAN)  # the banner, the checks, poweroff
watchdog(1800)
SLOW = 3  # Bochs interprets the hypervisor and its guests
try:
    with R.BochsRig(cpus=2, megs=512, model="corei7_skylake_x", tag="vm_mmio_bochs").start() as rig:
        banner = rig.boot()
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        M.mmio_checks(t, rig, slow=SLOW)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 120)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
