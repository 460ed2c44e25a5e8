#!/usr/bin/env python3
# System suite: containers in the Linux guest, run from the hypervisor's console with `ct`, on
# VT-x (Bochs, GRUB, Multiboot2): the same checks as on the AMD-V rig (ct_linux_checks.py).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ct_linux_checks as C  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_S = 900  # one boot in Bochs, which interprets the hypervisor and the guest, on a loaded machine
# The containers' work in wall time (a fork bomb's forks, a 2 s stop timeout, a spinner's share)
# needs more than the rig's general factor: Bochs runs at about a tenth of the speed its clock claims.
WORK_SLOW = 8

t = Tap(R.ONE_BOOT_PLAN + C.PLAN)  # the banner, the checks, poweroff
watchdog(5400)
R.one_boot_suite(t, "vmx", "ct_linux_bochs", lambda rig, slow: C.ct_linux_checks(t, rig, BOOT_S, WORK_SLOW),
                 boot_timeout=600, megs=768)
t.exit()
