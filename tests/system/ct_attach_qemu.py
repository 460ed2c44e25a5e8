#!/usr/bin/env python3
# System suite: the interactive `ct` commands against the real agent in the Linux guest (AMD-V rig,
# QEMU/OVMF): `ct run -i` and `ct exec -i` (typed input reaches the process, its output comes
# back, Ctrl-] detaches and leaves it running) and `ct logs -f` (lines show as they are printed;
# the prompt comes back on Ctrl-], on Ctrl-C and when the container exits).
# SPDX-License-Identifier: MIT
"""Expected values are what the containers were told to print (the typed words echoed back, a
tick a second) and the console's own attach messages (kernel/console/cmd_ct.c, README.md)."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

PLAN = 9
BOOT_S = 600
VMCFG = ('kernel=bzImage initrd=rootfs.cpio.gz disk=images.img,ro cmdline="console=ttyS0 bulwark.hostname=linux0" '
         'mem=256M vcpus=1')
TICKS = 12

t = Tap(PLAN)
watchdog(2400)


def ct(rig, cmd, timeout=60):
    return rig.run("ct " + cmd, timeout)


def containers(rig, vm):
    return {c["name"]: c for c in rig.run_json("ct list %s --json" % vm, 60)}


def wait_agent(rig, vm):
    deadline = time.monotonic() + BOOT_S
    while True:
        out = ct(rig, "list %s" % vm)
        if "error" not in out:
            return
        assert any(w in out for w in ("not connected", "did not answer", "try again")), out
        assert time.monotonic() < deadline, "the agent in %s never answered: %s" % (vm, out)
        time.sleep(3)


def begin(rig, line):
    """Types a `ct` line that attaches; returns once its banner is out."""
    rig.drain()
    start = rig.pos
    rig.send(line + "\r")
    m = rig.expect(r"\[(attached to|following) [^\]]*\]", 90)
    with rig.cond:
        rig.last_before = R.clean(bytes(rig.buf[start:m.start()]))
    return m.group(0).decode()


def detach(rig, key, says):
    rig.send(key)
    rig.expect(re.escape(says), 60)
    rig.expect(R.PROMPT_RE, 60)


try:
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="ct_attach_qemu").start() as rig:
        rig.boot()

        def boots():
            for name in ("hello1", "hello2"):
                rig.run("vm pause %s" % name, 60)
            assert "created vm" in rig.run("vm create linux0 " + VMCFG, 60)
            assert "is running" in rig.run("vm start linux0", 60)
            wait_agent(rig, "linux0")

        def run_i():
            banner = begin(rig, "ct run linux0 echo1 busybox -i -- sh -c "
                                "\"while read l; do echo got:$l; done\"")
            assert "attached to echo1 in linux0" in banner, banner
            pos = rig.pos  # just after the banner
            for word in ("first-words", "second-words"):
                rig.send(word + "\r")
                rig.expect(r"got:%s" % word, 60)
            detach(rig, V.DETACH, "[detached from echo1]")
            with rig.cond:
                attached = bytes(rig.buf[pos:])
            assert attached.count(b"bulwark> ") == 1, attached  # the prompt only after detaching
            c = containers(rig, "linux0")["echo1"]
            assert c["state"] == "running", c
            # Its output of the attached time is in its logs too; input still reaches nothing else.
            logs = ct(rig, "logs linux0 echo1")
            assert "got:first-words" in logs and "got:second-words" in logs, logs

        def exec_i():
            banner = begin(rig, "ct exec linux0 echo1 -i -- sh -c "
                                "\"while read l; do echo exec:$l; done\"")
            assert "attached to echo1 in linux0" in banner, banner
            rig.send("typed-in-exec\r")
            rig.expect(r"exec:typed-in-exec", 60)
            detach(rig, V.DETACH, "[detached from echo1]")
            # Still there, waiting for more input: the container's process list shows its command line.
            out = ct(rig, "exec linux0 echo1 -- ps -o pid,args")
            assert "echo exec:$l" in out and "[exit code 0]" in out, out

        def exec_i_ends():
            # A session whose process ends brings the prompt back by itself, with its exit code.
            begin(rig, "ct exec linux0 echo1 -i -- sh -c \"read l; echo bye:$l; exit 3\"")
            rig.send("now\r")
            rig.expect(r"bye:now", 60)
            rig.expect(r"session ended, exit code 3", 60)
            rig.expect(R.PROMPT_RE, 60)

        def follow_as_printed():
            out = ct(rig, "run linux0 ticker busybox -- sh -c "
                          "\"i=0; while [ $i -lt %d ]; do echo tick-$i; i=$((i+1)); sleep 1; done\"" % TICKS)
            assert "is running" in out, out
            with rig.cond:
                pos = len(rig.buf)
            banner = begin(rig, "ct logs linux0 ticker -f")
            assert "following ticker in linux0" in banner, banner
            banner_end = rig.pos
            t_follow = rig.time_of(banner_end - 1)
            end = rig.expect(re.escape("[the container is not running]"), 90 + 2 * TICKS)
            rig.expect(R.PROMPT_RE, 60)
            with rig.cond:
                text = bytes(rig.buf[pos:end.start()])
            ticks = [(int(m.group(1)), rig.time_of(pos + m.start()))
                     for m in re.finditer(rb"tick-(\d+)\r?\n", text)]
            assert [n for n, _ in ticks] == list(range(TICKS)), ticks  # each once, in order
            assert b"bulwark> " not in text[banner_end - pos:], text  # no prompt while following
            # Shown as printed: the ticks kept coming, a second apart in the guest, well after
            # the follow began (not all at once when the container ended).
            after = [n for n, when in ticks if when > t_follow + 1.0]
            t.note("logs -f: %d of %d ticks arrived more than 1 s after the follow began; the last %.1f s after"
                   % (len(after), TICKS, ticks[-1][1] - t_follow))
            assert len(after) >= TICKS // 2, ticks
            assert ticks[-1][1] - ticks[len(ticks) // 2][1] >= (TICKS // 2 - 1) * 0.5, ticks
            assert containers(rig, "linux0")["ticker"]["state"] == "stopped"

        def follow_detach():
            banner = begin(rig, "ct logs linux0 echo1 -f")
            assert "following echo1" in banner, banner
            assert "got:second-words" in rig.last_before, rig.last_before  # what it printed so far, then it follows
            rig.send("not-for-the-container\r")  # typed while following: dropped, not sent to its stdin
            detach(rig, V.DETACH, "[stopped following]")
            assert "Bulwark" in rig.run("version", 30)

        def follow_ctrl_c():
            begin(rig, "ct logs linux0 echo1 -f -n 1")
            detach(rig, R.CTRL_C, "[stopped following]")
            assert containers(rig, "linux0")["echo1"]["state"] == "running"
            logs = ct(rig, "logs linux0 echo1")
            assert "not-for-the-container" not in logs, logs

        def cleanup():
            for name in containers(rig, "linux0"):
                ct(rig, "stop linux0 %s --timeout 1" % name, 60)
                ct(rig, "rm linux0 %s" % name)
            assert "no containers" in ct(rig, "list linux0")
            rig.run("vm kill linux0", 60)
            assert "destroyed" in rig.run("vm destroy linux0", 60)

        for name, fn in (("linux0 boots and its agent answers", boots),
                         ("ct run -i: typed lines reach the container, its output comes back, Ctrl-] detaches "
                          "and it runs on", run_i),
                         ("ct exec -i: typed input reaches the process, Ctrl-] detaches and it runs on", exec_i),
                         ("ct exec -i: the prompt comes back when the process exits, with its exit code",
                          exec_i_ends),
                         ("ct logs -f: lines show as they are printed; the prompt comes back when the container "
                          "exits", follow_as_printed),
                         ("ct logs -f: Ctrl-] stops following", follow_detach),
                         ("ct logs -f: Ctrl-C stops following; the container runs on", follow_ctrl_c),
                         ("containers removed, linux0 destroyed", cleanup)):
            t.check(name, fn)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
