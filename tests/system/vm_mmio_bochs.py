#!/usr/bin/python3
# System suite: MMIO emulation on VT-x with EPT under Bochs (corei7_skylake_x, 2 CPUs).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mmio_checks as M  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(R.ONE_BOOT_PLAN + M.PLAN)  # the banner, the checks, poweroff
watchdog(1800)
R.one_boot_suite(t, "vmx", "vm_mmio_bochs", lambda rig, slow: M.mmio_checks(t, rig, slow=slow))
t.exit()
