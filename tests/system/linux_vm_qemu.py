#!/usr/bin/env python3
# System suite: the project's Linux guest under Bulwark on AMD-V (QEMU/OVMF), driven through
# `vm console` at the hypervisor's prompt the way a person would: 2 vCPUs, a clean dmesg, time
# that runs true, detach, `vm stop` through the power button, a start again, a reboot from inside,
# and a second Linux VM beside it.
# SPDX-License-Identifier: MIT
"""The checks are in linux_vm_checks.py, shared with the VT-x rig (linux_vm_bochs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_vm_checks as LC  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_S = 600  # one boot under nested TCG on a loaded 2-CPU machine

t = Tap(LC.PLAN + 1)  # the checks, poweroff
watchdog(2400)
try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="linux_vm_qemu").start() as rig:
        rig.boot()
        LC.linux_vm_checks(t, rig, BOOT_S, wall=True)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
