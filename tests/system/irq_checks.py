# Interrupt delivery checks (the `irq` test guest), shared by the VT-x (Bochs) and AMD-V (QEMU) suites.
# SPDX-License-Identifier: MIT
"""The guest prints "irq: ok - NAME (details)" or "irq: not ok - NAME (details)" per check, then "irq: done".

Its expected values come from the SDM (self-IPI held while IF=0 and taken after STI's one-instruction
shadow; an NMI is taken with IF clear, the next after the handler's IRET; LAPIC timer periods against
the ACPI PM timer), not from the hypervisor's code.
"""

import re
import time

import vm_checks as V

CHECKS = [
    "self-IPI waits while IF is clear and is taken after STI",
    "ten 2 ms one-shot LAPIC timers wake HLT, none early",
    "periodic 10 ms LAPIC timer: 20 interrupts, not before 200 ms",
    "NMI IPIs are taken with IF clear, one after another",
    "the IOAPIC routes the UART's IRQ 4 to the LAPIC",
]
# Results irq_checks prints: the run, one per check, the clean-up (a suite's plan adds them up).
PLAN = 1 + len(CHECKS) + 1
LINE_RE = re.compile(r"irq: (ok|not ok) - ([^(\n]+?) \(([^)\n]*)\)\n")


def irq_checks(t, rig, slow):
    """The hello guests are paused meanwhile: a guest that spins without exits keeps an AMD-V CPU until
    the host's next tick (no preemption timer there), and the timer checks measure the wake-ups."""
    state = {}

    def run():
        for name in ("hello1", "hello2"):
            rig.run("vm pause %s" % name, 60)
        assert "created vm" in rig.run("vm create irq0 image=irq.elf mem=4M", 60)
        assert "is running" in rig.run("vm start irq0", 60)
        deadline = time.monotonic() + 60 * slow
        while True:
            out = V.output(rig, "irq0", 4000)
            if "irq: done\n" in out:
                break
            assert V.state_of(rig, "irq0") != "crashed", V.vm_list(rig)["irq0"]
            assert time.monotonic() < deadline, "irq guest did not finish: %r" % out[-800:]
            time.sleep(0.5)
        state["results"] = {m.group(2): (m.group(1) == "ok", m.group(3)) for m in LINE_RE.finditer(out)}
        for name in ("hello1", "hello2"):
            rig.run("vm resume %s" % name, 60)

    t.check("irq guest runs its interrupt checks to the end", run)
    for name in CHECKS:
        def one(name=name):
            res = state.get("results", {})
            assert name in res, "no result line for %r" % name
            ok, detail = res[name]
            assert ok, detail
        t.check("irq guest: " + name, one)

    def cleanup():
        rig.run("vm kill irq0", 60)
        assert "destroyed" in rig.run("vm destroy irq0", 60)

    t.check("irq guest destroyed", cleanup)
