#!/usr/bin/python3
# System suite: the project's Linux guest finds Bulwark's virtio-mmio devices through ACPI on AMD-V under QEMU/OVMF.
# SPDX-License-Identifier: MIT
"""linux0 boots the project's kernel and initramfs with two disks: the images disk read-only
(images.img, ext4, mounted at /images by the guest's rcS) and the test disk read-write
(virtio_disk.img: 128 sectors, sector n starting "BWSECTOR%08d", guests/test/mkdisk.py).
Expected values come from the configuration, the disk's layout and virtio 1.2 5.2/5.3 as
Linux's drivers present them in sysfs. The agent channel is checked end to end with `ct
images` (the guest's agent answers over /dev/vport0p1 through vport_write/vport_read)."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from linux_guest import GuestShell  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

PLAN = 9
t = Tap(PLAN)
watchdog(1500)


class Paced:
    """Typing into the guest's 16550 (a 16-byte FIFO): a pause after each 16 bytes."""

    def __init__(self, r):
        self.r = r

    def __getattr__(self, k):
        return getattr(self.r, k)

    def send(self, data, pace=0.0):
        self.r.send(data, pace=0.25)


try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="linux_virtio_qemu").start() as rig:
        g = GuestShell(Paced(rig))

        def boots():
            rig.boot()
            for name in ("hello1", "hello2"):
                rig.run("vm pause %s" % name, 60)
            out = rig.run('vm create linux0 kernel=bzImage initrd=rootfs.cpio.gz cmdline="console=ttyS0" mem=256M '
                          'vcpus=2 disk=images.img,ro disk=virtio_disk.img', 60)
            assert "created vm" in out, out
            # A boot on a loaded machine can stall before userspace (README, the Linux guest):
            # such a boot is killed and started again, at most three boots in all.
            for attempt in range(3):
                assert "is running" in rig.run("vm start linux0", 60)
                deadline = time.monotonic() + 300
                while "bulwark-guest: userspace up" not in V.output(rig, "linux0", 6000):
                    assert V.state_of(rig, "linux0") == "running", V.output(rig, "linux0", 3000)
                    if time.monotonic() > deadline:
                        break
                    time.sleep(1)
                else:
                    break
                t.note("boot %d of linux0 stalled: %r" % (attempt + 1, V.output(rig, "linux0", 300)[-200:]))
                rig.run("vm kill linux0", 60)
            else:
                raise AssertionError("three boots stalled before userspace")
            rig.send("vm console linux0\r")
            time.sleep(2)
            rig.send("\r")
            g.wait_prompt(60)

        def disks():
            # virtio 1.2 5.2.4: capacity in 512-byte sectors; VIRTIO_BLK_F_RO shows as ro=1
            vdb = g.out("cat /sys/block/vdb/size /sys/block/vdb/ro").split()
            assert vdb == ["128", "0"], vdb
            size = os.path.getsize(os.path.join(R.BUILD, "guests", "linux", "images.img")) // 512
            vda = g.out("cat /sys/block/vda/size /sys/block/vda/ro").split()
            assert vda == [str(size), "1"], (vda, size)
            serial = g.out("cat /sys/block/vdb/serial")
            assert serial == "virtio_disk.img", serial

        def read_sector():
            assert g.out("dd if=/dev/vdb bs=512 skip=1 count=1 2>/dev/null | head -c 16") == "BWSECTOR00000001"

        def write_sector():
            g.out("echo written-by-linux | dd of=/dev/vdb bs=512 seek=5 conv=sync 2>/dev/null; sync")
            g.out("blockdev --flushbufs /dev/vdb; echo 3 > /proc/sys/vm/drop_caches")
            assert g.out("dd if=/dev/vdb bs=512 skip=5 count=1 2>/dev/null | head -c 16") == "written-by-linux"
            assert g.out("dd if=/dev/vdb bs=512 skip=6 count=1 2>/dev/null | head -c 16") == "BWSECTOR00000006"

        def read_only_refused():
            status, out = g.sh("echo x | dd of=/dev/vda bs=512 seek=1 conv=sync")
            assert status != 0, out

        def images_mounted():
            assert "/images" in g.out("grep ' /images ' /proc/mounts")

        def agent_port_named():
            names = g.out("cat /sys/class/virtio-ports/vport*/name").split()
            assert "org.bulwark.agent.0" in names, names
            assert g.out("ls /dev/hvc0") == "/dev/hvc0"

        def hvc_both_ways():
            g.out("(head -n 1 /dev/hvc0 > /tmp/hvc.in &) ; echo from-guest-on-hvc0 > /dev/hvc0")
            rig.send("\x1d")
            rig.expect(rb"\[detached from linux0\]", 30)
            rig.run("version", 30)
            rig.send("vm console linux0 --hvc\r")
            rig.expect(rb"from-guest-on-hvc0", 30)
            rig.send("typed-on-hvc0\r", pace=0.25)
            time.sleep(3)
            rig.send("\x1d")
            rig.expect(rb"\[detached from linux0\]", 30)
            rig.run("version", 30)
            rig.send("vm console linux0\r")
            time.sleep(2)
            rig.send("\r")
            g.wait_prompt(60)
            assert g.out("cat /tmp/hvc.in") == "typed-on-hvc0"

        def agent_channel():
            rig.send("\x1d")
            rig.expect(rb"\[detached from linux0\]", 30)
            deadline = time.monotonic() + 120
            while True:
                out = rig.run("ct images linux0", 90)
                if "busybox" in out:
                    break
                assert time.monotonic() < deadline, out
                time.sleep(3)

        t.check("linux0 boots with two disks to its shell", boots)
        t.check("/dev/vda and /dev/vdb: size, read-only flag and serial as configured", disks)
        t.check("a sector of the test disk reads as written by the build", read_sector)
        t.check("a sector written, synced and read back from the device", write_sector)
        t.check("a write to the read-only disk fails", read_only_refused)
        t.check("the images disk mounts at /images", images_mounted)
        t.check("virtio-console: /dev/hvc0 and the port named org.bulwark.agent.0", agent_port_named)
        t.check("hvc0 both ways through vm console --hvc", hvc_both_ways)
        t.check("the agent answers ct images over its virtio-console port", agent_channel)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
