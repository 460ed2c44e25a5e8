#!/usr/bin/env python3
# System suite: containers in the Linux guest, run from the hypervisor's console with `ct`, on
# VT-x (Bochs, GRUB, Multiboot2): the same checks as on the AMD-V rig (ct_linux_checks.py).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ct_linux_checks as C  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_S = 900  # one boot in Bochs, which interprets the hypervisor and the guest, on a loaded machine
SLOW = 8  # the guest's work in wall time: Bochs runs about a tenth of the speed its clock claims

t = Tap(C.PLAN + 2)  # the banner, the checks, poweroff
watchdog(5400)
try:
    with R.BochsRig(cpus=2, megs=768, model="corei7_skylake_x", tag="ct_linux_bochs").start() as rig:
        banner = rig.boot(600)
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        C.ct_linux_checks(t, rig, BOOT_S, SLOW)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 300)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
