#!/usr/bin/python3
# System suite: the management network under QEMU: each NIC model on each boot path gets an
# address by DHCP from QEMU's user network and shows it in `net`; the HTTP API through hostfwd;
# PCI through ECAM (q35) and through configuration mechanism #1 (an i440fx PC).
# SPDX-License-Identifier: MIT
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
import net_checks as N  # noqa: E402

# (rig class, NIC model): the UEFI path with virtio-net and a token from bulwark.cfg, the GRUB
# path with the e1000 and the default configuration (a token generated at boot).
# A third boot, an i440fx PC without ACPI MCFG, finds the NIC through configuration mechanism #1.
CASES = [(R.QemuOvmfRig, "virtio-net-pci", "virtio-net", "q35"), (R.QemuGrubRig, "e1000", "e1000", "q35"),
         (R.QemuGrubRig, "virtio-net-pci", "virtio-net", "pc")]
NET_CFG = os.path.join(HERE, "data", "net.cfg")

# Per case: the net checks, the PCI path, the API (not on the i440fx boot), poweroff.
t = Tap(sum(N.NET_PLAN + 1 + (N.api_plan() + N.LINK_PLAN if c[3] != "pc" else 0) + 1 for c in CASES))
watchdog(2400)
for cls, model, driver, machine in CASES:
    tag = "net_%s_%s_%s" % (cls.name, driver, machine)
    label = "%s %s %s" % (cls.name, machine, model)
    port = R.free_tcp_port()
    try:
        kw = {"esp_extra": {"bulwark/bulwark.cfg": NET_CFG}} if cls is R.QemuOvmfRig else {}
        qmp = os.path.join(tempfile.mkdtemp(prefix="bulwark-qmp-"), "qmp.sock")
        extra = (["-machine", machine] if machine != "q35" else []) + N.qemu_net_args(model, port, qmp=qmp)
        with cls(tag=tag, extra_args=extra, **kw).start() as rig:
            rig.boot(timeout=240)
            N.check_net(t, rig, driver, label)
            if machine == "pc":
                log = rig.run("log -n 200")
                t.ok("%s: PCI through mechanism #1 (no MCFG)" % label, "found through mechanism #1" in log, log[-400:])
            else:
                t.ok("%s: PCI through ECAM (MCFG)" % label, "found through ECAM" in rig.run("log -n 200"))
                N.check_api(t, rig, port, label)
                N.check_link(t, rig, qmp, label)
            t.check("%s: poweroff ends QEMU cleanly" % label, rig.poweroff)
    except R.RigError as e:
        t.fail("%s: rig" % label, e)
t.exit()
