#!/usr/bin/python3
# System suite: Multiboot2 through GRUB under Bochs with a VT-x CPU model (2 CPUs), one boot.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_checks as C  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(C.BOOT_SUITE_PLAN)
watchdog(900)
# Bochs interprets every instruction: one boot, every check in it, a shorter garbage run.
C.boot_suite(t, lambda: R.BochsRig(cpus=2, megs=256, model="corei7_skylake_x", tag="boot_bochs"),
             boot_path="Multiboot2",
             virt_re=r"^VT-x \((?=.*\bEPT\b)(?=.*\bVPID\b)(?=.*\bunrestricted guest\b)"
                     r"(?=.*\bpreemption timer\b).*\)$",
             virt_backend="VT-x", garbage_bytes=300)
t.exit()
