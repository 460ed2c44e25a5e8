#!/usr/bin/env python3
# System suite: a hostile guest agent (guests/linux/hostile/hostile_agent.c in the Linux guest's
# rootfs, build/guests/linux/hostile.cpio.gz) on the agent port of a VM beside a hello guest
# (AMD-V rig, QEMU/OVMF). Each `ct` command names an attack the agent answers with; per attack
# the suite checks what the hypervisor logs, that the command ends in a clear `error: ...` within
# its timeout, that the console answers at once, and at the end that the hello guest printed on.
# SPDX-License-Identifier: MIT
"""Expected values come from include/bulwark/agent_proto.h (AGENT_LINE_MAX, ids 1..2^31-1, names
of [A-Za-z0-9_.-], one reply per request matched by id) and from the ct commands' timeouts
(CT_QUICK_TIMEOUT_S, 5 s): what the agent sends is garbage by construction."""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HOSTILE = os.path.join(R.BUILD, "guests", "linux", "hostile.cpio.gz")
VMCFG = ('kernel=bzImage initrd=hostile.cpio.gz cmdline="console=ttyS0 bulwark.hostname=hvm" '
         'mem=128M vcpus=1')
BOOT_S = 600
QUICK_S = 5          # CT_QUICK_TIMEOUT_S (hypervisor/agent/ct_ops.h)
SLACK_S = 25         # a loaded 2-core host running TCG
AT_ONCE_S = 10       # `version` at the console while the guest attacks
FLOOD_S = 20         # hostile_agent.c FLOOD_S
LOG_BURST, LOG_WINDOW_S = 20, 10  # hypervisor/agent/ct_ops.c: agent messages logged at most
INJECTED = (b"\x1b[2J", b"\x1b]0;")  # what the agent tries to get onto the operator's terminal

# (attack, the ct command, what its error says, what the log says)
ATTACKS = (
    ("garbage", "stats", "refused: EHOSTILE: after garbage", "dropped a bad message: bad JSON"),
    ("overlong", "logs", "refused: EHOSTILE: after overlong", "dropped a line over 65536 bytes"),
    ("huge", "stats", "sent a reply that cannot be used", "a reply without an \"id\" from 1 to 2147483647"),
    ("nul", "stats", "refused: EHOSTILE: after nul", "dropped an \"exited\" event with a bad name"),
    ("escapes", "logs", ": after escapes", "dropped an \"exited\" event with a bad name"),
    ("stray", "stats", "refused: EHOSTILE: after stray", "dropped a reply to id 2147483647, which nobody waits for"),
    ("ghosts", "logs", "refused: EHOSTILE: after ghosts", "dropped an unknown event"),
    ("wrongtype", "stats", "sent a reply that cannot be used", None),
)
PLAN = 1 + len(ATTACKS) + 7

t = Tap(PLAN)
watchdog(2400)


def log_since(rig, seq):
    """Log entries after `seq` (the `log --json` ring), and the newest seq."""
    entries = rig.run_json("log --json", 60)
    new = [e for e in entries if e["seq"] > seq]
    return new, max([seq] + [e["seq"] for e in entries])


def at_once(rig):
    t0 = time.monotonic()
    out = rig.run("version", AT_ONCE_S * 3)
    took = time.monotonic() - t0
    assert "Bulwark" in out, out
    assert took <= AT_ONCE_S, "the console took %.1f s to answer 'version'" % took
    return took


def raw_since(rig, pos):
    with rig.cond:
        return bytes(rig.buf[pos:])


def mark(rig):
    with rig.cond:
        return len(rig.buf)


try:
    if not os.path.exists(HOSTILE):
        raise R.RigMissing("%s is missing: make %s" % (HOSTILE, os.path.relpath(HOSTILE, R.ROOT)))
    with R.QemuOvmfRig(cpu="max", smp=2, mem="1G", tag="ct_hostile_qemu",
                       esp_extra={"bulwark/guests/hostile.cpio.gz": HOSTILE}).start() as rig:
        rig.boot()
        st = {"seq": -1}

        def boots():
            rig.run("vm pause hello2", 60)
            out = rig.run("vm create hvm " + VMCFG, 60)
            assert "created vm" in out, out
            assert "is running" in rig.run("vm start hvm", 60)
            deadline = time.monotonic() + BOOT_S
            while True:
                out = rig.run("ct list hvm", 60)
                if "no containers" in out:
                    break
                assert "error:" in out, out
                assert time.monotonic() < deadline, "the hostile agent never answered: %s" % out
                time.sleep(3)
            _, st["seq"] = log_since(rig, -1)
            st["hello1"] = V.last_count(rig, "hello1")

        def attack(name, cmd, says, logs):
            time.sleep(LOG_WINDOW_S + 0.5)  # the attack before has used up its log window
            pos = mark(rig)
            t0 = time.monotonic()
            out = rig.run("ct %s hvm %s" % (cmd, name), QUICK_S + SLACK_S + 30)
            took = time.monotonic() - t0
            assert out.startswith("error: "), out
            assert says in out, out
            assert took <= QUICK_S + SLACK_S, "ct %s took %.1f s" % (cmd, took)
            once = at_once(rig)
            new, st["seq"] = log_since(rig, st["seq"])
            texts = [e["text"] for e in new]
            if logs:
                assert any(logs in x for x in texts), texts[-12:]
            raw = raw_since(rig, pos)
            for seq in INJECTED:
                assert seq not in raw, "%r reached the terminal" % seq
            t.note("%s: error after %.1f s, console answered in %.1f s, %d log lines" % (name, took, once, len(new)))
            if name == "nul":
                assert "hidden" not in out, out  # the message stops at its NUL, it is not smuggled past
                assert not any(x.startswith("agent: container nul") for x in texts), texts
            if name == "ghosts":
                # Exits of containers the guest never had are not shown as containers.
                out = rig.run("ct list hvm", 60)
                assert "no containers" in out and "ghost" not in out, out

        def escape_reply():
            pos = mark(rig)
            out = rig.run("ct images hvm", 60)
            assert out.startswith("error: ") and "cannot be used" in out, out
            out = rig.run("ct images hvm --json", 60)
            assert out.startswith("error: "), out
            raw = raw_since(rig, pos)
            for seq in INJECTED:
                assert seq not in raw, "%r reached the terminal" % seq

        def flood():
            time.sleep(LOG_WINDOW_S + 0.5)
            pos = mark(rig)
            t0 = time.monotonic()
            out = rig.run("ct stats hvm flood", QUICK_S + SLACK_S + 30)
            took = time.monotonic() - t0
            assert out.startswith("error: ") and "did not answer within %d s" % QUICK_S in out, out
            assert took <= QUICK_S + SLACK_S, "ct stats took %.1f s" % took
            worst = 0.0
            while time.monotonic() - t0 < FLOOD_S - 2:
                worst = max(worst, at_once(rig))
            a = V.last_count(rig, "hello1")
            time.sleep(3)
            b = V.last_count(rig, "hello1")
            assert a is not None and b is not None and b > a, "hello1 stopped printing (%r, %r)" % (a, b)
            new, st["seq"] = log_since(rig, st["seq"])
            texts = [e["text"] for e in new]
            assert any("not logged" in x for x in texts), texts[-12:]
            windows = (time.monotonic() - t0) / LOG_WINDOW_S + 2
            assert len(new) <= windows * (LOG_BURST + 1) + 5, "%d log lines from the flood" % len(new)
            t.note("flood: error after %.1f s, console answered within %.1f s, %d log lines, %d bytes at the "
                   "console" % (took, worst, len(new), len(raw_since(rig, pos))))

        def after_flood():
            # Back in step once the flood is over: the late reply is dropped, the next command answered.
            deadline = time.monotonic() + 120
            while True:
                out = rig.run("ct list hvm", 60)
                if "no containers" in out:
                    break
                assert "error:" in out, out
                assert time.monotonic() < deadline, out
                time.sleep(2)

        def silence():
            for cmd in ("stats hvm silence", "list hvm", "logs hvm x"):
                t0 = time.monotonic()
                out = rig.run("ct " + cmd, QUICK_S + SLACK_S + 30)
                took = time.monotonic() - t0
                assert out.startswith("error: ") and "did not answer within %d s" % QUICK_S in out, out
                assert QUICK_S - 0.5 <= took <= QUICK_S + SLACK_S, "ct %s took %.1f s" % (cmd, took)
                at_once(rig)

        def destroy():
            rig.run("vm kill hvm", 60)
            out = rig.run("vm destroy hvm", 60)
            assert "destroyed" in out, out
            out = rig.run("ct list hvm", 60)
            assert out.startswith("error: ") and "no VM named" in out, out

        def hello_on():
            b = V.last_count(rig, "hello1")
            assert st["hello1"] is not None and b is not None and b > st["hello1"], (st["hello1"], b)
            V.counts_grow(rig, "hello1", 3)

        t.check("a VM with the hostile agent boots beside hello1; its agent answers ct list", boots)
        for name, cmd, says, logs in ATTACKS:
            t.check("%s: ct %s ends in error: ...%s; logged; the console answers at once" % (name, cmd, says),
                    lambda a=(name, cmd, says, logs): attack(*a))
        t.check("escape sequences in reply strings never reach the terminal (ct images)", escape_reply)
        t.check("a %d s flood of lines: ct times out, the console answers at once, hello1 prints, the log is "
                "rate-limited" % FLOOD_S, flood)
        t.check("after the flood the next ct command is answered (the late reply dropped)", after_flood)
        t.check("silence: every ct command says the agent did not answer within %d s" % QUICK_S, silence)
        t.check("the hostile VM is destroyed; ct then says there is no such VM", destroy)
        t.check("hello1 kept printing through all of it", hello_on)
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
