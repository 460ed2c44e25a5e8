# virtio-mmio checks, shared by the AMD-V (QEMU) and VT-x (Bochs) suites: the hostile virtqueue guest.
# SPDX-License-Identifier: MIT
"""guests/test/virtio_hostile.c finds the virtio-mmio slots, breaks the disk's and the
console's queues in one way after another and checks after each that the device says
DEVICE_NEEDS_RESET (Status 0x40) and comes back after a reset; then it reads sector 1
of the test disk (guests/test/mkdisk.py writes "BWSECTOR%08d" at each sector's start)
and a sector past the end (VIRTIO_BLK_S_IOERR = 1, virtio 1.2 5.2.6)."""

import re
import time

import vm_checks as V

ATTEMPTS = 13   # 10 on the disk, 3 on the console (virtio_hostile.c)
PLAN = 7


def virtio_checks(t, rig, slow):
    state = {}

    def run_guest():
        out = rig.run("vm create vh image=virtio_hostile.elf mem=16M disk=virtio_disk.img", 60)
        assert "created vm" in out, out
        assert "is running" in rig.run("vm start vh", 60)
        deadline = time.monotonic() + 120 * slow
        while "virtio-hostile: done" not in V.output(rig, "vh", 4000):
            assert V.state_of(rig, "vh") == "running", V.vm_list(rig)["vh"]
            assert time.monotonic() < deadline, V.output(rig, "vh", 4000)
            time.sleep(1)
        state["text"] = V.output(rig, "vh", 20000)

    def slots_found():
        text = state.get("text", "")
        found = re.findall(r"virtio-hostile: slot (\d) device (\d+)\n", text)
        # slot 0 the console (device 3), slot 1 the one disk (device 2), the other six empty (device 0)
        assert found == [("0", "3"), ("1", "2")] + [(str(n), "0") for n in range(2, 8)], found

    def each_attempt_contained():
        text = state.get("text", "")
        assert "FAILED" not in text, text[-2000:]
        assert "virtio-hostile: %d attempts, %d contained\n" % (ATTEMPTS, ATTEMPTS) in text, text[-2000:]

    def good_request_after():
        text = state.get("text", "")
        assert "virtio-hostile: read sector 1: status 0, data 'BWSECTOR00000001'\n" in text, text[-800:]
        assert "virtio-hostile: read past the end: status 1\n" in text, text[-800:]

    def logged_with_vm_name():
        log = rig.run("log -n 400", 60)
        assert re.search(r"vm vh: virtio-blk \(slot 1\): descriptor chain longer than the queue \(a loop\); "
                         r"the device needs a reset", log), log[-3000:]
        assert re.search(r"vm vh: virtio-console \(slot 0\): [^\n]*needs a reset", log), log[-3000:]

    def console_and_neighbours():
        assert "vh" in V.vm_list(rig)
        V.counts_grow(rig, "hello1", 2 * slow)
        V.counts_grow(rig, "hello2", 2 * slow)

    def cleanup():
        assert "destroyed" in rig.run("vm destroy vh", 60)

    t.check("virtio_hostile guest runs to its end", run_guest)
    t.check("slots: console at 0, the disk at 1, six empty slots answer DeviceID 0", slots_found)
    t.check("each bad queue leaves DEVICE_NEEDS_RESET and a reset brings the device back", each_attempt_contained)
    t.check("a good request reads the sector written; past the end gives IOERR", good_request_after)
    t.check("the hypervisor log names the VM, the device and what was wrong", logged_with_vm_name)
    t.check("the console answers and the hello guests keep counting", console_and_neighbours)
    t.check("virtio VM destroyed", cleanup)
