#!/usr/bin/env python3
# System suite: containers in the Linux guest, run from the hypervisor's console with `ct`, as a
# person would type it (AMD-V rig, QEMU/OVMF): run, logs, list, exec, stop, rm, and nothing left
# in the guest; memory, pids and CPU limits; two Linux VMs with their own containers.
# SPDX-License-Identifier: MIT
"""The checks are in ct_linux_checks.py, shared with the VT-x rig (ct_linux_bochs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ct_linux_checks as C  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_S = 600

t = Tap(C.PLAN + 1)  # the checks, poweroff
watchdog(2700)
try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="ct_linux_qemu").start() as rig:
        rig.boot()
        C.ct_linux_checks(t, rig, BOOT_S)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
