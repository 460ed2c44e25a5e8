#!/usr/bin/python3
# System suite: the panic path reports the fault, every register and a backtrace, stops the other CPU, halts.
# SPDX-License-Identifier: MIT
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rig as R  # noqa: E402
from tap import Tap, watchdog  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
t = Tap(6)
watchdog(300)
try:
    cmdline = os.path.join(HERE, "data", "cmdline-panic.txt")
    with R.QemuOvmfRig(cpu="max", smp=2, mem="512M", tag="panic_qemu",
                       esp_extra={"bulwark/cmdline.txt": cmdline}).start() as rig:
        rig.expect(r"system halted[^\n]*\n", rig.boot_timeout)  # the whole last line
        text = R.clean(rig.output())
        report = text[text.find("*** BULWARK PANIC"):]
        t.ok("the panic names the CPU", "*** BULWARK PANIC on CPU 0 ***" in report, report[:300])
        t.ok("the exception is named", "exception 6 (#UD invalid opcode)" in report, report[:300])
        regs = ("RIP", "RSP", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8 ", "R15", "CR0", "CR2",
                "CR3", "CR4", "RFLAGS")
        missing = [r for r in regs if r not in report]
        t.ok("every register is printed", not missing, "missing %s" % missing)
        frames = [ln for ln in report.splitlines() if ln.startswith("  ffffffff8")]
        t.ok("a backtrace of kernel addresses", len(frames) >= 2, report)
        t.ok("the other CPU is stopped", "stopping the other CPUs: 1 of them halted" in report, report[:400])
        # Halted means: the emulator still runs (no reset, no power-off) and prints nothing
        # more, not even the echo of what is typed.
        with rig.cond:
            before = len(rig.buf)
        rig.send("version\r")
        time.sleep(5)
        with rig.cond:
            after = bytes(rig.buf[before:])
        t.ok("the machine stays halted: the emulator runs on and the console is silent",
             rig.alive() and not after,
             "emulator %s, %d bytes after the panic: %r" % ("running" if rig.alive() else "exited", len(after),
                                                            after[:200]))
except R.RigError as e:
    t.fail("rig", e)
t.exit()
