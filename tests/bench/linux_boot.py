#!/usr/bin/env python3
# Benchmark: the Linux guest's boot to init's first userspace line, side by side in one run:
# the kernel and initramfs booted directly by QEMU TCG (2 CPUs, 128 MiB: the yardstick), and the
# same images as a 2-vCPU VM under Bulwark on the AMD-V rig (QEMU TCG, nested), from `vm start`'s
# Enter to the line. Also: the VM's exits to userspace, the hypervisor memory a 128 MiB VM costs
# beyond its RAM, and the smallest RAM the guest reaches its shell with. Figures only; never
# fails on a time. Two command lines, each booted both ways: the full boot log on ttyS0, and a
# quiet one (`quiet`: the kernel prints warnings only). Linux's 8250 console writes its log one
# character at a time with an LSR poll before each (serial8250_console_putchar; its FIFO path
# waits for an opened tty), so under a hypervisor every byte of the log is two port exits: the
# pair of rows shows what the log costs and what the rest of the platform costs.
# SPDX-License-Identifier: MIT
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from linux_guest import BZIMAGE, QemuDirectRig, USERSPACE_UP  # noqa: E402

RUNS = int(os.environ.get("LINUX_BOOT_RUNS", "3"))
MIB = 1 << 20
# (label, what follows console=ttyS0): QemuDirectRig puts console=ttyS0 first; `vm create` gets the same line.
CMDLINES = (("full boot log", ""), ("quiet", "quiet"))


# The kernel's first line on its console (printk at KERN_NOTICE: `quiet` leaves it out). The
# direct boot's clock starts with QEMU, so it includes QEMU's firmware and its Linux loader; the
# time from this line to userspace is the kernel's and init's alone, on both sides.
KERNEL_BANNER = rb"Linux version \d"


def cmdline_of(extra):
    return ("console=ttyS0 " + extra).strip()


def banner_time(rig, start, end):
    """When the kernel's banner arrived (rig-relative seconds), if it is in rig.buf[start:end]."""
    with rig.cond:
        m = re.compile(KERNEL_BANNER).search(bytes(rig.buf[start:end]))
    return None if m is None else rig.time_of(start + m.start())


def direct(i, extra):
    """(seconds from QEMU's start to userspace, seconds from the kernel's banner to userspace or None)."""
    with QemuDirectRig(tag="bench-linux-direct-%d" % i, smp=2, append=extra) as r:
        r.start()
        m = r.expect(USERSPACE_UP, 300)
        up, banner = r.time_of(m.start()), banner_time(r, 0, m.start())
        return up, None if banner is None else up - banner


def destroy(rig, name):
    """`vm destroy` takes a stopped VM: the paused or running one is killed first."""
    rig.run("vm kill %s" % name, 60)
    out = rig.run("vm destroy %s" % name, 60)
    if "destroyed" not in out:
        raise R.RigError(out)


def create(rig, name, mem, extra="", vcpus=2):
    out = rig.run('vm create %s kernel=bzImage initrd=rootfs.cpio.gz cmdline="%s" mem=%dM vcpus=%d'
                  % (name, cmdline_of(extra), mem, vcpus), 60)
    if "created vm" not in out:
        raise R.RigError(out)


def boot_to_userspace(rig, name, timeout=600):
    """`vm start NAME`, attached: seconds from the Enter to init's banner (None if it never came),
    then the VM paused at once and `vm stats` taken: exits from the start to the pause, and the
    seconds the pause came after the banner (exits in that lag are the idle shell's)."""
    rig.drain()
    with rig.cond:
        rig.pos = start = len(rig.buf)
    t0 = time.monotonic()
    rig.send("vm start %s\r" % name)
    rig.expect(r"is running", 60)
    rig.send("vm console %s\r" % name)
    try:
        m = rig.expect(USERSPACE_UP, timeout)
    except R.RigError:
        m = None
    took = None if m is None else rig.time_of(m.start()) + rig.t_start - t0
    banner = None if m is None else banner_time(rig, start, m.start())
    after_banner = None if banner is None else rig.time_of(m.start()) - banner
    rig.send(V.DETACH)
    rig.expect(r"detached from", 60)
    rig.expect(R.PROMPT_RE, 60)
    rig.run("vm pause %s" % name, 60)
    lag = None if took is None else time.monotonic() - t0 - took
    return took, rig.run_json("vm stats %s --json" % name, 60), lag, after_banner


def under_bulwark(rig, i, extra):
    m0 = rig.run_json("mem --json", 60)
    create(rig, "bench%d" % i, 128, extra)
    m1 = rig.run_json("mem --json", 60)
    took, stats, lag, after_banner = boot_to_userspace(rig, "bench%d" % i)
    m2 = rig.run_json("mem --json", 60)
    destroy(rig, "bench%d" % i)
    frames = lambda a, b: a["free_bytes"] - b["free_bytes"] - 128 * MIB  # noqa: E731
    heap = lambda a, b: b["heap"]["used_bytes"] - a["heap"]["used_bytes"]  # noqa: E731
    return {"took": took, "stats": stats, "lag": lag, "after_banner": after_banner, "frames_create": frames(m0, m1),
            "frames_boot": frames(m0, m2), "heap_create": heap(m0, m1), "heap_boot": heap(m0, m2)}


def smallest_ram(rig):
    """The smallest RAM (MiB) of the steps below that still reaches the shell: a size `vm create`
    refuses (the kernel's image needs more) or that never reaches userspace ends the search."""
    best = None
    for mem in (64, 56, 48, 44, 40, 36):
        try:
            create(rig, "small", mem)
        except R.RigError as e:
            print("# %d MiB refused: %s" % (mem, str(e).strip().splitlines()[-1]))
            break
        ok = boot_to_userspace(rig, "small", 300)[0] is not None
        destroy(rig, "small")
        if not ok:
            break
        best = mem
    return best


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def report_boots(label, extra, direct_boots, runs):
    ok = [r for r in runs if r["took"] is not None]
    times = [up for up, _ in direct_boots]
    d = median(times)
    print("linux guest, %s (cmdline \"%s\")" % (label, cmdline_of(extra)))
    print("  QEMU TCG direct boot (-kernel, 2 CPUs, 128 MiB): userspace after "
          "%.2f s median (%s), counted from QEMU's start" % (d, ", ".join("%.2f" % x for x in times)))
    if ok:
        b = median([r["took"] for r in ok])
        print("  under Bulwark (AMD-V rig, nested TCG, 2 vCPUs, 128 MiB), vm start to userspace: "
              "%.2f s median (%s); %.2fx the direct boot (goal 1.25x)" % (b, ", ".join("%.2f" % r["took"] for r in ok), b / d))
        print("  under Bulwark: %d exits from vm start to userspace (median of %d boots; goal < 20000), "
              "counted up to a pause %.1f s after the banner" % (median([r["stats"]["exits"] for r in ok]), len(ok),
                                                              median([r["lag"] for r in ok])))
        direct_k = [k for _, k in direct_boots if k is not None]
        under_k = [r["after_banner"] for r in ok if r["after_banner"] is not None]
        if direct_k and under_k:
            print("  from the kernel's banner to userspace: direct %.2f s, under Bulwark %.2f s (medians); %.2fx"
                  % (median(direct_k), median(under_k), median(under_k) / median(direct_k)))
        reasons = sorted(ok[0]["stats"]["exits_by_reason"].items(), key=lambda kv: -kv[1])
        print("  under Bulwark: exits by reason (first boot): " +
              ", ".join("%s %d" % kv for kv in reasons if kv[1]))
    print("  under Bulwark: %d of %d boots reached userspace" % (len(ok), len(runs)))


def report(boots, small):
    for label, extra, times, runs in boots:
        report_boots(label, extra, times, runs)
    runs = boots[0][3]
    print("hypervisor memory per 128 MiB VM beyond its RAM: frames %d KiB at create, %d KiB after its boot; "
          "heap %d KiB at create, %d KiB after its boot" % tuple(
              median([r[k] for r in runs]) // 1024 for k in ("frames_create", "frames_boot", "heap_create", "heap_boot")))
    if small is not False:  # False: not searched (LINUX_BOOT_SMALLEST=0)
        print("smallest RAM the Linux guest reaches its shell with: %s" % ("%d MiB" % small if small else "none of 64..36 MiB"))
    print("linux guest bzImage: %d KiB" % (os.path.getsize(BZIMAGE) // 1024))


def main():
    # Direct boots first, one after another (each QEMU alone on the machine), then the Bulwark rig.
    times = [[direct(i, extra) for i in range(RUNS)] for _, extra in CMDLINES]
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="bench-linux-bulwark").start() as rig:
        rig.boot()
        for name in ("hello1", "hello2"):
            rig.run("vm pause %s" % name, 60)
        runs = [[under_bulwark(rig, i, extra) for i in range(RUNS)] for _, extra in CMDLINES]
        small = smallest_ram(rig) if os.environ.get("LINUX_BOOT_SMALLEST", "1") != "0" else False
    report([(label, extra, times[k], runs[k]) for k, (label, extra) in enumerate(CMDLINES)], small)


if __name__ == "__main__":
    main()
