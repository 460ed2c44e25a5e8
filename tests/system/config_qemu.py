#!/usr/bin/python3
# System suite: a boot configuration with mistakes gives line-numbered errors and the good VMs still load.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
import vm_checks as V  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
t = Tap(9)
watchdog(300)
try:
    bad = os.path.join(HERE, "data", "bad.cfg")
    with R.QemuOvmfRig(cpu="max", smp=2, mem="512M", tag="config_qemu",
                       esp_extra={"bulwark/bulwark.cfg": bad}).start() as rig:
        banner = rig.boot()
        # Each report is one line naming the line number and what is wrong on that line
        # (tests/system/data/bad.cfg), so a report that names the wrong line fails.
        for line, what in ((3, "mem=lots is not a size"), (4, "expected 'vm NAME kernel=FILE"),
                           (6, "vm bad-image: no guest image 'missing.elf'"),
                           (8, 'unterminated quote')):
            want = "error: bulwark.cfg:%d: %s" % (line, what)
            t.ok("bulwark.cfg:%d reported with its own mistake" % line,
                 any(ln.split("] ", 1)[-1].startswith(want) for ln in banner.splitlines()),
                 "no line starting %r in: %s" % (want, banner[-700:]))
        t.ok("the summary counts the 4 bad lines", "bulwark.cfg: %d bytes read, 4 bad lines" % os.path.getsize(bad)
             in banner, banner[-300:])
        vms = V.vm_list(rig)
        t.ok("good lines load: good1 running, good2 created, hello1 (line 9) created with 2 MiB",
             vms.get("good1", {}).get("state") == "running" and vms.get("good2", {}).get("state") == "created"
             and vms.get("hello1", {}).get("state") == "created" and vms["hello1"].get("mem_bytes") == 2 << 20,
             vms)
        t.ok("bad lines create nothing", set(vms) == {"good1", "good2", "hello1"}, vms)
        t.ok("the console still answers", "Bulwark" in rig.run("version"))
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
