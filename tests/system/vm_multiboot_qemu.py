#!/usr/bin/python3
# System suite: Multiboot v1 and Linux bzImage loading on AMD-V under QEMU/OVMF, with big files from the ESP.
# SPDX-License-Identifier: MIT
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import multiboot_checks as M  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GUESTS = os.path.join(HERE, "..", "..", "build", "guests")
t = Tap(R.ONE_BOOT_PLAN + M.MEDIUM_PLAN + M.PLAN)  # banner, images, the config VM, the checks, poweroff
watchdog(600)
tmp = tempfile.mkdtemp(prefix="bulwark-mb-")
try:
    big, bz = M.medium_files(tmp)
    extra = {"bulwark/bulwark.cfg": os.path.join(HERE, "data", "multiboot.cfg"),
             "bulwark/guests/initramfs.big": big, "bulwark/guests/bzimage-test": bz,
             "bulwark/guests/looks-like.bzImage": os.path.join(GUESTS, "mbinfo.elf")}

    def checks(rig, slow):
        M.medium_checks(t, rig, GUESTS, "a 10 MiB file and a 2.5 MiB bzImage arrive from the ESP whole", slow)
        M.multiboot_checks(t, rig, GUESTS, ("initramfs.big", open(big, "rb").read()), slow=slow)

    R.one_boot_suite(t, "svm", "vm_multiboot_qemu", checks, mem="512M", esp_extra=extra)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
t.exit()
