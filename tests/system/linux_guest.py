# The Linux guest's shell as a test drives it: boots the project's kernel and initramfs
# (or any kernel with them) and runs commands at its root prompt over a serial socket.
# SPDX-License-Identifier: MIT
import itertools
import os
import re
import shutil
import socket
import subprocess

import rig

BZIMAGE = os.path.join(rig.BUILD, "guests", "linux", "bzImage")
ROOTFS = os.path.join(rig.BUILD, "guests", "linux", "rootfs.cpio.gz")
GUEST_PROMPT = rb"root@[\w.-]+:[^\n#]*# "
USERSPACE_UP = rb"bulwark-guest: userspace up on (\d+) CPUs \(([^)\s]+)\)"


def initrd_plus(tmp, root):
    """TMP/initrd.cpio.gz: rootfs.cpio.gz followed by a gzip'd cpio of the tree ROOT, owned by
    root (Linux unpacks the two in turn, the second over the first)."""
    out = os.path.join(tmp, "initrd.cpio.gz")
    shutil.copy(ROOTFS, out)
    files = subprocess.run("cd %s && find . | sort" % root, shell=True, capture_output=True, check=True).stdout
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0", "-D", root],
                          input=files, capture_output=True, check=True).stdout
    with open(out, "ab") as f:
        f.write(subprocess.run(["gzip", "-9"], input=cpio, capture_output=True, check=True).stdout)
    return out


class GuestShell:
    """Commands at the guest's root shell, over any rig's byte stream (QEMU directly, or
    `vm console` at the hypervisor). Each command's exit status comes back with its output."""

    # Markers are unique in the whole run: `vm console` replays what the guest printed before,
    # earlier shells' markers included.
    _tags = itertools.count(1)

    def __init__(self, r, newline="\n", timeout=30.0):
        self.r, self.nl, self.timeout = r, newline, timeout

    def wait_prompt(self, timeout):
        self.r.expect(GUEST_PROMPT, timeout)

    def sh(self, cmd, timeout=None):
        """Runs `cmd` in the guest's shell; returns (status, output without the echo)."""
        timeout = timeout or self.timeout
        tag = "__bw%d_" % next(GuestShell._tags)
        # The shell prints TAG"S" before the command's output and TAG<status>__ after it. Both
        # markers are split by quotes in the typed line, so its echo (which the shell's line
        # editor may fold anywhere at 80 columns) never matches them.
        typed = "echo %s\"\"S; %s; echo %s\"\"$?__" % (tag, cmd, tag)
        with self.r.cond:
            self.r.pos = len(self.r.buf)
        self.r.send(typed + self.nl)
        m = self.r.expect((r"%sS\r?\n(.*?)%s(\d+)__\r?\n" % (re.escape(tag), re.escape(tag))).encode(), timeout)
        out = rig.clean(m.group(1))
        self.wait_prompt(timeout)
        return int(m.group(2)), out.replace("\r", "").strip("\n")

    def out(self, cmd, timeout=None):
        status, text = self.sh(cmd, timeout)
        if status != 0:
            raise rig.RigError("guest command %r failed with status %d: %r" % (cmd, status, text[-300:]))
        return text


class QemuDirectRig(rig.QemuRig):
    """QEMU's own loader boots a kernel and initramfs directly (-kernel/-initrd): the yardstick
    the Linux guest is held to under Bulwark. A QMP-free human monitor on a socket gives the
    ACPI power button (system_powerdown)."""

    name = "qemu-linux"

    def __init__(self, kernel=BZIMAGE, initrd=ROOTFS, append="", mem="128M", **kw):
        super().__init__(mem=mem, **kw)
        rig.need_image(kernel)
        rig.need_image(initrd)
        self.kernel, self.initrd = kernel, initrd
        self.append = ("console=ttyS0 " + append).strip()
        self.monitor_path = os.path.join(self.tmp, "monitor.sock")

    def command(self):
        argv = self.base_command()
        i = argv.index("-monitor")
        argv[i + 1] = "unix:%s,server=on,wait=off" % self.monitor_path
        return argv + ["-kernel", self.kernel, "-initrd", self.initrd, "-append", self.append]

    def monitor(self, line, timeout=10.0):
        """Runs one human-monitor command; returns once QEMU has answered it (its next prompt)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.monitor_path)
            s.settimeout(timeout)
            got = b""
            while got.count(b"(qemu) ") < 1:  # the banner ends with the first prompt
                got += s.recv(4096) or b"(qemu) "
            s.sendall((line + "\r\n").encode())
            while got.count(b"(qemu) ") < 2:
                data = s.recv(4096)
                if not data:
                    break
                got += data
            return rig.clean(got)
