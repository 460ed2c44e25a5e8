#!/usr/bin/env python3
# System suite: a hostile guest agent on the agent port of a VM beside the hello guests, on VT-x
# (Bochs, GRUB, Multiboot2): the checks of ct_hostile_checks.py, the image a boot module of the
# ISO build/bulwark-hostile.iso.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ct_hostile_checks as H  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

ISO = os.path.join(R.BUILD, "bulwark-hostile.iso")
BOOT_S = 900  # one Linux boot in Bochs, which interprets the hypervisor and the guest
# Bochs runs at a fraction of the speed its clock claims: the flood, which keeps the guest busy,
# is shorter in guest seconds than on the AMD-V rig and still thousands of lines. It outlasts
# one log window (the limiter says what it left out only when the next window opens).
FLOOD_S = 12

t = Tap(R.ONE_BOOT_PLAN + H.PLAN)
watchdog(3600)
R.one_boot_suite(t, "vmx", "ct_hostile_bochs", lambda rig, slow: H.hostile_checks(t, rig, BOOT_S, slow, FLOOD_S),
                 boot_timeout=600, iso=ISO)
t.exit()
