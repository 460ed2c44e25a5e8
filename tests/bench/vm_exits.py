#!/usr/bin/python3
# Benchmark: VM exit cost and hypervisor memory per VM, side by side for AMD-V (QEMU) and VT-x (Bochs).
# SPDX-License-Identifier: MIT
"""Figures only, never a pass/fail on time. Both rigs are emulators: the absolute numbers
describe the emulator; the ratios between exit kinds and the memory figures carry over."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import rig as R  # noqa: E402

LOOP_RE = re.compile(r"(\w+): (\d+) exits in (\d+) cycles\r?\n")
MiB = 1 << 20

RIGS = [
    ("AMD-V (QEMU TCG)", lambda: R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="bench_vm_svm"), 1, True),
    ("VT-x (Bochs)", lambda: R.BochsRig(cpus=2, megs=1024, tag="bench_vm_vmx"), 8, False),
]


def exit_figures(rig, image, reason, seconds, words=""):
    name = image.split(".")[0]
    rig.run("vm create %s image=%s mem=2M cpus=1 %s" % (name, image, words), 120)
    rig.run("vm start %s" % name, 120)
    s0, t0 = rig.run_json("vm stats %s --json" % name, 120), time.monotonic()
    time.sleep(seconds)
    s1, t1 = rig.run_json("vm stats %s --json" % name, 120), time.monotonic()
    text = rig.run("vm output %s -n 20000" % name, 120)
    rig.run("vm kill %s" % name, 120)
    rig.run("vm destroy %s" % name, 120)
    batches = [(int(n), int(c)) for _, n, c in LOOP_RE.findall(text)]
    batches = batches[1:] or batches  # the first batch warms up, when there are more
    per_exit = sum(c for _, c in batches) / max(1, sum(n for n, _ in batches)) if batches else float("nan")
    rate = (s1["exits_by_reason"][reason] - s0["exits_by_reason"][reason]) / (t1 - t0)
    return rate, per_exit


def memory_per_vm(rig):
    m0 = rig.run_json("mem --json", 120)
    rig.run("vm create m1 image=hello.elf mem=2M", 120)
    m1 = rig.run_json("mem --json", 120)
    rig.run("vm destroy m1", 120)
    frames = (m0["free_bytes"] - m1["free_bytes"]) - 2 * MiB
    heap = m1["heap"]["used_bytes"] - m0["heap"]["used_bytes"]
    return frames, heap


def most_hello_guests(rig):
    n = 0
    while True:
        out = rig.run("vm create fill%d image=hello.elf mem=2M" % n, 120)
        if "created vm" not in out:
            reason = out.strip().splitlines()[-1] if out.strip() else "?"
            break
        rig.run("vm start fill%d" % n, 120)
        n += 1
    running = sum(1 for v in rig.run_json("vm list --json", 120) if v["state"] == "running")
    return n, running, reason


def main():
    for label, make, slow, fill in RIGS:
        print("== %s" % label, flush=True)
        try:
            with make().start() as rig:
                rig.boot()
                for image, reason, words in (("cpuid_loop.elf", "cpuid", ""), ("io_loop.elf", "io", ""),
                                             ("mmio_loop.elf", "mmio", "mmio_test=yes")):
                    rate, per = exit_figures(rig, image, reason, 10 * slow, words)
                    print("  %-6s exits: %9.0f per second of wall time; %8.0f guest TSC cycles per round trip"
                          % (reason, rate, per), flush=True)
                frames, heap = memory_per_vm(rig)
                print("  hypervisor memory per 1-vCPU VM: %d KiB of frames (tables, control blocks) + %d KiB heap"
                      % (frames // 1024, heap // 1024), flush=True)
                if fill:
                    n, running, why = most_hello_guests(rig)
                    print("  hello guests (2 MiB each) created in a 1 GiB machine: %d, %d running; stopped by: %s"
                          % (n, running, why), flush=True)
                rig.poweroff(120)
        except R.RigError as e:
            print("  not measured: %s" % e, flush=True)


main()
