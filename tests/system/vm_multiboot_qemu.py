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
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GUESTS = os.path.join(HERE, "..", "..", "build", "guests")
t = Tap(4 + M.PLAN)  # banner, images, the config VM, the checks, poweroff
watchdog(600)
tmp = tempfile.mkdtemp(prefix="bulwark-mb-")
try:
    big = os.path.join(tmp, "initramfs.big")
    with open(big, "wb") as f:
        f.write(os.urandom(10 << 20))
    bz = os.path.join(tmp, "bzimage-test")
    M.synthetic_bzimage(bz)
    extra = {"bulwark/bulwark.cfg": os.path.join(HERE, "data", "multiboot.cfg"),
             "bulwark/guests/initramfs.big": big, "bulwark/guests/bzimage-test": bz,
             "bulwark/guests/looks-like.bzImage": os.path.join(GUESTS, "mbinfo.elf")}
    with R.QemuOvmfRig(cpu="max", smp=2, mem="512M", tag="vm_multiboot_qemu", esp_extra=extra).start() as rig:
        banner = rig.boot()
        t.ok("banner: AMD-V with NPT", "virt: AMD-V (NPT" in banner, banner[-400:])
        images = rig.run("vm images", 60)
        t.ok("a 10 MiB file and a 2.5 MiB bzImage arrive from the ESP whole",
             "initramfs.big" in images and str(10 << 20) in images and str(2 * 512 + 2560 * 1024) in images, images)

        def from_config():
            hello = ("hello.elf", open(os.path.join(GUESTS, "hello.elf"), "rb").read())
            M.check_mbinfo_run(rig, "mbcfg", 8 << 20, [hello], "from the config # not a comment", 1)

        t.check("bulwark.cfg: Multiboot VM with a quoted cmdline autostarts and exits with its status", from_config)
        M.multiboot_checks(t, rig, GUESTS, ("initramfs.big", open(big, "rb").read()), slow=1)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
t.exit()
