#!/usr/bin/env python3
# Benchmark: the guest agent in the Linux guest (the project's kernel and initramfs, QEMU TCG,
# 2 CPUs, the agent on /dev/ttyS1): 20 busybox `true` containers through the agent (run until the
# exited event, then delete) against 20 `bwrun run` of the same image inside the same guest, and
# the agent's own memory. Figures only; never fails on a time.
# SPDX-License-Identifier: MIT
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import agent_suite  # noqa: E402
from agent_qemu import images_initrd  # noqa: E402
from linux_guest import QemuDirectRig, ROOTFS  # noqa: E402

RUNS = int(os.environ.get("AGENT_BENCH_RUNS", "20"))


def uptime(sh):
    return float(sh.out("cut -d' ' -f1 /proc/uptime"))


def main():
    with QemuDirectRig(tag="bench-agent-qemu", smp=2, mem="256M", initrd=ROOTFS,
                       append="bulwark.agent.channel=/dev/ttyS1") as r:
        r.initrd = images_initrd(r.tmp)
        a, sh = agent_suite.boot_with_channel(r, agent_suite.SERIAL_PORT)
        a.event("ready", timeout=60)
        a.ok("hello", {"protocol": 1})
        # the first run imports the image; it is not counted
        a.ok("run", {"name": "warm", "image": "busybox", "args": ["true"]}, 120)
        a.event("exited", lambda d: d["name"] == "warm", 60)
        a.ok("delete", {"name": "warm"})
        runs, deletes = [], []
        for i in range(RUNS):
            n = "b%d" % i
            t0 = time.monotonic()
            a.ok("run", {"name": n, "image": "busybox", "args": ["true"]}, 60)
            a.event("exited", lambda d: d["name"] == n, 60)
            t1 = time.monotonic()
            a.ok("delete", {"name": n})
            runs.append(t1 - t0)
            deletes.append(time.monotonic() - t1)
        # the same image and process with bwrun in the guest (run waits for it and deletes it)
        sh.out("mkdir -p /tmp/b && cp /run/bulwark-agent/images/busybox/config.json /tmp/b/ && "
               "ln -sf /run/bulwark-agent/images/busybox/rootfs /tmp/b/rootfs && "
               "sed -i 's/\"sh\"/\"true\"/' /tmp/b/config.json")
        t0 = uptime(sh)
        sh.out("i=0; while [ $i -lt %d ]; do bwrun run -b /tmp/b bench$i || exit 1; i=$((i+1)); done" % RUNS, 600)
        direct = (uptime(sh) - t0) / RUNS
        agent_total = [x + y for x, y in zip(runs, deletes)]
        print("agent, run of busybox `true` to its exited event: %.0f ms median (min %.0f, max %.0f) over %d"
              % (statistics.median(runs) * 1e3, min(runs) * 1e3, max(runs) * 1e3, RUNS))
        print("agent, run + exited + delete: %.0f ms median" % (statistics.median(agent_total) * 1e3))
        print("bwrun run in the same guest (create, start, wait, delete): %.0f ms per run over %d"
              % (direct * 1e3, RUNS))
        print("agent path / in-guest bwrun run: %.2fx" % (statistics.median(agent_total) / direct))
        a.ok("run", {"name": "idle", "image": "busybox", "args": ["sleep", "1000"]}, 60)
        rss = sh.out("awk '/^VmRSS/ {print $2}' /proc/$(pidof bulwark-agent)/status").split()[-1]
        used = sh.out("free -k | awk '/Mem:/ {print $3}'")
        print("agent RSS: %s KiB; guest memory in use with one busybox container running: %d MiB"
              % (rss, int(used) // 1024))


if __name__ == "__main__":
    main()
