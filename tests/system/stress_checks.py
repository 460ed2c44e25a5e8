# Lifecycle stress against running guests, shared by the AMD-V (QEMU) and VT-x (Bochs) stress suites.
# SPDX-License-Identifier: MIT
"""Hundreds of create/start/restart/stop/start/kill/destroy cycles of 2-vCPU VMs while
the autostarted hello guests run, then pause/resume storms against a running 2-vCPU VM.
Each operation races the CPUs entering and leaving the VM's vCPUs (sched.c claim()).
Afterwards: no VM crashed, no error was logged, free memory is what it was, and the
hello guests still count.
"""

import re
import time

import vm_checks as V

PLAN = 6  # results stress_checks prints
LOG_ERROR_RE = re.compile(rb"\[\s*\d+\.\d+\] error: ([^\r\n]*)")
CYCLE = (("vm create {n} image=hello.elf mem=2M vcpus=2", "created vm"), ("vm start {n}", "is running"),
         ("vm restart {n}", "is running"), ("vm stop {n}", "is stopped"), ("vm start {n}", "is running"),
         ("vm kill {n}", "is stopped"), ("vm destroy {n}", "destroyed"))


def logged_errors(rig, since):
    return [m.group(1).decode("latin-1") for m in LOG_ERROR_RE.finditer(rig.output()[since:])]


def stress_checks(t, rig, cycles, storms, slow):
    state = {}

    def baseline():
        deadline = time.monotonic() + 30 * slow
        while None in (V.last_count(rig, "hello1"), V.last_count(rig, "hello2")) and time.monotonic() < deadline:
            time.sleep(1)
        V.counts_grow(rig, "hello1", 2 * slow)  # both autostarted guests are up and printing
        V.counts_grow(rig, "hello2", 2 * slow)
        state["free"] = rig.run_json("mem --json", 60)["free_bytes"]
        state["since"] = len(rig.output())
        state["h1"] = V.last_count(rig, "hello1")
        state["h2"] = V.last_count(rig, "hello2")

    def lifecycle_cycles():
        t0 = time.monotonic()
        for i in range(cycles):
            name = "st%d" % i
            for cmd, want in CYCLE:
                out = rig.run(cmd.format(n=name), 60 * slow)
                assert want in out, "cycle %d: '%s' printed %r" % (i, cmd.format(n=name), out)
            if i % 50 == 49:
                errors = logged_errors(rig, state["since"])
                assert not errors, "after %d cycles: %s" % (i + 1, errors[:3])
        t.note("%d lifecycle cycles of a 2-vCPU VM in %.1f s" % (cycles, time.monotonic() - t0))

    def pause_resume_storm():
        assert "created vm" in rig.run("vm create storm image=hello.elf mem=2M vcpus=2", 60)
        assert "is running" in rig.run("vm start storm", 60)
        for i in range(storms):
            assert "is paused" in rig.run("vm pause storm", 60 * slow), "storm %d: pause" % i
            assert "is running" in rig.run("vm resume storm", 60 * slow), "storm %d: resume" % i
            for target in ("hello1", "hello2"):
                if i % 10 == 0:
                    assert "is paused" in rig.run("vm pause %s" % target, 60 * slow)
                    assert "is running" in rig.run("vm resume %s" % target, 60 * slow)
        V.counts_grow(rig, "storm", 2 * slow)
        assert V.state_of(rig, "storm") == "running"
        rig.run("vm kill storm", 60)
        assert "destroyed" in rig.run("vm destroy storm", 60)

    def nothing_crashed():
        vms = V.vm_list(rig)
        assert set(vms) == {"hello1", "hello2"}, "VMs left over: %s" % sorted(vms)
        for name, vm in vms.items():
            assert vm["state"] == "running", "%s is %s: %s" % (name, vm["state"], vm.get("reason"))
        errors = logged_errors(rig, state["since"])
        assert not errors, "errors logged: %s" % errors[:5]

    def memory_returned():
        free = rig.run_json("mem --json", 60)["free_bytes"]
        assert free == state["free"], "free memory %d before, %d after" % (state["free"], free)

    def hellos_still_count():
        V.counts_grow(rig, "hello1", 2 * slow)
        V.counts_grow(rig, "hello2", 2 * slow)
        assert V.last_count(rig, "hello1") > state["h1"] and V.last_count(rig, "hello2") > state["h2"]

    t.check("baseline: free memory and hello counts", baseline)
    t.check("%d create/start/restart/stop/start/kill/destroy cycles of a 2-vCPU VM" % cycles, lifecycle_cycles)
    t.check("%d pause/resume storms against running VMs" % storms, pause_resume_storm)
    t.check("no VM crashed and no error was logged", nothing_crashed)
    t.check("free memory identical at the end", memory_returned)
    t.check("hello guests still counting", hellos_still_count)
