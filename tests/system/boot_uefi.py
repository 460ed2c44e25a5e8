#!/usr/bin/python3
# System suite: UEFI boot under QEMU/OVMF (q35, 2 CPUs, -cpu max: AMD-V with NPT) and the console.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_checks as C  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(C.BOOT_SUITE_PLAN)
watchdog(600)
C.boot_suite(t, lambda: R.QemuOvmfRig(cpu="max", smp=2, mem="512M", tag="boot_uefi"),
             boot_path="UEFI", virt_re=r"^AMD-V \(NPT, \d+ ASIDs\)", virt_backend="AMD-V")
t.exit()
