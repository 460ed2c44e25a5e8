# Helpers for suites and benchmarks that drive containers with `ct` at the hypervisor's console.
# SPDX-License-Identifier: MIT
import re
import time

import rig as R
import vm_checks as V

# Every wait below is multiplied by this: a suite on a slow rig (Bochs interprets the hypervisor
# and its guests) sets it before the first call.
SLOW = 1

LINUX_VMCFG = ('kernel=bzImage initrd=rootfs.cpio.gz disk=images.img,ro '
               'cmdline="console=ttyS0 bulwark.hostname=%s" mem=%dM vcpus=%d')


def ct(rig, cmd, timeout=60):
    return rig.run("ct " + cmd, timeout * SLOW)


def ct_json(rig, cmd, timeout=60):
    return rig.run_json("ct " + cmd + " --json", timeout * SLOW)


def containers(rig, vm):
    return {c["name"]: c for c in ct_json(rig, "list %s" % vm)}


def wait_agent(rig, vm, boot_s=600):
    """Until `ct list VM` gets an answer from the agent (the guest is booting meanwhile)."""
    deadline = time.monotonic() + boot_s
    while True:
        out = ct(rig, "list %s" % vm)
        if "error" not in out:
            return out
        assert any(w in out for w in ("not connected", "did not answer", "try again")), out
        assert V.state_of(rig, vm) == "running", "vm %s is %s" % (vm, V.state_of(rig, vm))
        assert time.monotonic() < deadline, "the agent in %s never answered: %s" % (vm, out)
        time.sleep(3)


def wait_exit(rig, vm, name, timeout=120):
    deadline = time.monotonic() + timeout * SLOW
    while True:
        c = containers(rig, vm).get(name)
        assert c, "no container %s in %s" % (name, vm)
        if c["state"] == "stopped" and c["exit"]:
            return c["exit"]
        assert time.monotonic() < deadline, "container %s still %s" % (name, c["state"])
        time.sleep(1)


def inside(rig, vm, cmd, timeout=60):
    """Runs `cmd` in the guest's root shell through `vm console`; returns its output (stdout and
    stderr) from between two marker lines, so that the console's replay cannot mix in."""
    rig.drain()
    with rig.cond:
        rig.pos = len(rig.buf)
    rig.send("vm console %s\r" % vm)
    rig.expect(r"attached to %s" % re.escape(vm), 60 * SLOW)
    rig.drain(quiet=1.0, timeout=20 * SLOW)  # the replay
    try:
        rig.send("echo @@B; (%s) 2>&1; echo @@E\n" % cmd)
        m = rig.expect(r"\n@@B\r?\n(.*?)(?:^|\n)@@E\r?\n", timeout * SLOW, re.S | re.M)  # output may be empty
        return R.clean(m.group(1)).replace("\r", "")
    finally:
        rig.send(V.DETACH)
        rig.expect(r"detached from %s" % re.escape(vm), 60 * SLOW)
        rig.expect(R.PROMPT_RE, 60 * SLOW)
