# The hostile guest agent's checks, shared by the AMD-V (ct_hostile_qemu.py) and VT-x
# (ct_hostile_bochs.py) suites: a VM whose rootfs runs guests/linux/hostile/hostile_agent.c on the
# agent port (build/guests/linux/hostile.cpio.gz) beside the hello guests. Each `ct` command names an
# attack the agent answers with; per attack the checks look at what the hypervisor logs, that the
# command ends in a clear `error: ...` within its timeout, that the console answers at once, and at
# the end that hello1 printed on.
# SPDX-License-Identifier: MIT
"""Expected values come from include/bulwark/agent_proto.h (AGENT_LINE_MAX, ids 1..2^31-1, names
of [A-Za-z0-9_.-], one reply per request matched by id), from the ct commands' timeout
(CT_QUICK_TIMEOUT_S, 5 s) and from the agent log limiter (hypervisor/agent/ct_ops.c): what the agent
sends is garbage by construction. Every duration the hypervisor keeps (the ct timeout, the log
window, the flood) is measured on the hypervisor's clock (`uptime --json`), which is the wall clock
under QEMU and the emulated clock under Bochs; what a person waits for (a command's answer) is
measured on the wall clock, scaled by the rig's slowness."""
import os
import time

import rig as R
import vm_checks as V

HOSTILE = os.path.join(R.BUILD, "guests", "linux", "hostile.cpio.gz")
QUICK_S = 5          # CT_QUICK_TIMEOUT_S (hypervisor/agent/ct_ops.h)
SLACK_S = 25         # a loaded 2-core host running TCG
AT_ONCE_S = 10       # `version` at the console while the guest attacks
LOG_BURST, LOG_WINDOW_S = 20, 10  # AGENT_LOG_BURST, AGENT_LOG_WINDOW_S: agent messages logged at most
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
# How many lines an attack may log before the one its check looks for: garbage's random bytes
# hold about one "\n" in 256, ghosts send dozens of events; the others log a few lines each.
LOG_NEED = {"garbage": LOG_BURST, "ghosts": LOG_BURST}
LOG_NEED_OTHERS = 8
PLAN = 1 + len(ATTACKS) + 6  # poweroff is the suite's own


def vm_config(hostname):
    return ('kernel=bzImage initrd=hostile.cpio.gz cmdline="console=ttyS0 bulwark.hostname=%s" '
            'mem=128M vcpus=1' % hostname)


def need_image():
    if not os.path.exists(HOSTILE):
        raise R.RigMissing("%s is missing: make %s" % (HOSTILE, os.path.relpath(HOSTILE, R.ROOT)))


def hv_now(rig):
    return V.hv_clock(rig)[0]


def sleep_hv(rig, seconds, slow):
    """Waits until the hypervisor's clock has gone on by `seconds` (bounded in wall time)."""
    start = hv_now(rig)
    deadline = time.monotonic() + (seconds + 30) * 4 * slow
    while hv_now(rig) - start < seconds:
        assert time.monotonic() < deadline, "the hypervisor's clock stood still for %d s" % seconds
        time.sleep(min(1.0, seconds / 4))


def hostile_checks(t, rig, boot_s, slow, flood_s):
    """The checks, on a booted rig whose hello2 may be paused (it makes room for the VM's RAM).
    `slow` scales what the wall clock may take; `flood_s` is the flood's length in guest seconds,
    more than a log window and a margin, so that the limiter's summary comes within it."""
    assert flood_s >= LOG_WINDOW_S + 2, "a flood of %d s ends before the log window it opened" % flood_s
    st = {"seq": -1, "logged": LOG_BURST}  # what the boot logged is not known: wait a window first
    name = "hvm"

    def log_since(seq):
        """Log entries after `seq` (the `log --json` ring), and the newest seq."""
        entries = rig.run_json("log --json", 60 * slow)
        new = [e for e in entries if e["seq"] > seq]
        return new, max([seq] + [e["seq"] for e in entries])

    def at_once():
        t0 = time.monotonic()
        out = rig.run("version", AT_ONCE_S * 3 * slow)
        took = time.monotonic() - t0
        assert "Bulwark" in out, out
        assert took <= AT_ONCE_S * slow, "the console took %.1f s to answer 'version'" % took
        return took

    def raw_since(pos):
        with rig.cond:
            return bytes(rig.buf[pos:])

    def mark():
        with rig.cond:
            return len(rig.buf)

    def fresh_window(need):
        """The log limiter lets LOG_BURST lines through per window, and a window only ever opens
        early for the next line: while the lines logged since the last full window leave room for
        `need` more, they are all logged; otherwise wait a window out."""
        if st["logged"] + need > LOG_BURST:
            sleep_hv(rig, LOG_WINDOW_S + 0.5, slow)
            st["logged"] = 0

    def timed_ct(cmd):
        """Runs `ct CMD`; returns what it printed, its wall time and its time on the hypervisor's clock."""
        h0, t0 = hv_now(rig), time.monotonic()
        out = rig.run("ct " + cmd, (QUICK_S + SLACK_S + 30) * slow)
        took = time.monotonic() - t0
        return out, took, hv_now(rig) - h0

    def boots():
        rig.run("vm pause hello2", 60 * slow)
        out = rig.run("vm create %s %s" % (name, vm_config(name)), 60 * slow)
        assert "created vm" in out, out
        assert "is running" in rig.run("vm start " + name, 60 * slow)
        deadline = time.monotonic() + boot_s
        while True:
            out = rig.run("ct list " + name, 60 * slow)
            if "no containers" in out:
                break
            assert "error:" in out, out
            assert time.monotonic() < deadline, "the hostile agent never answered: %s" % out
            time.sleep(3)
        _, st["seq"] = log_since(-1)
        st["hello1"] = V.last_count(rig, "hello1")

    def attack(attack_name, cmd, says, logs):
        fresh_window(LOG_NEED.get(attack_name, LOG_NEED_OTHERS))
        pos = mark()
        out, took, _ = timed_ct("%s %s %s" % (cmd, name, attack_name))
        assert out.startswith("error: "), out
        assert says in out, out
        assert took <= (QUICK_S + SLACK_S) * slow, "ct %s took %.1f s" % (cmd, took)
        once = at_once()
        new, st["seq"] = log_since(st["seq"])
        texts = [e["text"] for e in new]
        st["logged"] += len(new)
        if logs:
            assert any(logs in x for x in texts), texts[-12:]
        raw = raw_since(pos)
        for seq in INJECTED:
            assert seq not in raw, "%r reached the terminal" % seq
        t.note("%s: error after %.1f s, console answered in %.1f s, %d log lines" % (attack_name, took, once, len(new)))
        if attack_name == "nul":
            assert "hidden" not in out, out  # the message stops at its NUL, it is not smuggled past
            assert not any(x.startswith("agent: container nul") for x in texts), texts
        if attack_name == "ghosts":
            # Exits of containers the guest never had are not shown as containers.
            out = rig.run("ct list " + name, 60 * slow)
            assert "no containers" in out and "ghost" not in out, out

    def escape_reply():
        pos = mark()
        out = rig.run("ct images " + name, 60 * slow)
        assert out.startswith("error: ") and "cannot be used" in out, out
        out = rig.run("ct images %s --json" % name, 60 * slow)
        assert out.startswith("error: "), out
        raw = raw_since(pos)
        for seq in INJECTED:
            assert seq not in raw, "%r reached the terminal" % seq

    def flood():
        fresh_window(LOG_BURST)
        pos = mark()
        h0, t0 = hv_now(rig), time.monotonic()
        out = rig.run("ct stats %s flood%d" % (name, flood_s), (QUICK_S + SLACK_S + 30) * slow)
        took = time.monotonic() - t0
        assert out.startswith("error: ") and "did not answer within %d s" % QUICK_S in out, out
        assert took <= (QUICK_S + SLACK_S) * slow, "ct stats took %.1f s" % took
        worst, answers = 0.0, 0
        while hv_now(rig) - h0 < flood_s - 2:
            worst = max(worst, at_once())
            answers += 1
        a = V.last_count(rig, "hello1")
        sleep_hv(rig, 3, slow)
        b = V.last_count(rig, "hello1")
        assert a is not None and b is not None and b > a, "hello1 stopped printing (%r, %r)" % (a, b)
        new, st["seq"] = log_since(st["seq"])
        texts = [e["text"] for e in new]
        assert any("not logged" in x for x in texts), texts[-12:]
        windows = (hv_now(rig) - h0) / LOG_WINDOW_S + 2
        assert len(new) <= windows * (LOG_BURST + 1) + 5, "%d log lines from the flood" % len(new)
        st["logged"] = LOG_BURST  # the window the flood ended in is spent
        t.note("flood: error after %.1f s, the console answered %d times within %.1f s each, %d log lines, "
               "%d bytes at the console" % (took, answers, worst, len(new), len(raw_since(pos))))

    def after_flood():
        # Back in step once the flood is over: the late reply is dropped, the next command answered.
        deadline = time.monotonic() + 120 * slow
        while True:
            out = rig.run("ct list " + name, 60 * slow)
            if "no containers" in out:
                break
            assert "error:" in out, out
            assert time.monotonic() < deadline, out
            time.sleep(2)

    def silence():
        for cmd in ("stats %s silence", "list %s", "logs %s x"):
            out, took, hv_took = timed_ct(cmd % name)
            assert out.startswith("error: ") and "did not answer within %d s" % QUICK_S in out, out
            assert hv_took >= QUICK_S - 0.5, "ct %s gave up after %.1f s of the hypervisor's clock" % (cmd, hv_took)
            assert took <= (QUICK_S + SLACK_S) * slow, "ct %s took %.1f s" % (cmd, took)
            at_once()

    def destroy():
        rig.run("vm kill " + name, 60 * slow)
        out = rig.run("vm destroy " + name, 60 * slow)
        assert "destroyed" in out, out
        out = rig.run("ct list " + name, 60 * slow)
        assert out.startswith("error: ") and "no VM named" in out, out

    def hello_on():
        b = V.last_count(rig, "hello1")
        assert st["hello1"] is not None and b is not None and b > st["hello1"], (st["hello1"], b)
        V.counts_grow(rig, "hello1", 3 * slow)

    t.check("a VM with the hostile agent boots beside hello1; its agent answers ct list", boots)
    for attack_name, cmd, says, logs in ATTACKS:
        t.check("%s: ct %s ends in error: ...%s; logged; the console answers at once" % (attack_name, cmd, says),
                lambda a=(attack_name, cmd, says, logs): attack(*a))
    t.check("escape sequences in reply strings never reach the terminal (ct images)", escape_reply)
    t.check("a %d s flood of lines: ct times out, the console answers at once, hello1 prints, the log is "
            "rate-limited" % flood_s, flood)
    t.check("after the flood the next ct command is answered (the late reply dropped)", after_flood)
    t.check("silence: every ct command says the agent did not answer within %d s" % QUICK_S, silence)
    t.check("the hostile VM is destroyed; ct then says there is no such VM", destroy)
    t.check("hello1 kept printing through all of it", hello_on)
