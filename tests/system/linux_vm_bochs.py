#!/usr/bin/env python3
# System suite: the project's Linux guest under Bulwark on VT-x (Bochs, GRUB, Multiboot2), driven
# through `vm console` at the hypervisor's prompt the way a person would: the same checks as on
# the AMD-V rig (linux_vm_checks.py), time held to the hypervisor's clock.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_vm_checks as LC  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_S = 900  # one boot in Bochs, which interprets the hypervisor and the guest, on a loaded machine

t = Tap(LC.PLAN + 2)  # the banner, the checks, poweroff
watchdog(5400)
try:
    with R.BochsRig(cpus=2, megs=512, model="corei7_skylake_x", tag="linux_vm_bochs").start() as rig:
        banner = rig.boot(600)
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        LC.linux_vm_checks(t, rig, BOOT_S, wall=False, cmd_s=180)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 300)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
