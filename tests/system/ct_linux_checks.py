# Containers in the Linux guest, run from the hypervisor's console with `ct`, as a person would
# type it, on any rig: run, logs, list, exec, stop, rm, and nothing left in the guest; memory,
# pids and CPU limits; two Linux VMs with their own containers.
# SPDX-License-Identifier: MIT
"""Expected values are what each command was asked to do (the container's own output, the
limits given), the agent protocol's exit reasons, and what Linux shows from inside the guest.
Times the guest's work takes scale with `slow` (Bochs interprets the hypervisor and the guest);
shares of a CPU are taken over the hypervisor's clock, which is the guest's time on every rig."""
import re
import time

import ct_checks as C
import vm_checks as V
from ct_checks import containers, ct, ct_json, inside, wait_agent, wait_exit

PLAN = 12


def ct_linux_checks(t, rig, boot_s, slow=1):
    C.SLOW = SLOW = slow

    def boots():
        for name in ("hello1", "hello2"):
            rig.run("vm pause %s" % name, 60)
        out = rig.run("vm create linux0 " + C.LINUX_VMCFG % ("linux0", 256, 2), 60)
        assert "created vm" in out, out
        assert "is running" in rig.run("vm start linux0", 60)
        t0 = time.monotonic()
        wait_agent(rig, "linux0", boot_s)
        t.note("linux0: the agent answered %.1f s after vm start" % (time.monotonic() - t0))
        imgs = [i["name"] for i in ct_json(rig, "images linux0")]
        assert "busybox" in imgs, imgs

    def run_prints():
        out = ct(rig, "run linux0 hello busybox -- echo hello-from-a-container")
        assert "container 'hello' is running in vm 'linux0'" in out or "exited" in out, out
        ex = wait_exit(rig, "linux0", "hello")
        assert ex["reason"] == "exited" and ex["code"] == 0, ex
        logs = ct(rig, "logs linux0 hello")
        assert "hello-from-a-container" in logs, logs

    def exec_stop_rm():
        out = ct(rig, "run linux0 web busybox -- sleep 1000")
        assert "is running" in out, out
        out = ct(rig, 'exec linux0 web -- sh -c "echo exec-$((6*7)); cat /proc/1/comm"')
        assert "exec-42" in out and "sleep" in out and "[exit code 0]" in out, out
        t0 = time.monotonic()
        out = ct(rig, "stop linux0 web --timeout 2", 60)
        took = time.monotonic() - t0
        # PID 1 of a container ignores SIGTERM without a handler: SIGKILL after the 2 s.
        assert "stopped" in out and "killed" in out, out
        assert 2.0 <= took <= 30 * SLOW, "stop took %.1f s" % took
        ex = containers(rig, "linux0")["web"]["exit"]
        assert ex["reason"] == "killed" and ex["signal"] == 9, ex
        for name in ("web", "hello"):
            assert "removed" in ct(rig, "rm linux0 %s" % name), name
        assert "web" not in containers(rig, "linux0")

    def nothing_left():
        out = inside(rig, "linux0", "ls /run/bwrun; ls /sys/fs/cgroup/bwrun; grep -e /web -e /hello "
                                    "/proc/self/mountinfo; pgrep -f 'sleep 1000' || echo no-sleep")
        assert "no-sleep" in out, out
        assert not re.search(r"\bweb\b|\bhello\b", out), out

    def oom_killed():
        ct(rig, 'run linux0 hog busybox --mem=16M -- sh -c "x=0123456789; while :; do x=$x$x; done"')
        ex = wait_exit(rig, "linux0", "hog", 180)
        assert ex["reason"] == "oom-killed", ex
        line = [l for l in ct(rig, "list linux0").splitlines() if l.startswith("hog ")]
        assert line and "OOM-killed" in line[0], line
        ct(rig, "rm linux0 hog")

    def pids_limit():
        ct(rig, 'run linux0 bomb busybox --pids=5 -- sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 300 & done; wait"')
        time.sleep(5 * SLOW)
        s = ct_json(rig, "stats linux0 bomb")
        assert s["pids_max"] == 5 and s["pids"] <= 5, s
        logs = ct(rig, "logs linux0 bomb")
        assert "can't fork" in logs, logs  # busybox sh, when fork() fails with EAGAIN
        # The guest stays healthy: its shell and the agent answer.
        out = inside(rig, "linux0", "echo health-$((20+1))")
        assert "health-21" in out, out
        ct(rig, "stop linux0 bomb --timeout 1", 60)
        ct(rig, "rm linux0 bomb")

    def cpus_limit():
        ct(rig, 'run linux0 spin busybox --cpus=0.2 -- sh -c "while :; do :; done"')
        time.sleep(2 * SLOW)
        a, ta = ct_json(rig, "stats linux0 spin"), V.hv_clock(rig)[0]
        time.sleep(6 * SLOW)
        b, tb = ct_json(rig, "stats linux0 spin"), V.hv_clock(rig)[0]
        share = (b["cpu_usec"] - a["cpu_usec"]) / 1e6 / (tb - ta)
        t.note("--cpus=0.2 spinner used %.2f of a CPU" % share)
        assert b["cpu_max_milli"] == 200, b
        assert 0.05 <= share <= 0.25, "the spinner used %.2f of a CPU" % share

    def two_vms():
        out = rig.run("vm create linux1 " + C.LINUX_VMCFG % ("linux1", 192, 1), 60)
        assert "created vm" in out, out
        assert "is running" in rig.run("vm start linux1", 60)
        wait_agent(rig, "linux1", boot_s)
        ct(rig, "run linux1 other busybox -- sleep 1000")
        l0, l1 = containers(rig, "linux0"), containers(rig, "linux1")
        assert "spin" in l0 and "other" not in l0, l0
        assert "other" in l1 and "spin" not in l1, l1

    def destroy_one():
        rig.run("vm kill linux1", 60)
        out = rig.run("vm destroy linux1", 60)
        assert "destroyed" in out, out
        c = containers(rig, "linux0")["spin"]
        assert c["state"] == "running", c

    def errors():
        out = ct(rig, "run linux0 bad/name busybox")
        assert out.startswith("error:"), out
        out = ct(rig, "logs linux0 nosuch")
        assert "error:" in out and "ENOENT" in out, out
        out = ct(rig, "list linux1")
        assert "error:" in out and "no VM named" in out, out

    def cleanup():
        for name in containers(rig, "linux0"):
            ct(rig, "stop linux0 %s --timeout 1" % name, 60)
            ct(rig, "rm linux0 %s" % name)
        out = ct(rig, "list linux0")
        assert "no containers" in out, out
        rig.run("vm kill linux0", 60)
        out = rig.run("vm destroy linux0", 60)
        assert "destroyed" in out, out

    for name, fn in (("linux0 boots and its agent answers ct; the busybox image is there", boots),
                     ("ct run of a busybox that prints: ct logs shows it, ct list says exited 0", run_prints),
                     ("a long-running one: ct exec into it, ct stop --timeout kills it, ct rm removes it", exec_stop_rm),
                     ("nothing of them is left in the guest (state, cgroup, mounts, processes)", nothing_left),
                     ("a memory hog under --mem=16M is OOM-killed and ct list says so", oom_killed),
                     ("--pids=5 holds a fork bomb and the guest stays healthy", pids_limit),
                     ("--cpus=0.2 holds a spinner to a fifth of a CPU (ct stats)", cpus_limit),
                     ("a second Linux VM runs its own containers; neither sees the other's", two_vms),
                     ("destroying one VM leaves the other's containers running", destroy_one),
                     ("bad ct commands get errors naming what is wrong", errors),
                     ("containers stopped and removed, linux0 destroyed", cleanup)):
        t.check(name, fn)
    t.check("the toy guests run on", lambda: [rig.run("vm resume %s" % n, 60) for n in ("hello1", "hello2")]
            and V.counts_grow(rig, "hello1", 3 * SLOW))
