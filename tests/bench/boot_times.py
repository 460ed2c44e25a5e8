#!/usr/bin/python3
# Benchmark: wall time from emulator start to the first serial byte, the kernel's first line,
# the banner and the prompt, under QEMU/OVMF, QEMU/GRUB and Bochs; idle memory from `mem --json`.
# SPDX-License-Identifier: MIT
"""Prints figures only; a rig that cannot run prints why and the others go on."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import rig as R  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
KERNEL_FIRST = r"\[\s*\d+\.\d+\] "  # the kernel's first log line on COM1
BANNER = r"Bulwark \d+\.\d+\.\d+, booted via"

RIGS = [
    ("qemu-ovmf", lambda: R.QemuOvmfRig(cpu="max", smp=2, mem="512M", tag="bench_ovmf")),
    ("qemu-grub", lambda: R.QemuGrubRig(cpu="max", smp=2, mem="512M", tag="bench_grub")),
    ("bochs", lambda: R.BochsRig(cpus=2, megs=256, tag="bench_bochs")),
]


def one_boot(make):
    rig = make()
    try:
        rig.start()
        k = rig.expect(KERNEL_FIRST, rig.boot_timeout)
        b = rig.expect(BANNER, 30)
        p = rig.expect(R.PROMPT_RE, 30)
        times = {"first serial byte": rig.first_byte_time(), "kernel first line": rig.time_of(k.start()),
                 "banner": rig.time_of(b.start()), "prompt": rig.time_of(p.end() - 1)}
        mem = rig.run_json("mem --json")
        rig.poweroff(60)
        return times, mem
    finally:
        rig.close()


def fmt(values):
    values = sorted(values)
    mid = values[len(values) // 2]
    return "%.2f s (min %.2f, max %.2f)" % (mid, values[0], values[-1]) if len(values) > 1 else "%.2f s" % mid


def main():
    print("boot times: median of %d runs from emulator start (COM1 on a socket)" % RUNS)
    for name, make in RIGS:
        runs = RUNS if name != "bochs" else max(1, RUNS // 2)
        results, mem = [], None
        for _ in range(runs):
            try:
                times, mem = one_boot(make)
                results.append(times)
            except R.RigError as e:
                print("%-10s could not be measured: %s" % (name, e))
                break
        if not results:
            continue
        for key in results[0]:
            print("%-10s %-18s %s" % (name, key, fmt([r[key] for r in results])))
        if mem:
            h = mem["heap"]
            print("%-10s idle memory: %d KiB used of %d KiB usable (free %d KiB); heap %d KiB in use, "
                  "%d KiB taken of a %d KiB region" % (
                      name, mem["used_bytes"] >> 10, mem["usable_bytes"] >> 10, mem["free_bytes"] >> 10,
                      h["used_bytes"] >> 10, h["arena_bytes"] >> 10, h["size_bytes"] >> 10))
    return 0


if __name__ == "__main__":
    sys.exit(main())
