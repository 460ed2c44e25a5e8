#!/usr/bin/python3
# System suite: Multiboot2 through GRUB under QEMU/SeaBIOS, on a CPU without SVM (the none-line).
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_checks as C  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

t = Tap(C.BOOT_SUITE_PLAN)
watchdog(600)
# qemu64 without svm: no virtualization at all, so the banner must say so plainly.
C.boot_suite(t, lambda: R.QemuGrubRig(cpu="qemu64,-svm", smp=2, mem="512M", tag="boot_grub_qemu"),
             boot_path="Multiboot2", virt_re=r"^none: .+; VMs cannot run$", virt_backend="none")
t.exit()
