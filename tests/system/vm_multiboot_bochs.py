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
SLOW = 3  # Bochs interprets the hypervisor and its guests


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


t = Tap(4 + M.PLAN)  # banner, images, the config VM, the checks, poweroff
watchdog(1800)
tmp = tempfile.mkdtemp(prefix="bulwark-mbb-")
try:
    R.need_image(os.path.join(BUILD, "iso", "boot", "bulwark.elf"))
    big = os.path.join(tmp, "initramfs.big")
    with open(big, "wb") as f:
        f.write(os.urandom(10 << 20))
    bz = os.path.join(tmp, "bzimage-test")
    M.synthetic_bzimage(bz)
    iso = iso_with_modules(tmp, {"initramfs.big": big, "bzimage-test": bz,
                                 "looks-like.bzImage": os.path.join(GUESTS, "mbinfo.elf")},
                           os.path.join(HERE, "data", "multiboot.cfg"))
    with R.BochsRig(iso=iso, cpus=2, megs=512, model="corei7_skylake_x", tag="vm_multiboot_bochs").start() as rig:
        banner = rig.boot(600)
        t.ok("banner: VT-x with EPT", "virt: VT-x (EPT" in banner, banner[-400:])
        images = rig.run("vm images", 60)
        t.ok("a 10 MiB module and a 2.5 MiB bzImage arrive from GRUB whole",
             "initramfs.big" in images and str(10 << 20) in images and str(2 * 512 + 2560 * 1024) in images, images)

        def from_config():
            hello = ("hello.elf", open(os.path.join(GUESTS, "hello.elf"), "rb").read())
            M.check_mbinfo_run(rig, "mbcfg", 8 << 20, [hello], "from the config # not a comment", SLOW)

        t.check("bulwark.cfg: Multiboot VM with a quoted cmdline autostarts and exits with its status", from_config)
        M.multiboot_checks(t, rig, GUESTS, ("initramfs.big", open(big, "rb").read()), slow=SLOW)
        t.check("poweroff ends Bochs cleanly", rig.poweroff, 120)
except (R.RigError, subprocess.CalledProcessError) as e:
    t.fail("rig", e)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
t.exit()
