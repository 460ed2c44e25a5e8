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
t = Tap(2 + S.PLAN)  # the banner, the checks, poweroff
watchdog(1800)
try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="stress_svm_qemu").start() as rig:
        banner = rig.boot()
        t.ok("banner: AMD-V with NPT", "virt: AMD-V (NPT" in banner, banner[-400:])
        S.stress_checks(t, rig, cycles=CYCLES, storms=CYCLES, slow=1)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
