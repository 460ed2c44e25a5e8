#!/usr/bin/env python3
# The guest agent in the Linux guest (the project's kernel and initramfs, QEMU TCG, 2 CPUs): init
# starts it and restarts it; this suite drives the whole protocol (tests/system/agent_suite.py)
# over the guest's second serial line, the limits included (the guest's cgroup v2 has every
# controller), and checks from the guest's shell that nothing of a deleted container is left.
# The images reach the guest as an initramfs piece holding /images (until virtio-blk serves the
# images disk).
# SPDX-License-Identifier: MIT
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig  # noqa: E402
import agent_suite  # noqa: E402
from linux_guest import QemuDirectRig, ROOTFS, initrd_plus  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

IMAGE = os.path.join(rig.BUILD, "guests", "linux", "busybox-oci")
EXTRA = 2  # the agent runs under init; it is restarted after being killed


def images_initrd(tmp):
    """rootfs.cpio.gz followed by a gzip'd cpio of /images (Linux unpacks them in turn)."""
    root = os.path.join(tmp, "extra")
    os.makedirs(root + "/images/not-an-image")
    shutil.copytree(IMAGE, root + "/images/busybox")
    subprocess.run(["tar", "-C", IMAGE, "-cf", root + "/images/bbtar.tar", "."], check=True)
    return initrd_plus(tmp, root)


def agent_pid(sh):
    """The agent's pid (the last line of pidof: a kernel message may come before it)."""
    out = sh.sh("pidof bulwark-agent")[1].strip().splitlines()
    return out[-1].strip() if out and out[-1].strip().isdigit() else ""


class Guest:
    def __init__(self, r, sh, chan):
        self.r, self.sh, self.chan = r, sh, chan
        self.image_size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(IMAGE) for f in fs)
        self.image_ref = json.load(open(IMAGE + "/index.json"))["manifests"][0]["annotations"][
            "org.opencontainers.image.ref.name"]
        self.kernel = sh.out("uname -r").splitlines()[-1].strip()
        self.limits = None
        self.pid = agent_pid(sh)

    def leftovers(self, name):
        checks = {"bwrun state": "test -e /run/bwrun/%s" % name,
                  "cgroup": "test -e /sys/fs/cgroup/bwrun/%s" % name,
                  "bundle dir": "test -e /run/bulwark-agent/containers/%s" % name,
                  "a mount of an image rootfs": "grep -q /run/bulwark-agent/ /proc/self/mountinfo",
                  "a sleep 4242 process": "ps -o args | grep -q '^sleep 424[2]'"}
        return [what for what, cmd in checks.items() if self.sh.sh(cmd)[0] == 0]

    def alive(self):
        return self.sh.sh("pidof bulwark-agent")[0] == 0

    def ended(self):
        # A serial line does not close: this run checks init's restart instead (below).
        pid = agent_pid(self.sh)
        return ("one agent process served the whole suite on /dev/ttyS1", pid and pid == self.pid, (self.pid, pid))


def main():
    t = Tap(agent_suite.CHECKS + EXTRA)
    watchdog(900)
    tmp = None
    try:
        with QemuDirectRig(tag="agent-qemu", smp=2, mem="512M", initrd=ROOTFS,
                           append="bulwark.agent.channel=/dev/ttyS1") as r:
            tmp = r.tmp
            r.initrd = images_initrd(r.tmp)
            chan, sh = agent_suite.boot_with_channel(r, agent_suite.SERIAL_PORT)
            guest = Guest(r, sh, chan)
            agent_suite.suite(t, chan, guest)
            # init's respawn: the agent killed, a new one says ready and answers
            old = agent_pid(sh)
            sh.sh("kill -9 %s" % old)
            try:
                ready = chan.event("ready", timeout=60)
            except AssertionError as e:
                ready = str(e)
            new = agent_pid(sh)
            t.ok("killed, the agent is restarted by init and sends ready again",
                 isinstance(ready, dict) and ready.get("protocol") == 1 and new and new != old, (old, new, ready))
            r2 = chan.call("list", {})
            ok = r2.get("ok") is False and r2["error"]["message"] == "hello first"
            t.ok("the restarted agent wants hello first, then answers", ok and
                 chan.ok("hello", {"protocol": 1})["protocol"] == 1, r2)
    except rig.RigError as e:
        t.fail("the Linux guest under QEMU", e)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    t.exit()


if __name__ == "__main__":
    main()
