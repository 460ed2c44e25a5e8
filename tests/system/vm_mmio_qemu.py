#!/usr/bin/python3
# System suite: MMIO emulation on AMD-V under QEMU/OVMF (TCG, no decode assists: the instruction is fetched and decoded).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mmio_checks as M  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(R.ONE_BOOT_PLAN + M.PLAN)  # the banner, the checks, poweroff
watchdog(900)
R.one_boot_suite(t, "svm", "vm_mmio_qemu", lambda rig, slow: M.mmio_checks(t, rig, slow=slow))
t.exit()
