#!/usr/bin/env python3
# System suite: a hostile guest agent on the agent port of a VM beside the hello guests, on AMD-V
# (QEMU/OVMF): the checks of ct_hostile_checks.py, the image on the suite's own ESP copy.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ct_hostile_checks as H  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_S = 600
FLOOD_S = 20  # guest seconds of lines as fast as the port takes them

t = Tap(R.ONE_BOOT_PLAN + H.PLAN)
watchdog(2400)
try:
    H.need_image()
except R.RigError as e:
    t.fail("rig", e)
    t.exit()
R.one_boot_suite(t, "svm", "ct_hostile_qemu", lambda rig, slow: H.hostile_checks(t, rig, BOOT_S, slow, FLOOD_S),
                 esp_extra={"bulwark/guests/hostile.cpio.gz": H.HOSTILE})
t.exit()
