#!/usr/bin/python3
# System suite: lifecycle stress of 2-vCPU VMs on AMD-V under QEMU (multi-threaded TCG, -cpu max, 2 CPUs).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import stress_checks as S  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

CYCLES = int(os.environ.get("BULWARK_STRESS_CYCLES", "300"))
t = Tap(R.ONE_BOOT_PLAN + S.PLAN)  # the banner, the checks, poweroff
watchdog(1800)
R.one_boot_suite(t, "svm", "stress_svm_qemu",
                 lambda rig, slow: S.stress_checks(t, rig, cycles=CYCLES, storms=CYCLES, slow=slow))
t.exit()
