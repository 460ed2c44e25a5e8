#!/usr/bin/python3
# Benchmark: the management API over QEMU's user network (virtio-net, hostfwd to 127.0.0.1):
# requests per second and latency of GET /v1/vms with keep-alive and with a connection per request,
# beside a TCP echo through the same NIC, lwIP and polling path as the ceiling; the stack's memory.
# SPDX-License-Identifier: MIT
"""Figures only, never a pass/fail on time. QEMU's TCG and its user network are in the path,
so absolute figures describe the emulator; the ratio to the echo ceiling carries over."""
import http.client
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import net_checks as N  # noqa: E402
import rig as R  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CFG = os.path.join(HERE, "..", "system", "data", "net_bench.cfg")
TOKEN = "test-token-0123456789abcdef"
HEADERS = {"Authorization": "Bearer " + TOKEN}
N_KEEP, N_CLOSE, N_ECHO = 300, 100, 500


def summary(name, lat, wall):
    lat = sorted(lat)
    print("  %-28s %7.1f requests/s   latency median %6.2f ms, p90 %6.2f ms, max %6.2f ms (n=%d)" % (
        name, len(lat) / wall, statistics.median(lat) * 1e3, lat[int(len(lat) * 0.9)] * 1e3, lat[-1] * 1e3, len(lat)))


def keepalive(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat, t0 = [], time.monotonic()
    for _ in range(N_KEEP):
        t = time.monotonic()
        c.request("GET", "/v1/vms", headers=HEADERS)
        r = c.getresponse()
        r.read()
        assert r.status == 200, r.status
        lat.append(time.monotonic() - t)
    c.close()
    summary("GET /v1/vms, keep-alive", lat, time.monotonic() - t0)


def per_connection(port):
    lat, t0 = [], time.monotonic()
    for _ in range(N_CLOSE):
        t = time.monotonic()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/v1/vms", headers=dict(HEADERS, Connection="close"))
        r = c.getresponse()
        r.read()
        c.close()
        assert r.status == 200, r.status
        lat.append(time.monotonic() - t)
    summary("GET /v1/vms, new connection", lat, time.monotonic() - t0)


def echo(port):
    msg = b"x" * 64
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lat, t0 = [], time.monotonic()
        for _ in range(N_ECHO):
            t = time.monotonic()
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(4096)
                if not chunk:
                    raise RuntimeError("echo closed")
                got += chunk
            lat.append(time.monotonic() - t)
        summary("TCP echo 64 bytes (ceiling)", lat, time.monotonic() - t0)


def one(model, note):
    print("  -- %s (%s)" % (model, note))
    api_port, echo_port = R.free_tcp_port(), R.free_tcp_port()
    args = ["-netdev", "user,id=mgmt,hostfwd=tcp:127.0.0.1:%d-:8080,hostfwd=tcp:127.0.0.1:%d-:7" % (api_port, echo_port),
            "-device", "%s,netdev=mgmt" % model]
    with R.QemuOvmfRig(tag="bench_net_" + model, extra_args=args, esp_extra={"bulwark/bulwark.cfg": CFG}).start() as rig:
        rig.boot(timeout=240)
        N.wait_address(rig)
        heap0 = rig.run_json("mem --json")["heap"]["used_bytes"]
        for f in (keepalive, per_connection):
            f(api_port)
        echo(echo_port)
        st = rig.run_json("net --json")
        heap1 = rig.run_json("mem --json")["heap"]["used_bytes"]
        print("  network stack memory: %d KiB fixed in .bss (lwIP heap and pools), lwIP heap peak %d bytes; "
              "hypervisor heap %d -> %d bytes across the run; NIC rings and buffers: virtio-net 2 x (4 + 128) KiB, e1000 4 + 2 x 128 KiB of frames" % (
                  st["stack_static_bytes"] // 1024, st["stack_heap_peak_bytes"], heap0, heap1))
        rig.poweroff()


def main():
    one("virtio-net-pci", "MSI-X wakes the console CPU")
    one("e1000", "polled between slices and at each 100 Hz tick")


if __name__ == "__main__":
    main()
