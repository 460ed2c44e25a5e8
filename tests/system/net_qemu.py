#!/usr/bin/python3
# System suite: the management network under QEMU: each NIC model on each boot path gets an
# address by DHCP from QEMU's user network and shows it in `net`; the HTTP API through hostfwd.
# SPDX-License-Identifier: MIT
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
import net_checks as N  # noqa: E402

# (rig class, NIC model): the UEFI path with virtio-net and a token from bulwark.cfg, the GRUB
# path with the e1000 and the default configuration (a token generated at boot).
CASES = [(R.QemuOvmfRig, "virtio-net-pci", "virtio-net"), (R.QemuGrubRig, "e1000", "e1000")]
NET_CFG = os.path.join(HERE, "data", "net.cfg")

t = Tap()
watchdog(1500)
for cls, model, driver in CASES:
    tag = "net_%s_%s" % (cls.name, driver)
    port = R.free_tcp_port()
    try:
        kw = {"esp_extra": {"bulwark/bulwark.cfg": NET_CFG}} if cls is R.QemuOvmfRig else {}
        with cls(tag=tag, extra_args=N.qemu_net_args(model, port), **kw).start() as rig:
            rig.boot(timeout=240)
            N.check_net(t, rig, driver, "%s %s" % (cls.name, model))
            N.check_api(t, rig, port, "%s %s" % (cls.name, model))
            t.check("%s %s: poweroff ends QEMU cleanly" % (cls.name, model), rig.poweroff)
    except R.RigError as e:
        t.fail("%s %s: rig" % (cls.name, model), e)
t.exit()
