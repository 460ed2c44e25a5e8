#!/usr/bin/env python3
# The Linux guest's kernel and initramfs booted directly by QEMU (TCG, 2 CPUs): init brings up
# filesystems, cgroup v2, loopback and a root shell; the ACPI power button and `poweroff`
# both end it cleanly; Debian's stock kernel runs the same initramfs to the shell.
# SPDX-License-Identifier: MIT
import glob
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig  # noqa: E402
from linux_guest import QemuDirectRig, GuestShell, USERSPACE_UP  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

BOOT_TIMEOUT = 240.0
CHECKS = 14


def boot(t, r, name):
    r.start()
    m = r.expect(USERSPACE_UP, BOOT_TIMEOUT)
    sh = GuestShell(r)
    sh.wait_prompt(60)
    t.note("%s: userspace after %.1f s of wall time" % (name, r.time_of(m.start()) or -1))
    return m, sh


def project_kernel(t):
    with QemuDirectRig(tag="linux-direct", smp=2) as r:
        m, sh = boot(t, r, "project kernel")
        t.ok("init reports userspace on 2 CPUs", m.group(1) == b"2", m.group(0))
        t.ok("nproc is 2", sh.out("nproc") == "2")
        mounts = sh.out("cat /proc/mounts")
        want = {"/proc": "proc", "/sys": "sysfs", "/dev": "devtmpfs", "/dev/pts": "devpts",
                "/run": "tmpfs", "/tmp": "tmpfs", "/sys/fs/cgroup": "cgroup2"}
        got = {f[1]: f[2] for f in (l.split() for l in mounts.splitlines()) if len(f) > 2}
        t.ok("the usual filesystems are mounted", all(got.get(k) == v for k, v in want.items()),
             "want %s, got %s" % (want, got))
        t.ok("the root is a tmpfs (pivot_root works for containers)", sh.out("stat -f -c %T /") == "tmpfs")
        lo = sh.out("ip -o link show lo") + sh.out("ip -o -4 addr show lo")
        t.ok("loopback is up with 127.0.0.1", "LOOPBACK" in lo and ",UP" in lo and "127.0.0.1/8" in lo, lo)
        ctl = sh.out("cat /sys/fs/cgroup/cgroup.subtree_control").split()
        t.ok("cgroup v2 delegates cpu, memory, pids and cpuset",
             all(c in ctl for c in ("cpu", "memory", "pids", "cpuset")), ctl)
        t.ok("hostname comes from the init", sh.out("hostname") == "bulwark-guest")
        status, text = sh.sh("false")
        t.ok("a failing command's status reaches the caller", status == 1, text)
        t.ok("acpid answers the power button", sh.sh("pidof acpid")[0] == 0)
        r.monitor("system_powerdown")
        try:
            r.expect(rb"power button pressed, powering off", 60)
            r.expect(rb"reboot: Power down", 60)
            pressed = True
        except rig.RigError as e:
            pressed = e
        t.ok("the ACPI power button powers the guest off", pressed is True, pressed)
        t.ok("QEMU exits after the power-off", r.wait_exit(30) == 0, r.exit_status)


def typed_poweroff(t):
    with QemuDirectRig(tag="linux-direct-poweroff", smp=1) as r:
        m, sh = boot(t, r, "project kernel, 1 CPU")
        t.ok("with 1 vCPU the guest says 1 CPU", m.group(1) == b"1", m.group(0))
        r.send("poweroff\n")
        try:
            r.expect(rb"reboot: Power down", 60)
            ok = r.wait_exit(30) == 0
        except rig.RigError as e:
            ok = e
        t.ok("poweroff at the shell ends the guest", ok is True, ok)


def stock_kernel(t):
    kernels = sorted(glob.glob("/boot/vmlinuz-*"))
    if not kernels:
        t.fail("Debian's stock kernel boots the initramfs", "no /boot/vmlinuz-*: apt-get install linux-image-amd64")
        return
    with QemuDirectRig(tag="linux-direct-stock", kernel=kernels[-1], mem="256M") as r:
        m, sh = boot(t, r, "Debian kernel")
        t.ok("Debian's stock kernel boots the initramfs to the shell", sh.out("uname -r") == m.group(2).decode(),
             m.group(0))


def main():
    watchdog(1200)
    t = Tap(CHECKS)
    for part in (project_kernel, typed_poweroff, stock_kernel):
        try:
            part(t)
        except rig.RigError as e:
            t.fail(part.__name__, e)
    t.exit()


if __name__ == "__main__":
    main()
