# Checks of the management network shared by the network suites and benchmarks.
# SPDX-License-Identifier: MIT
import json
import os
import socket
import time

# QEMU's user network: DHCP hands out 10.0.2.15 with 10.0.2.2 as the gateway (QEMU docs,
# "Using the user mode network stack"). Only ever forwarded to the loopback address.
SLIRP_GUEST = "10.0.2.15"
SLIRP_GATEWAY = "10.0.2.2"
MAC_QEMU_DEFAULT = "52:54:00:12:34:56"


def qemu_net_args(model, port, guest_port=8080, qmp=None):
    """QEMU options for the management NIC (device id nic0); with `qmp`, a QMP socket at that path."""
    args = ["-netdev", "user,id=mgmt,hostfwd=tcp:127.0.0.1:%d-:%d" % (port, guest_port),
            "-device", "%s,netdev=mgmt,id=nic0" % model]
    if qmp:
        args += ["-qmp", "unix:%s,server=on,wait=off" % qmp]
    return args


def qmp_command(path, command, arguments=None):
    """One QMP command (QEMU's machine protocol) on the socket at `path`; returns its reply."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(30)
        s.connect(path)
        f = s.makefile("rw")
        f.readline()  # the greeting
        for cmd in ({"execute": "qmp_capabilities"}, dict({"execute": command}, **({"arguments": arguments} if arguments else {}))):
            f.write(json.dumps(cmd) + "\n")
            f.flush()
            while True:
                reply = json.loads(f.readline())
                if "return" in reply or "error" in reply:
                    break
        return reply


def check_link(t, rig, qmp, label):
    """The cable pulled and put back: logged, shown by net, the console answers throughout."""
    def link():
        return (rig.run_json("net --json").get("interfaces") or [{}])[0].get("link")

    def wait(want, timeout=30.0):
        deadline = time.monotonic() + timeout
        while link() is not want and time.monotonic() < deadline:
            time.sleep(0.5)
        return link()

    t.ok("%s: QMP set_link down" % label, "return" in qmp_command(qmp, "set_link", {"name": "nic0", "up": False}))
    t.ok("%s: net shows the link down" % label, wait(False) is False)
    t.ok("%s: the console answers with the link down" % label, "Bulwark" in rig.run("version"))
    qmp_command(qmp, "set_link", {"name": "nic0", "up": True})
    t.ok("%s: net shows the link up again" % label, wait(True) is True)
    log = rig.run("log -n 50")
    t.ok("%s: link changes are logged" % label, "net: link down" in log and "net: link up" in log, log[-300:])


def wait_address(rig, timeout=60.0):
    """`net --json` once the interface has its address (DHCP takes a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        st = rig.run_json("net --json")
        ifs = st.get("interfaces") or [{}]
        if ifs[0].get("address", "0.0.0.0") != "0.0.0.0" or time.monotonic() > deadline:
            return st
        time.sleep(1.0)


# Results check_net and check_link print; a suite's plan adds them up (tap.Tap).
NET_PLAN = 5
LINK_PLAN = 5


def api_plan():
    """Results check_api prints: the API module's PLAN, 0 while there is none."""
    try:
        import api_checks
    except ImportError:
        return 0
    return api_checks.PLAN


def check_net(t, rig, driver, label):
    st = wait_address(rig)
    ifs = st.get("interfaces") or [{}]
    i = ifs[0]
    t.ok("%s: net --json names the %s driver" % (label, driver), i.get("driver") == driver, st)
    t.ok("%s: link up, QEMU's MAC" % label, i.get("link") is True and i.get("mac") == MAC_QEMU_DEFAULT, i)
    t.ok("%s: DHCP gives %s via %s" % (label, SLIRP_GUEST, SLIRP_GATEWAY),
         i.get("mode") == "dhcp" and i.get("address") == SLIRP_GUEST and i.get("gateway") == SLIRP_GATEWAY, i)
    t.ok("%s: frames counted both ways" % label, i.get("rx_packets", 0) > 0 and i.get("tx_packets", 0) > 0, i)
    text = rig.run("net")
    t.ok("%s: net shows the address" % label, "address %s" % SLIRP_GUEST in text, text)


def check_api(t, rig, port, label):
    """The HTTP API's checks; filled in by the API's own module when present."""
    try:
        import api_checks
    except ImportError:
        return
    api_checks.run(t, rig, port, label)
