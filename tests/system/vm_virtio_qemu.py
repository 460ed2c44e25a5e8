#!/usr/bin/python3
# System suite: virtio-mmio devices against a hostile driver on AMD-V under QEMU/OVMF.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import virtio_checks as VC  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(R.ONE_BOOT_PLAN + VC.PLAN)  # the banner, the checks, poweroff
watchdog(900)
R.one_boot_suite(t, "svm", "vm_virtio_qemu", lambda rig, slow: VC.virtio_checks(t, rig, slow=slow))
t.exit()
