#!/usr/bin/env python3
# The guest agent on a real virtio-console port and the images disk on a real virtio-blk disk:
# Debian's stock kernel boots the Linux guest's initramfs under QEMU (TCG) with a
# virtio-serial-pci port named org.bulwark.agent.0 and images.img as a read-only
# virtio-blk-pci disk; the agent init started waits for its port until the virtio modules are
# loaded, then finds it through /sys/class/virtio-ports and serves on it; /dev/vda mounts at
# /images as rcS mounts it and its images run. (The project's kernel has only virtio-mmio,
# which Bulwark gives it; QEMU's q35 has virtio-pci.)
# SPDX-License-Identifier: MIT
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig  # noqa: E402
import agent_suite  # noqa: E402
from linux_guest import QemuDirectRig, ROOTFS, initrd_plus  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

KERNEL = os.path.join(rig.BUILD, "guests", "linux", "vmlinuz")
DISK = os.path.join(rig.BUILD, "guests", "linux", "images.img")
IMAGE = os.path.join(rig.BUILD, "guests", "linux", "busybox-oci")
# In dependency order (modinfo -F depends).
MODULES = ["virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
           "virtio_console", "virtio_blk", "crc16", "crc32c_generic", "mbcache", "jbd2", "ext4"]


def modules_initrd(tmp, kver):
    """rootfs.cpio.gz followed by a cpio of the virtio and ext4 modules of Debian's kernel."""
    root = os.path.join(tmp, "mods")
    os.makedirs(root + "/modules")
    for m in MODULES:
        path = subprocess.run(["modinfo", "-k", kver, "-n", m], capture_output=True, text=True).stdout.strip()
        if path.endswith(".ko"):
            shutil.copy(path, root + "/modules/%s.ko" % m)
    return initrd_plus(tmp, root)


def main():
    t = Tap(6)
    watchdog(600)
    kver = sorted(p[len("vmlinuz-"):] for p in os.listdir("/boot") if p.startswith("vmlinuz-"))[-1]
    try:
        with QemuDirectRig(tag="agent-virtio-qemu", smp=2, mem="512M", kernel=KERNEL, initrd=ROOTFS) as r:
            r.initrd = modules_initrd(r.tmp, kver)
            a, sh = agent_suite.boot_with_channel(r, [
                "-device", "virtio-serial-pci",
                "-device", "virtserialport,chardev=agent,name=org.bulwark.agent.0",
                "-drive", "id=images,file=%s,format=raw,if=none,readonly=on" % DISK,
                "-device", "virtio-blk-pci,drive=images"])
            log = sh.sh("sleep 2; cat /run/bulwark-agent.log")[1]
            t.ok("without its port the agent (started by init) waits for it",
                 sh.sh("pidof bulwark-agent")[0] == 0 and "waiting for virtio port org.bulwark.agent.0" in log, log)
            out = sh.sh("for m in %s; do insmod /modules/$m.ko || echo FAILED $m; done; sleep 1; "
                        "cat /sys/class/virtio-ports/*/name" % " ".join(MODULES), 60)[1]
            try:
                ready = a.event("ready", timeout=30)
            except AssertionError as e:
                ready = str(e)
            t.ok("the port appears (/sys/class/virtio-ports/*/name) and the agent says ready on it",
                 "FAILED" not in out and "org.bulwark.agent.0" in out and isinstance(ready, dict)
                 and ready.get("protocol") == 1, (out, ready))
            res = a.ok("hello", {"protocol": 1})
            t.ok("hello over the virtio port", res["kernel"] == kver, res)
            status, out = sh.sh("mount -t ext4 -o ro /dev/vda /images && grep ' /images ' /proc/mounts && "
                                "! touch /images/x 2>/dev/null && ls /images")
            t.ok("the images disk /dev/vda mounts read-only at /images (as rcS does)",
                 status == 0 and " ro" in out and "busybox" in out, out)
            res = a.ok("images", {})
            size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(IMAGE) for f in fs)
            t.ok("images lists busybox from the disk with its size",
                 [(i["name"], i["size"]) for i in res["images"]] == [("busybox", size)], res)
            n = agent_suite.P + "virtio"
            a.ok("run", {"name": n, "image": "busybox", "args": ["echo", "from the images disk"]}, 120)
            ex = a.event("exited", lambda d: d["name"] == n, 60)["exit"]
            logs = a.ok("logs", {"name": n})["data"]
            a.ok("delete", {"name": n})
            t.ok("a container of the disk's image runs, and its output comes over the port",
                 ex["reason"] == "exited" and ex["code"] == 0 and logs == "from the images disk\n", (ex, logs))
    except (rig.RigError, AssertionError) as e:
        t.fail("the Linux guest with virtio devices under QEMU", e)
    t.exit()


if __name__ == "__main__":
    main()
