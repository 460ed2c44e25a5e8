#!/usr/bin/python3
# System suite: virtio-mmio devices against a hostile driver on VT-x under Bochs (GRUB, Multiboot2).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import virtio_checks as VC  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(2 + VC.PLAN)  # the banner, the checks, poweroff
watchdog(1800)
SLOW = 3  # Bochs interprets the hypervisor and its guests
try:
    with R.BochsRig(cpus=2, megs=512, model="corei7_skylake_x", tag="vm_virtio_bochs").start() as rig:
        banner = rig.boot()
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        VC.virtio_checks(t, rig, slow=SLOW)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 120)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
