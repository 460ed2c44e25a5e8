#!/usr/bin/python3
# System suite: virtio-mmio devices against a hostile driver on AMD-V under QEMU/OVMF.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import virtio_checks as VC  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(2 + VC.PLAN)  # the banner, the checks, poweroff
watchdog(900)
try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="vm_virtio_qemu").start() as rig:
        banner = rig.boot()
        t.ok("banner: AMD-V with NPT", "virt: AMD-V (NPT" in banner, banner[-400:])
        VC.virtio_checks(t, rig, slow=1)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
