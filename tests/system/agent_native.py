#!/usr/bin/env python3
# The guest agent natively, as root, driven over a socketpair the way the hypervisor drives it over
# its virtio-console port: the whole protocol of include/bulwark/agent_proto.h, the limits through
# cgroup v2, and every malformed message answered while the agent keeps serving.
# SPDX-License-Identifier: MIT
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap, watchdog  # noqa: E402
import agent_suite  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
AGENT = os.path.join(BUILD, "guests/linux/bulwark-agent")
BWRUN = os.path.join(BUILD, "guests/linux/bwrun")
IMAGE = os.path.join(BUILD, "guests/linux/busybox-oci")


def cgroup_root():
    for line in open("/proc/self/mountinfo"):
        if " - cgroup2 " in line:
            return line.split()[4]
    return None


class Native:
    """The agent as a child of this suite, its channel one end of a socketpair."""

    def __init__(self, work, cg, bwrun=BWRUN, extra=()):
        self.work, self.cg = work, cg
        ours, theirs = socket.socketpair()
        self.err = open(os.path.join(work, "agent.stderr"), "a")
        self.proc = subprocess.Popen(
            [AGENT, "--channel", str(theirs.fileno()), "--bwrun", bwrun, "--root", work + "/state",
             "--images", work + "/images", "--work", work + "/work"] + list(extra),
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=self.err, stderr=self.err)
        theirs.close()
        self.chan = agent_suite.Channel(ours)
        self.image_size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(IMAGE) for f in fs)
        self.image_ref = json.load(open(IMAGE + "/index.json"))["manifests"][0]["annotations"][
            "org.opencontainers.image.ref.name"]
        self.kernel = os.uname().release
        ctl = open(cg + "/cgroup.controllers").read().split() if cg else []
        missing = [c for c in ("memory", "pids", "cpu") if c not in ctl]
        self.limits = ("this host's cgroup v2 (%s) lacks the %s controllers (bound to cgroup v1); "
                       "tests/system/agent_qemu.py checks the limits in the guest" % (cg, ",".join(missing))
                       if missing else None)

    def leftovers(self, name):
        return native_leftovers(name, self.work, self.cg)

    def alive(self):
        return self.proc.poll() is None

    def ended(self):
        self.chan.sock.shutdown(socket.SHUT_WR)
        try:
            rc = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            rc = None
        return "the agent ends when its channel closes (init restarts it)", rc == 0, rc


def main():
    t = Tap(agent_suite.CHECKS + HANG_CHECKS)
    watchdog(240)
    if os.getuid() != 0 or not os.path.exists(AGENT) or not os.path.exists(IMAGE + "/index.json"):
        t.fail("prerequisites", "run as root after make %s %s/index.json" % (AGENT, IMAGE))
        t.exit()
    cg = cgroup_root()
    work = tempfile.mkdtemp(prefix="bulwark-agent.")
    os.chmod(work, 0o755)
    os.makedirs(work + "/images")
    os.symlink(IMAGE, work + "/images/busybox")
    subprocess.run(["tar", "-C", IMAGE, "-cf", work + "/images/bbtar.tar", "."], check=True)
    os.makedirs(work + "/images/not-an-image")  # no index.json: not listed
    host = Native(work, cg)
    try:
        agent_suite.suite(t, host.chan, host)
        hung_bwrun(t, work, cg)
        fifo_pair(t, work)
        slow_reader(t, work, cg)
        one_process_run(t, work, cg)
        priority_and_spawn(t, work, cg)
    finally:
        host.chan.sock.close()
        try:
            host.proc.wait(10)
        except subprocess.TimeoutExpired:
            host.proc.kill()
        st = work + "/state"
        ids = subprocess.run([BWRUN, "--root", st, "list", "-q"], capture_output=True, text=True).stdout.split()
        for i in ids:
            subprocess.run([BWRUN, "--root", st, "delete", "-f", i], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    t.exit()


HANG_CHECKS = 5 + 2 + 2


def slow_reader(t, work, cg):
    """A hypervisor that reads nothing for a while: the agent queues its lines (bounded) and goes
    on draining the container's output, which runs to its end instead of blocking on a pipe."""
    h = Native(work, cg)
    a = h.chan
    a.event("ready", timeout=10)
    a.ok("hello", {"protocol": 1})
    n = agent_suite.P + "flood"
    # 4 MiB to an attached session: far more than a socket buffer and the agent's 1 MiB queue
    a.ok("run", {"name": n, "image": "busybox", "attach": True,
                 "args": ["sh", "-c", "head -c 4194304 /dev/zero | tr '\\0' x; echo; echo done"]}, 60)
    time.sleep(3)  # reads nothing meanwhile; bwrun itself says whether the container has ended
    seen = subprocess.run([BWRUN, "--root", work + "/state", "state", n], capture_output=True, text=True).stdout
    ended_unread = '"status": "stopped"' in seen
    t0 = time.time()
    try:
        ex = a.event("exited", lambda d: d["name"] == n, 60)["exit"]
        st = a.ok("state", {"name": n}, 30)
        logs = a.ok("logs", {"name": n, "lines": 1})["data"]
    except AssertionError as e:
        ex, st, logs = str(e), {}, ""
    outputs = sum(1 for e in a.events if e["event"] == "output")
    t.ok("a channel nobody reads for 3 s: the container still runs to its end meanwhile (%d output "
         "events came through), then the agent answers" % outputs,
         ended_unread and isinstance(ex, dict) and ex["code"] == 0 and st.get("state") == "stopped" and logs == "done\n"
         and time.time() - t0 < 60, (seen, ex, st, logs))
    a.ok("delete", {"name": n})
    h.ended()


def fifo_pair(t, work):
    """--channel IN --channel-out OUT: a pair of FIFOs instead of one stream."""
    fin, fout = work + "/chan.in", work + "/chan.out"
    os.mkfifo(fin)
    os.mkfifo(fout)
    err = open(os.path.join(work, "agent.stderr"), "a")
    p = subprocess.Popen([AGENT, "--channel", fin, "--channel-out", fout, "--bwrun", BWRUN,
                          "--root", work + "/state", "--images", work + "/images", "--work", work + "/work"],
                         stdin=subprocess.DEVNULL, stdout=err, stderr=err)
    w = open(fin, "wb", buffering=0)  # the agent opens its input first, then its output
    r = open(fout, "rb")
    ready = json.loads(r.readline())
    w.write(b'{"v":1,"id":1,"op":"hello","args":{"protocol":1}}\n')
    hello = json.loads(r.readline())
    w.close()
    try:
        rc = p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    r.close()
    t.ok("a pair of FIFOs (--channel-out): ready, hello answered, EOF on the input ends it",
         ready.get("event") == "ready" and hello.get("id") == 1 and hello.get("ok") is True and rc == 0,
         (ready, hello, rc))


def one_process_run(t, work, cg):
    """run is one bwrun process (run -d) and loses no exit of an init that ends before bwrun
    does; create and start stay two."""
    log = os.path.join(work, "bwrun-calls")
    fake = os.path.join(work, "logging-bwrun")
    # It logs each call and, for run, outlives bwrun by 0.3 s: the init, reparented to the agent
    # (a subreaper) when bwrun exits, is reaped before the call ends and its pid file is read.
    with open(fake, "w") as f:
        f.write("#!/bin/sh\necho \"$*\" >> %s\n%s \"$@\"\nrc=$?\n"
                "case \" $* \" in *\" run \"*) sleep 0.3;; esac\nexit $rc\n" % (log, BWRUN))
    os.chmod(fake, 0o755)
    h = Native(work, cg, bwrun=fake)
    a = h.chan
    a.event("ready", timeout=10)
    a.ok("hello", {"protocol": 1})
    names = [agent_suite.P + "quick%d" % i for i in range(10)]
    exits = []
    for n in names:
        r = a.call("run", {"name": n, "image": "busybox", "args": ["sh", "-c", "exit 7"]}, 60)
        try:
            exits.append((r.get("ok"), a.event("exited", lambda d, n=n: d["name"] == n, 10)["exit"]))
        except AssertionError:  # no exited event
            exits.append((r.get("ok"), None))
    cs = agent_suite.P + "split"
    a.ok("create", {"name": cs, "image": "busybox", "args": ["true"]}, 60)
    a.ok("start", {"name": cs}, 60)
    a.event("exited", lambda d: d["name"] == cs, 30)
    for n in names + [cs]:
        a.ok("delete", {"name": n}, 60)
    h.ended()
    calls = [line.split() for line in open(log)]

    def verbs(n):
        found = [[w for w in c if w in ("create", "start", "run", "-d")] for c in calls if c and c[-1] == n]
        return [v for v in found if v]  # not delete and the rest
    t.ok("run of a container that exits at once: one bwrun run -d each, no create or start, and "
         "every exit reported (code 7)",
         all(verbs(n) == [["run", "-d"]] for n in names)
         and exits == [(True, {"code": 7, "signal": 0, "reason": "exited"})] * len(names),
         ([verbs(n) for n in names], exits))
    t.ok("create then start: bwrun create, then bwrun start", verbs(cs) == [["create"], ["start"]], verbs(cs))


def _nice(pid):
    """The nice value of a process, /proc/PID/stat field 19 (proc(5))."""
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[16])


def priority_and_spawn(t, work, cg):
    """The agent runs at nice -10 so its answers go out before the containers' processes are
    served; what it starts (bwrun, so the containers) begins at nice 0 again. A bwrun that cannot
    be started is an error reply, and the agent serves on."""
    h = Native(work, cg)
    a = h.chan
    a.event("ready", timeout=10)
    a.ok("hello", {"protocol": 1})
    n = agent_suite.P + "nice"
    pid = a.ok("run", {"name": n, "image": "busybox", "args": ["sleep", "4244"]}, 60)["pid"]
    agent_nice, ct_nice = _nice(h.proc.pid), _nice(pid)
    a.ok("delete", {"name": n, "force": True}, 30)
    t.ok("the agent at nice -10, the container it started at nice 0 (agent %d, container %d)" % (agent_nice, ct_nice),
         agent_nice == -10 and ct_nice == 0, (agent_nice, ct_nice))
    h.ended()
    m = Native(work, cg, bwrun=os.path.join(work, "no-such-bwrun"))
    a = m.chan
    a.event("ready", timeout=10)
    hello = a.ok("hello", {"protocol": 1})
    r = a.call("run", {"name": n, "image": "busybox", "args": ["true"]}, 30)
    listed = a.call("list", {}, 10)
    t.ok("without its bwrun the agent answers run with EIO saying so, and serves on",
         hello.get("bwrun") == "unknown" and r.get("ok") is False and r["error"]["code"] == "EIO"
         and "cannot start bwrun: No such file or directory" in r["error"]["message"]
         and listed.get("ok") is True and listed["result"]["containers"] == [] and m.alive(),
         (hello, r, listed))
    m.ended()


def hung_bwrun(t, work, cg):
    """A bwrun that hangs (here its kill) is killed after --bwrun-timeout and answered EIO; a
    restarted agent deletes the containers its predecessor left."""
    fake = os.path.join(work, "hanging-bwrun")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = kill ] && exec sleep 4243; done\nexec %s \"$@\"\n" % BWRUN)
    os.chmod(fake, 0o755)
    h = Native(work, cg, bwrun=fake, extra=["--bwrun-timeout", "2"])
    a = h.chan
    a.event("ready", timeout=10)
    a.ok("hello", {"protocol": 1})
    n = agent_suite.P + "hang"
    a.ok("run", {"name": n, "image": "busybox", "args": ["sleep", "4242"]}, 60)
    t0 = time.time()
    kill_id = a.request("kill", {"name": n, "signal": "KILL"})
    # The loop does not wait for the hung call: other requests are answered meanwhile.
    other = a.call("list", {}, 5)
    other_took = time.time() - t0
    busy = a.call("exec", {"name": n, "args": ["true"]}, 5)
    r = a.reply(kill_id, 30)
    took = time.time() - t0
    hung = [p for p in os.listdir("/proc") if p.isdigit() and _cmdline(p) == b"sleep\x004243\x00"]
    t.ok("a bwrun that hangs is killed after --bwrun-timeout 2 and answered EIO (%.1f s), with its children" % took,
         r.get("ok") is False and r["error"]["code"] == "EIO" and "no answer in 2 s" in r["error"]["message"]
         and 2 <= took < 10 and not hung, (r, took, hung))
    r = a.call("state", {"name": n})
    t.ok("meanwhile the agent answers at once (list in %.2f s; exec into the busy container: EBUSY); "
         "afterwards the container still runs" % other_took,
         other.get("ok") is True and other_took < 1.5 and busy.get("ok") is False
         and busy["error"]["code"] == "EBUSY" and r.get("ok") is True and r["result"]["state"] == "running",
         (other, other_took, busy, r))
    # The channel closes with the container running: the next agent deletes what was left.
    h.ended()
    h2 = Native(work, cg)
    h2.chan.event("ready", timeout=30)
    left = native_leftovers(n, work, cg)
    listed = h2.chan.ok("hello", {"protocol": 1}) and h2.chan.ok("list", {})["containers"]
    t.ok("a restarted agent deletes the containers its predecessor left", not left and listed == [], (left, listed))
    h2.ended()


def _cmdline(pid):
    try:
        return open("/proc/%s/cmdline" % pid, "rb").read()
    except OSError:
        return b""


def native_leftovers(name, work, cg):
    left = []
    st = subprocess.run([BWRUN, "--root", work + "/state", "list", "-q"], capture_output=True, text=True).stdout.split()
    if name in st:
        left.append("bwrun state")
    if os.path.exists("%s/bwrun/%s" % (cg, name)):
        left.append("cgroup")
    if os.path.exists("%s/work/containers/%s" % (work, name)):
        left.append("bundle dir")
    if any(work in line for line in open("/proc/self/mountinfo")):
        left.append("a mount under %s" % work)
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if b"sleep\x004242" in open("/proc/%s/cmdline" % p, "rb").read():
                    left.append("process %s" % p)
            except OSError:
                pass
    return left

if __name__ == "__main__":
    main()
