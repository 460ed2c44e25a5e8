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
t = Tap(8)
watchdog(300)
try:
    bad = os.path.join(HERE, "data", "bad.cfg")
    with R.QemuOvmfRig(cpu="max", smp=2, mem="512M", tag="config_qemu",
                       esp_extra={"bulwark/bulwark.cfg": bad}).start() as rig:
        banner = rig.boot()
        for line, word in ((3, "mem=lots"), (4, "expected 'vm NAME"), (8, "quote")):
            t.ok("bulwark.cfg:%d reported" % line, "bulwark.cfg:%d:" % line in banner and word in banner,
                 banner[-600:])
        t.ok("an image that is not there is reported by name",
             "vm bad-image: no guest image 'missing.elf'" in banner, banner[-600:])
        vms = V.vm_list(rig)
        t.ok("good lines load: good1 running, good2 created",
             vms.get("good1", {}).get("state") == "running" and vms.get("good2", {}).get("state") == "created",
             vms)
        t.ok("bad lines create nothing", not ({"bad-mem", "nope", "bad-image", "oops"} & set(vms)), vms)
        t.ok("the console still answers", "Bulwark" in rig.run("version"))
        t.check("poweroff ends QEMU cleanly", rig.poweroff)
except R.RigError as e:
    t.fail("rig", e)
t.exit()
