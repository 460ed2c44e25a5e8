# MMIO emulation checks, shared by the AMD-V (QEMU) and VT-x (Bochs) suites: the mmio test guest on the test device.
# SPDX-License-Identifier: MIT
"""guests/test/mmio.c runs each instruction form on RAM and on the test device
(mmio_test=yes) with paging off, 32-bit paging and PAE paging, and prints one
summary line per paging mode; it runs 64-bit forms in long mode; then it
executes NOT on the device, which the emulator does not handle: the VM must
crash with the instruction's bytes."""

import re
import time

import vm_checks as V

SUMMARY_RE = re.compile(r"mmio: (paging off|32-bit paging|PAE paging): (\d+) forms, (\d+) failed\n")


# Results mmio_checks prints; a suite's plan adds it up (tap.Tap).
PLAN = 7


def mmio_checks(t, rig, slow):
    state = {}

    def run_guest():
        assert "created vm" in rig.run("vm create mm image=mmio.elf mem=8M mmio_test=yes", 60)
        assert "is running" in rig.run("vm start mm", 60)
        deadline = time.monotonic() + 120 * slow
        while time.monotonic() < deadline:
            st = V.state_of(rig, "mm")
            if st != "running":
                break
            time.sleep(1)
        state["text"] = V.output(rig, "mm", 20000)
        state["vms"] = V.vm_list(rig)
        assert state["vms"]["mm"]["state"] == "crashed", state["vms"]["mm"]

    def every_form_agrees():
        text = state.get("text", "")
        failures = [ln for ln in text.splitlines() if ln.startswith("mmio:") and ":" in ln[6:] and
                    ("expected" in ln or "on RAM" in ln or "in RAM" in ln or "read " in ln)]
        summaries = SUMMARY_RE.findall(text)
        assert [s[0] for s in summaries] == ["paging off", "32-bit paging", "PAE paging"], text[-1500:]
        assert all(int(n) >= 30 and f == "0" for _, n, f in summaries), (summaries, failures)
        assert "mmio: all forms agree" in text, text[-1500:]
        for line in re.findall(r"mmio: cost: [^\n]*", text):
            t.note(line)

    def long_mode():
        text = state.get("text", "")
        if "mmio: long mode: skipped" in text:  # the backend does not let the guest write EFER yet
            return "EFER.LME is not writable for guests on this backend yet"
        assert "mmio: long mode: 7 results, 0 wrong" in text, text[-1500:]
        return None

    def unemulated_stops_the_vm():
        text = state.get("text", "")
        reason = state["vms"]["mm"]["reason"]
        assert "survived" not in text, text[-400:]
        assert "instruction not emulated [f7 13 " in reason, reason
        assert "0xfebff000" in reason, reason
        assert "instruction not emulated [f7 13 " in rig.run("log -n 40", 60)

    def without_the_device():
        assert "created vm" in rig.run("vm create mn image=mmio.elf mem=8M", 60)
        assert "is running" in rig.run("vm start mn", 60)
        V.wait_state(rig, "mn", "crashed", 60 * slow)
        reason = V.vm_list(rig)["mn"]["reason"]
        assert "0xfebff000 outside its RAM" in reason, reason

    def neighbours_unharmed():
        V.counts_grow(rig, "hello1", 2 * slow)
        V.counts_grow(rig, "hello2", 2 * slow)

    def cleanup():
        for n in ("mm", "mn"):
            assert "destroyed" in rig.run("vm destroy %s" % n, 60)

    t.check("mmio guest runs on the test device until its unemulated instruction", run_guest)
    t.check("every instruction form agrees on RAM and MMIO (paging off, 32-bit, PAE)", every_form_agrees)
    name = "64-bit code on the device: REX forms, moffs64, 4-level paging"
    try:
        skip = long_mode()
        t.ok(name + (" # SKIP " + skip if skip else ""))
    except AssertionError as e:
        t.fail(name, e)
    t.check("an unemulated instruction crashes the VM with its bytes logged", unemulated_stops_the_vm)
    t.check("without mmio_test=yes the device address is outside RAM", without_the_device)
    t.check("hello guests keep counting", neighbours_unharmed)
    t.check("mmio VMs destroyed", cleanup)
