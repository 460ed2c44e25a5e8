#!/usr/bin/env python3
# Benchmark: containers from the hypervisor's console (AMD-V rig, QEMU/OVMF, one Linux VM of
# 256 MiB and 1 vCPU with the real agent). Figures only; never fails on a time.
#   1. `ct run linux0 xN busybox -- true`, from the command's Enter (typed once its echo is back)
#      to the next prompt, 20 in a row, three rounds each followed by the in-guest runs, against `bwrun run` of the same bundle inside the same guest (timed in the guest with
#      /proc/uptime), in the same run; the ratio (goal <= 1.2x), `bwrun run -d` (what the agent
#      runs) and `bwrun create` + `bwrun start` by hand, and a `ct list` round trip (the console,
#      virtio-console and agent path without bwrun).
#      A `ct list` round trip also with the VM's vCPU on the other CPU than the console's: the
#      console waits halted there and the agent's answer must wake it.
#   2. The guest RAM in use (MemTotal - MemAvailable) with one busybox container running (goal
#      <= 64 MiB).
#   3. Density: busybox `sleep` containers started one after another until the first failure
#      (the count and what failed), bounded by DENSITY_MAX and DENSITY_S.
# SPDX-License-Identifier: MIT
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import rig as R  # noqa: E402
import ct_checks as C  # noqa: E402

RUNS = int(os.environ.get("CT_BENCH_RUNS", "20"))
ROUNDS = int(os.environ.get("CT_BENCH_ROUNDS", "3"))
DENSITY_MAX = int(os.environ.get("CT_BENCH_DENSITY_MAX", "400"))
DENSITY_S = float(os.environ.get("CT_BENCH_DENSITY_S", "1200"))
MEM_MIB = 256


def timed(rig, cmd, timeout=120):
    """Seconds from the Enter after `cmd` to the next prompt: the command is typed first and its
    echo waited for, so the time is the command's, not the typing's."""
    with rig.cond:
        rig.pos = len(rig.buf)
    rig.send(cmd)
    rig.expect(re.escape(cmd[-12:]), 30)
    t0 = time.monotonic()
    rig.send(R.ENTER)
    m = rig.expect(r"\n", timeout)
    p = rig.expect(R.PROMPT_RE, timeout)
    took = time.monotonic() - t0
    return took, R.clean(bytes(rig.buf[m.end():p.start()]))


def per_run(out):
    """Seconds per run from a guest loop's "runs=N t0=UPTIME t1=UPTIME" line."""
    fields = dict(w.split("=", 1) for w in out.split() if "=" in w and w.split("=", 1)[0] in ("runs", "t0", "t1"))
    assert int(fields.get("runs", 0)) == RUNS, out
    return (float(fields["t1"]) - float(fields["t0"])) / RUNS


def detached_loop(start, prefix):
    """A guest shell loop timing RUNS containers started by `start` (detached, not waited; $i is
    the container's number, named PREFIX$i), then deleting them."""
    return ("t0=$(cut -d' ' -f1 /proc/uptime); i=0; "
            "while [ $i -lt %d ]; do %s || break; i=$((i+1)); done; "
            "t1=$(cut -d' ' -f1 /proc/uptime); echo runs=$i t0=$t0 t1=$t1; sleep 1; "
            "i=0; while [ $i -lt %d ]; do bwrun delete -f %s$i; i=$((i+1)); done" % (RUNS, start, RUNS, prefix))


def mem_used_kib(rig):
    out = C.inside(rig, "linux0", "awk '/^MemTotal:/ {t=$2} /^MemAvailable:/ {a=$2} END {print t-a}' /proc/meminfo")
    return int(out.split()[-1])


def start_linux0(rig, extra=""):
    assert "created vm" in rig.run("vm create linux0 " + C.LINUX_VMCFG % ("linux0", MEM_MIB, 1) + extra, 60)
    assert "is running" in rig.run("vm start linux0", 60)
    C.wait_agent(rig, "linux0")


def main():
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="bench-ct-qemu").start() as rig:
        rig.boot()
        for name in ("hello1", "hello2"):
            rig.run("vm pause %s" % name, 60)
        # The console runs on CPU 0; linux0's one vCPU on CPU 1 first, then on CPU 0 for the rest.
        start_linux0(rig, " cpus=1")
        other = [timed(rig, "ct list linux0")[0] for _ in range(10)]
        print("ct list round trip, the VM on the other CPU than the console's: %.1f ms median (max %.1f)"
              % (statistics.median(other) * 1e3, max(other) * 1e3))
        rig.run("vm kill linux0", 60)
        rig.run("vm destroy linux0", 60)
        start_linux0(rig, " cpus=0")

        # The first run imports the image; it is not counted.
        took, out = timed(rig, "ct run linux0 warm busybox -- true")
        assert "is running" in out or "exited" in out, out
        C.wait_exit(rig, "linux0", "warm")
        C.ct(rig, "rm linux0 warm")
        print("first ct run (imports the busybox image): %.0f ms" % (took * 1e3))

        lists = [timed(rig, "ct list linux0")[0] for _ in range(10)]
        C.inside(rig, "linux0",
                 "mkdir -p /tmp/b && cp /run/bulwark-agent/images/busybox/config.json /tmp/b/ && "
                 "ln -sf /run/bulwark-agent/images/busybox/rootfs /tmp/b/rootfs && "
                 "sed -i 's/\"sh\"/\"true\"/' /tmp/b/config.json && echo bundle ready")
        # ROUNDS times: RUNS ct runs in a row, then RUNS in-guest runs of the same bundle (create,
        # start, wait, delete), so that both see the same state of the emulator and the guest.
        rounds, runs = [], []
        for r in range(ROUNDS):
            these = []
            for i in range(RUNS):
                took, out = timed(rig, "ct run linux0 x%d busybox -- true" % i)
                assert "is running" in out, out
                these.append(took)
            for i in range(RUNS):
                C.wait_exit(rig, "linux0", "x%d" % i)
                C.ct(rig, "rm linux0 x%d" % i)
            direct = per_run(C.inside(rig, "linux0",
                                      "t0=$(cut -d' ' -f1 /proc/uptime); i=0; "
                                      "while [ $i -lt %d ]; do bwrun run -b /tmp/b bench$i || break; i=$((i+1)); done; "
                                      "t1=$(cut -d' ' -f1 /proc/uptime); echo runs=$i t0=$t0 t1=$t1" % RUNS, 600))
            rounds.append((statistics.median(these), direct))
            runs += these
        # What the agent ran for `ct run` before: bwrun create, then bwrun start (two processes).
        split = per_run(C.inside(rig, "linux0", detached_loop(
            "bwrun create -b /tmp/b cs$i </dev/null >/dev/null 2>&1 && bwrun start cs$i", "cs"), 600))
        # What the agent runs for `ct run` now: one bwrun run -d.
        detached = per_run(C.inside(rig, "linux0", detached_loop(
            "bwrun run -d -b /tmp/b rd$i </dev/null >/dev/null 2>&1", "rd"), 600))
        med = statistics.median(runs)
        direct = statistics.median(d for _, d in rounds)
        ratio = statistics.median(c / d for c, d in rounds)
        for k, (c, d) in enumerate(rounds):
            print("round %d: ct run %.0f ms median over %d, in-guest bwrun run %.0f ms per run over %d: %.2fx"
                  % (k + 1, c * 1e3, RUNS, d * 1e3, RUNS, c / d))
        print("ct run linux0 xN busybox -- true, Enter to prompt: %.0f ms median (min %.0f, max %.0f, mean %.0f) "
              "over %d" % (med * 1e3, min(runs) * 1e3, max(runs) * 1e3, statistics.mean(runs) * 1e3, len(runs)))
        print("bwrun run of the same bundle in the guest (create, start, wait, delete): %.0f ms per run (median "
              "of %d rounds)" % (direct * 1e3, ROUNDS))
        print("ct run / in-guest bwrun run: %.2fx, the median of the rounds' ratios (goal <= 1.2x)" % ratio)
        print("bwrun run -d in the guest (what the agent runs for ct run, not waited): %.0f ms per container; "
              "ct run / that: %.2fx" % (detached * 1e3, med / detached))
        print("bwrun create + bwrun start in the guest (two processes, what the agent ran before run -d): %.0f ms "
              "per container" % (split * 1e3))
        print("ct list round trip, the VM on the console's CPU (console, virtio-console, agent; no bwrun): "
              "%.1f ms median (max %.1f)" % (statistics.median(lists) * 1e3, max(lists) * 1e3))

        # Memory with one busybox container running.
        base = mem_used_kib(rig)
        assert "is running" in C.ct(rig, "run linux0 idle busybox -- sleep 100000")
        one = mem_used_kib(rig)
        print("guest RAM in use (MemTotal - MemAvailable) in a %d MiB VM: %.1f MiB with no container, "
              "%.1f MiB with one busybox container running (goal <= 64 MiB)" % (MEM_MIB, base / 1024, one / 1024))

        # Density: sleep containers until the first failure.
        n, failed, t0 = 1, None, time.monotonic()  # `idle` is the first
        while n < DENSITY_MAX and time.monotonic() - t0 < DENSITY_S:
            out = C.ct(rig, "run linux0 s%d busybox -- sleep 100000" % n, 120)
            if "is running" not in out:
                failed = out.strip().splitlines()[0] if out.strip() else "(no output)"
                break
            n += 1
        if failed:
            print("density: %d busybox sleep containers running in a %d MiB VM; the next failed: %s"
                  % (n, MEM_MIB, failed))
        else:
            print("density: %d busybox sleep containers running in a %d MiB VM with no failure (stopped at the "
                  "bench's bound: %d containers or %.0f s)" % (n, MEM_MIB, DENSITY_MAX, DENSITY_S))
        print("density: %.0f s to start them; guest RAM in use then %.1f MiB" % (time.monotonic() - t0,
                                                                                mem_used_kib(rig) / 1024))
        rig.run("vm kill linux0", 60)
        rig.run("vm destroy linux0", 60)
        rig.poweroff(60)


if __name__ == "__main__":
    main()
