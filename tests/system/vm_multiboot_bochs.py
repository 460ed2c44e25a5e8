#!/usr/bin/python3
# System suite: Multiboot v1 and Linux bzImage loading on VT-x under Bochs, with big files as GRUB modules.
# SPDX-License-Identifier: MIT
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import multiboot_checks as M  # noqa: E402
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "..", "build")
GUESTS = os.path.join(BUILD, "guests")


def iso_with_modules(tmp, extra, config):
    """build/iso plus `extra` {name: path} as module2 lines and `config` as bulwark.cfg, through grub-mkrescue."""
    tree = os.path.join(tmp, "iso")
    shutil.copytree(os.path.join(BUILD, "iso"), tree)
    shutil.copy(config, os.path.join(tree, "boot", "modules", "bulwark.cfg"))
    lines = "".join("  module2 /boot/modules/%s %s\n" % (n, n) for n in extra)
    for n, p in extra.items():
        shutil.copy(p, os.path.join(tree, "boot", "modules", n))
    cfg = os.path.join(tree, "boot", "grub", "grub.cfg")
    text = open(cfg).read().replace("  boot\n", lines + "  boot\n")
    open(cfg, "w").write(text)
    iso = os.path.join(tmp, "multiboot.iso")
    subprocess.run(["grub-mkrescue", "-o", iso, tree], check=True, capture_output=True)
    return iso


t = Tap(R.ONE_BOOT_PLAN + M.MEDIUM_PLAN + M.PLAN)  # banner, images, the config VM, the checks, poweroff
watchdog(1800)
tmp = tempfile.mkdtemp(prefix="bulwark-mbb-")
try:
    R.need_image(os.path.join(BUILD, "iso", "boot", "bulwark.elf"))
    big, bz = M.medium_files(tmp)
    iso = iso_with_modules(tmp, {"initramfs.big": big, "bzimage-test": bz,
                                 "looks-like.bzImage": os.path.join(GUESTS, "mbinfo.elf")},
                           os.path.join(HERE, "data", "multiboot.cfg"))

    def checks(rig, slow):
        M.medium_checks(t, rig, GUESTS, "a 10 MiB module and a 2.5 MiB bzImage arrive from GRUB whole", slow)
        M.multiboot_checks(t, rig, GUESTS, ("initramfs.big", open(big, "rb").read()), slow=slow)

    R.one_boot_suite(t, "vmx", "vm_multiboot_bochs", checks, boot_timeout=600, iso=iso)
except (R.RigError, subprocess.CalledProcessError) as e:
    t.fail("rig", e)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
t.exit()
