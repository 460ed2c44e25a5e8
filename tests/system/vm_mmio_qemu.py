#!/usr/bin/python3
# System suite: MMIO emulation on AMD-V under QEMU/OVMF (TCG, no decode assists: the instruction is fetched and decoded).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mmio_checks as M  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(2 + M.PLAN)  # the banner, the checks, poweroff
watchdog(900)
try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="vm_mmio_qemu").start() as rig:
        banner = rig.boot()
        t.ok("banner: AMD-V with NPT", "virt: AMD-V (NPT" in banner, banner[-400:])
        M.mmio_checks(t, rig, slow=1)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
