#!/usr/bin/env python3
# Benchmark: the Linux guest's boot to init's first userspace line, side by side in one run:
# the kernel and initramfs booted directly by QEMU TCG (2 CPUs, 128 MiB: the yardstick), and the
# same images as a 2-vCPU VM under Bulwark on the AMD-V rig (QEMU TCG, nested), from `vm start`'s
# Enter to the line. Also: the VM's exits to userspace, the hypervisor memory a 128 MiB VM costs
# beyond its RAM, and the smallest RAM the guest reaches its shell with. Figures only; never
# fails on a time.
# SPDX-License-Identifier: MIT
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from linux_guest import QemuDirectRig, USERSPACE_UP  # noqa: E402

RUNS = int(os.environ.get("LINUX_BOOT_RUNS", "3"))
MIB = 1 << 20


def direct(i):
    with QemuDirectRig(tag="bench-linux-direct-%d" % i, smp=2) as r:
        r.start()
        m = r.expect(USERSPACE_UP, 300)
        return r.time_of(m.start())


def create(rig, name, mem, vcpus=2):
    out = rig.run('vm create %s kernel=bzImage initrd=rootfs.cpio.gz cmdline="console=ttyS0" mem=%dM vcpus=%d'
                  % (name, mem, vcpus), 60)
    if "created vm" not in out:
        raise R.RigError(out)


def boot_to_userspace(rig, name, timeout=600):
    """`vm start NAME`, attached: seconds from the Enter to init's banner, or None."""
    rig.drain()
    with rig.cond:
        rig.pos = len(rig.buf)
    t0 = time.monotonic()
    rig.send("vm start %s\r" % name)
    rig.expect(r"is running", 60)
    rig.send("vm console %s\r" % name)
    try:
        m = rig.expect(USERSPACE_UP, timeout)
    except R.RigError:
        m = None
    took = None if m is None else rig.time_of(m.start()) + rig.t_start - t0
    rig.send(V.DETACH)
    rig.expect(r"detached from", 60)
    rig.expect(R.PROMPT_RE, 60)
    return took


def under_bulwark(rig, i):
    free0 = rig.run_json("info --json", 60)["free_bytes"]
    create(rig, "bench%d" % i, 128)
    free1 = rig.run_json("info --json", 60)["free_bytes"]
    took = boot_to_userspace(rig, "bench%d" % i)
    exits = V.vm_list(rig)["bench%d" % i]["exits"]
    rig.run("vm destroy bench%d" % i, 60)
    return took, exits, free0 - free1 - 128 * MIB


def smallest_ram(rig):
    """The smallest RAM (MiB, in steps of 8 down from 64) that still reaches the shell."""
    best = None
    for mem in (64, 56, 48, 40, 32, 24):
        create(rig, "small", mem)
        ok = boot_to_userspace(rig, "small", 300) is not None
        rig.run("vm destroy small", 60)
        if not ok:
            break
        best = mem
    return best


def main():
    times = [direct(i) for i in range(RUNS)]
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="bench-linux-bulwark").start() as rig:
        rig.boot()
        for name in ("hello1", "hello2"):
            rig.run("vm pause %s" % name, 60)
        runs = [under_bulwark(rig, i) for i in range(RUNS)]
        small = smallest_ram(rig)
    ok = [r for r in runs if r[0] is not None]
    d = statistics.median(times)
    print("linux guest, QEMU TCG direct boot (-kernel, 2 CPUs, 128 MiB): userspace after "
          "%.2f s median (%s)" % (d, ", ".join("%.2f" % x for x in times)))
    if ok:
        b = statistics.median(r[0] for r in ok)
        print("linux guest under Bulwark (AMD-V rig, nested TCG, 2 vCPUs, 128 MiB), vm start to userspace: "
              "%.2f s median (%s); %.2fx the direct boot" % (b, ", ".join("%.2f" % r[0] for r in ok), b / d))
        print("linux guest under Bulwark: %d exits to userspace (median of %d boots)"
              % (statistics.median(r[1] for r in ok), len(ok)))
    print("linux guest under Bulwark: %d of %d boots reached userspace" % (len(ok), len(runs)))
    print("hypervisor memory per 128 MiB VM beyond its RAM: %d KiB" % (statistics.median(r[2] for r in runs) // 1024))
    print("smallest RAM the Linux guest reaches its shell with: %s" % ("%d MiB" % small if small else "none of 64..24 MiB"))
    size = os.path.getsize(os.path.join(os.path.dirname(QemuDirectRig.__init__.__defaults__[0]), "bzImage"))
    print("linux guest bzImage: %d KiB" % (size // 1024))


if __name__ == "__main__":
    main()
