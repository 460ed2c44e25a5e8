#!/usr/bin/env python3
# Benchmark: the Linux guest's boot, from the emulator's start to init's first userspace line,
# with the kernel and initramfs booted directly by QEMU TCG (2 CPUs): the yardstick for the
# same images under Bulwark. Figures only; never fails on a time.
# SPDX-License-Identifier: MIT
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from linux_guest import QemuDirectRig, USERSPACE_UP  # noqa: E402

RUNS = int(os.environ.get("LINUX_BOOT_RUNS", "3"))


def one(i):
    with QemuDirectRig(tag="bench-linux-direct-%d" % i, smp=2) as r:
        r.start()
        m = r.expect(USERSPACE_UP, 300)
        return r.time_of(m.start())


def main():
    times = [one(i) for i in range(RUNS)]
    print("linux guest, QEMU TCG direct boot (-kernel, 2 CPUs, 128 MiB): userspace after "
          "%.2f s median (%s)" % (statistics.median(times), ", ".join("%.2f" % x for x in times)))
    size = os.path.getsize(os.path.join(os.path.dirname(QemuDirectRig.__init__.__defaults__[0]), "bzImage"))
    print("linux guest bzImage: %d KiB" % (size // 1024))


if __name__ == "__main__":
    main()
