# VM lifecycle, isolation and scheduling checks, shared by the VT-x (Bochs) and AMD-V (QEMU) suites.
# SPDX-License-Identifier: MIT
"""Each check drives the console like an operator and reads the guests' serial output.

The booted image autostarts hello1 (CPU 0) and hello2 (CPU 1) from guests/bulwark.cfg.
`slow` scales every wait: Bochs interprets the hypervisor and its guests.
"""

import re
import time

import rig as R

# Results each group prints; a suite's plan adds them up (tap.Tap).
LIFECYCLE_PLAN, LOOP_PLAN, ISOLATION_PLAN, PLATFORM_PLAN, SCHEDULING_PLAN = 12, 1, 10, 6, 6
# The `ct` console checks that need no agent (ct_checks); the AMD-V suite runs them.
CT_PLAN = 6
PLAN = LIFECYCLE_PLAN + LOOP_PLAN + ISOLATION_PLAN + PLATFORM_PLAN + SCHEDULING_PLAN

# Only complete lines count: the newest line may still be on its way out of the guest.
HELLO_RE = re.compile(r"hello from hello: (\d+)\n")
DETACH = "\x1d"  # Ctrl-]


def vm_list(rig):
    return {v["name"]: v for v in rig.run_json("vm list --json", 60)}


def state_of(rig, name):
    vms = vm_list(rig)
    return vms[name]["state"] if name in vms else None


def wait_state(rig, name, want, timeout):
    deadline = time.monotonic() + timeout
    while True:
        st = state_of(rig, name)
        if st == want:
            return
        if time.monotonic() > deadline:
            raise AssertionError("vm %s is %s, expected %s" % (name, st, want))
        time.sleep(0.5)


def hv_clock(rig):
    """The hypervisor's clock, read at its prompt: (seconds since boot, Unix time in seconds)."""
    j = rig.run_json("uptime --json", 60)
    return j["uptime_ms"] / 1000.0, j["unix_time_ms"] / 1000.0


def output(rig, name, nbytes=4000):
    return rig.run("vm output %s -n %d" % (name, nbytes), 60)


def hello_counts(text):
    """The counts of a hello guest's complete lines in `vm output` text. The newest line may
    still be on its way out, and the console ends a partial line before its prompt: "hello
    from hello: 3" of a coming 38 would read as 3. Drop it."""
    lines = text.rstrip("\n").split("\n")[:-1]
    return [int(n) for n in HELLO_RE.findall("\n".join(lines) + "\n")]


def last_count(rig, name):
    counts = hello_counts(output(rig, name))
    return counts[-1] if counts else None


def counts_grow(rig, name, wait):
    # A guest just started may not have finished its first line: wait for one (bounded).
    deadline = time.monotonic() + 10 * wait
    a = last_count(rig, name)
    while a is None and time.monotonic() < deadline:
        time.sleep(0.2)
        a = last_count(rig, name)
    time.sleep(wait)
    b = last_count(rig, name)
    assert a is not None and b is not None and b > a, "%s printed %s then %s" % (name, a, b)


def expect_error(rig, cmd, needle):
    out = rig.run(cmd, 60)
    assert out.startswith("error:") or "\nerror:" in out, "'%s' gave no error: %r" % (cmd, out)
    assert needle in out, "'%s' error does not mention %r: %r" % (cmd, needle, out)


def lifecycle_checks(t, rig, slow):
    def autostarted():
        vms = vm_list(rig)
        for name in ("hello1", "hello2"):
            assert name in vms and vms[name]["state"] == "running", "%s not running: %s" % (name, vms.get(name))
        counts_grow(rig, "hello1", 2 * slow)
        counts_grow(rig, "hello2", 2 * slow)

    def create():
        out = rig.run("vm create t1 image=hello.elf mem=4M", 60)
        assert "created vm" in out, out
        assert state_of(rig, "t1") == "created"

    def start():
        assert "is running" in rig.run("vm start t1", 60)
        time.sleep(2 * slow)
        counts_grow(rig, "t1", 2 * slow)

    def pause_stops_output():
        assert "is paused" in rig.run("vm pause t1", 60)
        assert state_of(rig, "t1") == "paused", "vm list shows t1 %s" % state_of(rig, "t1")
        time.sleep(0.5 * slow)
        a = last_count(rig, "t1")
        time.sleep(2 * slow)
        b = last_count(rig, "t1")
        assert a is not None, "vm output t1 shows no count while paused"
        assert a == b, "output went on while paused: %s then %s" % (a, b)

    def resume_continues():
        assert "is running" in rig.run("vm resume t1", 60)
        counts_grow(rig, "t1", 2 * slow)

    def illegal_transitions():
        expect_error(rig, "vm start t1", "running")
        expect_error(rig, "vm destroy t1", "running")
        expect_error(rig, "vm resume t1", "running")

    def stop_and_start_again():
        assert "is stopped" in rig.run("vm stop t1", 60)
        expect_error(rig, "vm pause t1", "stopped")
        before = last_count(rig, "t1")
        assert "is running" in rig.run("vm start t1", 60)
        time.sleep(2 * slow)
        text = output(rig, "t1", 100000)
        assert "hello from hello: 0\n" in text.split("hello from hello: %d" % before)[-1], \
            "a started VM did not boot afresh"

    def restart_and_kill():
        try:
            restart_boots_afresh()
        finally:
            assert "is stopped" in rig.run("vm kill t1", 60)
        assert state_of(rig, "t1") == "stopped"

    def restart_boots_afresh():
        before = last_count(rig, "t1")
        up0 = float(vm_list(rig)["t1"]["uptime_s"])
        assert before is not None and before > 0, "t1 had not counted before the restart: %s" % before
        assert "is running" in rig.run("vm restart t1", 60)
        # Read at once: a VM that booted again has been up for less than before the restart.
        up1 = float(vm_list(rig)["t1"]["uptime_s"])
        assert up1 < up0, "uptime did not start again: %.3f s before the restart, %.3f s after" % (up0, up1)
        time.sleep(2 * slow)
        counts_grow(rig, "t1", 2 * slow)
        counts = hello_counts(output(rig, "t1", 100000))
        zero = len(counts) - 1 - counts[::-1].index(0) if 0 in counts else -1
        assert zero > 0 and counts[zero - 1] >= before, \
            "the counter did not start again at 0 after %d: %s" % (before, counts[-12:])
        assert counts[zero:] == list(range(len(counts) - zero)), "counts since the restart: %s" % counts[zero:][:12]

    def destroy():
        assert "destroyed" in rig.run("vm destroy t1", 60)
        assert state_of(rig, "t1") is None
        expect_error(rig, "vm start t1", "no VM named 't1'")

    def bad_requests():
        # Each error names what was wrong (not just the usage text every usage error
        # prints) and creates nothing: the list of VMs and their states stay the same.
        mem_range = "mem must be a multiple of 4K between 1M and 64G"
        before = {n: v["state"] for n, v in vm_list(rig).items()}
        for cmd, needle in (
                ("vm start nosuchvm", "no VM named 'nosuchvm'"),
                ("vm create x1 image=nosuch.elf", "no guest image 'nosuch.elf'"),
                ("vm create x1 image=hello.elf mem=1", mem_range),
                ("vm create x1 image=hello.elf mem=1T", mem_range),
                ("vm create x1 image=hello.elf mem=lots", "mem=lots is not a size"),
                ("vm create hello1 image=hello.elf", "a VM named 'hello1' exists already"),
                ("vm create x1 image=hello.elf cpus=9", "cpus= names a CPU that is not online"),
                ("vm create x1 image=hello.elf vcpus=0", "vcpus=0: give 1 to"),
                ("vm create bad/name image=hello.elf", "bad VM name"),
                ("vm create %s image=hello.elf" % ("n" * 32), "bad VM name"),
                ("vm create x1 image=hello.elf frob=1", "unknown setting 'frob'"),
                ("vm frob", "unknown")):
            expect_error(rig, cmd, needle)
        after = {n: v["state"] for n, v in vm_list(rig).items()}
        assert after == before, "bad requests changed the VMs: %s -> %s" % (before, after)

    def stats():
        s = rig.run_json("vm stats hello1 --json", 60)
        assert s["exits"] > 0 and s["exits_by_reason"]["io"] > 0, s
        assert float(s["guest_s"]) > 0, s

    def two_vcpus():
        assert "created vm" in rig.run("vm create mv image=hello.elf mem=4M vcpus=2", 60)
        assert "is running" in rig.run("vm start mv", 60)
        time.sleep(2 * slow)
        counts_grow(rig, "mv", 2 * slow)
        vm = vm_list(rig)["mv"]
        assert vm["state"] == "running" and vm["vcpus"] == 2, vm
        stats = rig.run_json("vm stats mv --json", 60)
        assert stats["exits_by_reason"]["hlt"] >= 1, "vCPU 1 did not park: %s" % stats
        rig.run("vm kill mv", 60)
        assert "destroyed" in rig.run("vm destroy mv", 60)

    for name, fn in (("hello1 and hello2 autostarted and counting", autostarted), ("vm create", create),
                     ("vm start: output grows", start), ("vm pause: output stops", pause_stops_output),
                     ("vm resume: output continues", resume_continues),
                     ("illegal transitions refused naming the state", illegal_transitions),
                     ("vm stop, then start boots afresh", stop_and_start_again),
                     ("vm restart boots afresh (count from 0, uptime reset), vm kill", restart_and_kill), ("vm destroy", destroy),
                     ("bad names, images, sizes and CPUs refused", bad_requests), ("vm stats --json", stats),
                     ("a 2-vCPU VM runs with its second vCPU parked", two_vcpus)):
        t.check(name, fn)


def create_destroy_loop(t, rig, rounds):
    def loop():
        m0 = rig.run_json("mem --json", 60)
        for i in range(rounds):
            out = rig.run("vm create loop%d image=hello.elf mem=2M" % i, 60)
            assert "created vm" in out, out
            out = rig.run("vm destroy loop%d" % i, 60)
            assert "destroyed" in out, out
        m1 = rig.run_json("mem --json", 60)
        assert m0["free_bytes"] == m1["free_bytes"], "free memory %d before, %d after %d create/destroy" % (
            m0["free_bytes"], m1["free_bytes"], rounds)
        # Each VM's ring, vm struct and UART come from the heap: a leak shows there, not in frames.
        assert m0["heap"]["used_bytes"] == m1["heap"]["used_bytes"], \
            "heap in use %d bytes before, %d after %d create/destroy" % (
                m0["heap"]["used_bytes"], m1["heap"]["used_bytes"], rounds)
    t.check("%d x create+destroy returns every page" % rounds, loop)


# What each hostile attempt must give, per backend, written from the manuals and the guest
# ABI, never from what the hypervisor happens to do. One row per attempt, in the guest's
# order (guests/test/hostile/main.c): (what the guest prints, outcome on VT-x, on AMD-V).
# The guest's view decides: CPUID hides VMX (leaf 1 ECX[5]), SVM (80000001h ECX[2]) and
# SKINIT (80000001h ECX[12]), and the guest's EFER.SVME reads 0.
# Extend it when the hostile guest learns a new attack.
GP, UD = "#GP", "#UD"


def ok(value):
    return "ok value=%#x" % value


HOSTILE_EXPECT = [
    # MSRs (guests/test/hostile/msr.c).
    # IA32_EFER exists where CPUID 80000001h EDX[20] or [29] is set (SDM Vol 4 Table 2-2;
    # APM Vol 2 3.1.7); a 32-bit guest with paging off has every bit clear.
    ("rdmsr IA32_EFER", ok(0), ok(0)),
    # Bit 12 is reserved on Intel (SDM Vol 4 Table 2-2) and SVME is reserved where CPUID
    # says no SVM (APM Vol 2 3.1.7, 15.4): WRMSR of a reserved bit is #GP.
    ("wrmsr IA32_EFER |= SVME", GP, GP),
    # Locked (reads 1): WRMSR of a locked IA32_FEATURE_CONTROL is #GP (SDM Vol 3C 24.7);
    # AMD has no MSR 3Ah (#GP for an unimplemented MSR, APM Vol 3 WRMSR).
    ("wrmsr IA32_FEATURE_CONTROL (0x3a) = 0x5", GP, GP),
    # CPUID 1 EDX[9] (APIC) is clear: no IA32_APIC_BASE to write (SDM Vol 4 Table 2-2).
    ("wrmsr IA32_APIC_BASE = 0x900", GP, GP),
    # SYSENTER_EIP is the guest's own (VMCS guest-state field, SDM Vol 3C 25.4.1; VMCB
    # save area, APM Vol 2 15.5.1): it reads back what was written.
    ("wrmsr IA32_SYSENTER_EIP = 0xdeadbeef", ok(0xdeadbeef), ok(0xdeadbeef)),
    # CPUID 1 EDX[12] (MTRR) is set: type 0 (UC) with E and FE clear is a valid value and
    # reads back (SDM Vol 3A 12.11.2.1); it is the guest's own view, not the machine's.
    ("wrmsr IA32_MTRR_DEF_TYPE = 0", ok(0), ok(0)),
    # VM_CR and VM_HSAVE_PA exist only with SVM (APM Vol 2 15.30.1, 15.30.4), which the
    # guest's CPUID denies; Intel has no such MSRs.
    ("wrmsr VM_CR (0xc0010114) = 0x10", GP, GP),
    ("wrmsr VM_HSAVE_PA (0xc0010117) = 0x1000", GP, GP),
    # IA32_VMX_BASIC exists only if CPUID 1 ECX[5] (VMX) is set (SDM Vol 3D A.1); none on AMD.
    ("rdmsr IA32_VMX_BASIC (0x480)", GP, GP),
    ("rdmsr unknown MSR 0x12345678", GP, GP),
    # VMX instructions (virt.c): #UD outside VMX operation / with CR4.VMXE clear (SDM Vol 3C
    # 31.3, each instruction's "IF (not in VMX operation) THEN #UD"); undefined opcodes on AMD.
    ("VMXON", UD, UD), ("VMPTRLD", UD, UD), ("VMCLEAR", UD, UD), ("VMREAD", UD, UD),
    ("VMWRITE", UD, UD), ("VMLAUNCH", UD, UD), ("VMRESUME", UD, UD), ("VMXOFF", UD, UD),
    ("INVEPT", UD, UD), ("INVVPID", UD, UD),
    # SVM instructions: #UD with EFER.SVME = 0; STGI and SKINIT also need SKINIT and SVM
    # absent from CPUID (APM Vol 3 ch. 4, each instruction's exceptions); undefined on Intel.
    ("VMRUN", UD, UD), ("VMLOAD", UD, UD), ("VMSAVE", UD, UD), ("STGI", UD, UD),
    ("CLGI", UD, UD), ("SKINIT", UD, UD), ("INVLPGA", UD, UD),
    # Ports (ports.c), as the guest platform's device models must answer (hypervisor/dev/platform.h).
    # 8259A data sheet: ICW1 clears the mask register and selects IRR for reads of the
    # command port; nothing is pending (the PIT is not counting before it is programmed,
    # the UART's interrupts are off), so IRR reads 0; the 0xFF to the data port is ICW2 of
    # the init sequence, so the mask register still reads 0.
    ("out 0x20 <- 0x11 (master PIC ICW1), in 0x20", ok(0), ok(0)),
    ("out 0x21 <- 0xff (master PIC mask), in 0x21", ok(0), ok(0)),
    ("out 0xa0 <- 0x11 (slave PIC ICW1), in 0xa0", ok(0), ok(0)),
    ("out 0xa1 <- 0xff (slave PIC mask), in 0xa1", ok(0), ok(0)),
    # 8254 data sheet: an unlatched read of a lobyte/hibyte counter gives the low byte of
    # the count now running down from 65536: any byte.
    ("out 0x43 <- 0x34, 0x40 <- 0 0 (PIT channel 0), in 0x40", re.compile(r"ok value=0x[0-9a-f]{1,2}"),
     re.compile(r"ok value=0x[0-9a-f]{1,2}")),
    # No PCI host bridge: a configuration read of an absent function gives FFFFFFFFh (PCI
    # Local Bus 3.0 6.1).
    ("out 0xcf8 <- 0x80000000, in 0xcfc (PCI 00:00.0 vendor)", ok(0xffffffff), ok(0xffffffff)),
    # PM1a_CNT (ACPI 6.4 4.8.3.2.1): SLP_EN is write-only (reads 0) and SLP_TYP 0 is not the
    # DSDT's \_S5, so nothing sleeps; SLP_TYP reads back 0. The FADT has no SMI_CMD, so the
    # platform is ACPI-only and SCI_EN (bit 0) is always set (ACPI 6.4 4.8.3.2.1, 5.2.9).
    ("outw 0x604 <- 0x2000 (ACPI SLP_EN), inw 0x604", ok(1), ok(1)),
    # No device decodes 0xB004 (the PM block is at 0x600): the bus floats, all ones.
    ("outw 0xb004 <- 0x2000 (ACPI SLP_EN), inw 0xb004", ok(0xffff), ok(0xffff)),
    # The VM's own local APIC and IOAPIC (apic.c). An ICR write reads back as written, with
    # delivery status 0 once sent (SDM Vol 3A 11.6.1): the last, a SIPI, is 0x4620. The
    # version register is read-only: version 14h, 6 LVT entries (Max LVT 5, SDM Vol 3A
    # 11.4.8). IOAPICVER (82093AA data sheet 3.2.2): version 11h, 24 pins (max entry 17h).
    ("IPI to APIC 7 that does not exist (fixed, NMI, INIT, SIPI)", ok(0x4620), ok(0x4620)),
    ("IPI to APIC 0xFE that does not exist", ok(0x4620), ok(0x4620)),
    ("self-IPI storm (2000 fixed)", ok(0x50014), ok(0x50014)),
    ("NMI self-IPI storm (2000)", ok(0x50014), ok(0x50014)),
    ("LAPIC write 0xffffffff at every offset", ok(0x50014), ok(0x50014)),
    ("LAPIC write 0 at every offset", ok(0x50014), ok(0x50014)),
    ("IOAPIC bogus vector and destination, every window index", ok(0x170011), ok(0x170011)),
    # Hypercalls (hypercalls.c), as include/bulwark/hypercall.h defines them; the guest
    # sees the low 32 bits of RAX.
    ("hypercall HC_VERSION (valid, for reference)", ok(1), ok(1)),          # HC_ABI_VERSION
    ("hypercall 0xffff (unknown)", ok(0xffffffda), ok(0xffffffda)),          # HC_ENOSYS = -38
    ("hypercall 0x7fffffff (unknown)", ok(0xffffffda), ok(0xffffffda)),
    ("hypercall 0xffffffff (unknown)", ok(0xffffffda), ok(0xffffffda)),
    ("hypercall HC_PUTCHAR with byte 0x1234", ok(0), ok(0)),                # RBX = byte: the low 8 bits
    # Instructions that must exit and be decided in hypervisor/exit.c (intercepts.c).
    # No performance counters are offered (CPUID leaf 0Ah is 0): every ECX is invalid, #GP
    # (SDM Vol 2B RDPMC). WBINVD/INVD complete with nothing to write back.
    ("RDPMC counter 0", GP, GP), ("WBINVD", ok(0), ok(0)), ("INVD", ok(0), ok(0)),
    # CPUID.1:ECX[3] (MONITOR) is clear: both are #UD (SDM Vol 2B MONITOR, MWAIT).
    ("MONITOR", UD, UD), ("MWAIT", UD, UD),
    # PKE (bit 22) and LA57 (bit 12) are not offered: MOV to CR4 setting them is #GP
    # (SDM Vol 2B MOV CR: "attempt to set reserved bits").
    ("mov cr4 |= PKE", GP, GP), ("mov cr4 |= LA57", GP, GP),
    # XSETBV is #UD with CR4.OSXSAVE clear, #GP for an invalid XCR0 or an XCR other than 0
    # (SDM Vol 2D XSETBV, Vol 1 13.3); OSXSAVE is offered (CPUID.1:ECX[26]) and reads back.
    ("XSETBV XCR0 = 3 without CR4.OSXSAVE", UD, UD),
    ("mov cr4 |= OSXSAVE (offered)", ok(0x40000), ok(0x40000)),
    ("XSETBV XCR0 = 2 (no x87)", GP, GP), ("XSETBV to XCR1", GP, GP),
    ("XSETBV XCR0 = 3 (valid)", ok(3), ok(3)),
    # RDTSCP returns IA32_TSC_AUX in ECX (SDM Vol 2B RDTSCP): the value the guest wrote.
    ("wrmsr TSC_AUX = 0x5a5a then RDTSCP", ok(0x5a5a), ok(0x5a5a)),
    # ICEBP (F1) raises #DB (SDM Vol 3A 6.15, interrupt 1); QEMU's TCG treats it as #UD.
    ("ICEBP (INT1)", "#DB", UD),
    # EFLAGS.TF: a single-step trap after the next instruction (SDM Vol 3A 18.3.1.4).
    ("single step with EFLAGS.TF", "#DB", "#DB"),
    # Prefixes are part of the instruction (APM Vol 3 1.2): each resumes after its last byte
    # and returns what the plain form does (1).
    ("CPUID with a DS prefix", ok(1), ok(1)), ("RDMSR with a DS prefix", ok(1), ok(1)),
    ("hypercall with an ES prefix", ok(1), ok(1)),
    # The escapes are written to COM1; what the console makes of them is checked apart.
    ("terminal escapes", ok(0), ok(0)),
]

# Exits the hostile guest must have caused: the instruction was intercepted, not run by the
# CPU (single step is a #DB; QEMU's TCG ignores the XSETBV intercept, so it is not counted).
HOSTILE_EXITS = {"exception": 1, "rdpmc": 1, "wbinvd": 2, "monitor": 2, "cr": 2}
BACKENDS = ("vmx", "svm")


def hostile_mismatches(results, outcomes, backend):
    """Compares the guest's tries with HOSTILE_EXPECT; returns what differs (empty when all match)."""
    col = 1 + BACKENDS.index(backend)
    bad = []
    for i, row in enumerate(HOSTILE_EXPECT):
        n = str(i + 1)
        if results.get(n) != row[0]:
            bad.append("try %s is %r, the table expects %r" % (n, results.get(n), row[0]))
        elif not (row[col].fullmatch(outcomes.get(n) or "") if hasattr(row[col], "fullmatch")
                  else outcomes.get(n) == row[col]):
            want = row[col].pattern if hasattr(row[col], "pattern") else row[col]
            bad.append("try %s (%s) gave %r, expected %r" % (n, row[0], outcomes.get(n), want))
    return bad


def hostile_stop_problem(text):
    """Why the hostile guest's output does not end at its first access outside RAM ('' when it does)."""
    m = re.search(r"hostile: start ram=0x([0-9a-f]+)\n", text)
    if not m:
        return "hostile did not report its RAM size"
    first = len(HOSTILE_EXPECT) + 1  # the first memory attack: a read just past its RAM
    tries = [int(n) for n in re.findall(r"hostile: try (\d+):", text)]
    want = "hostile: try %d: read 0x%08x\n" % (first, int(m.group(1), 16) & ~3)
    if want not in text:
        return "try %d is not the read just past RAM: %r" % (first, want)
    if max(tries) != first:
        return "the VM ran on after try %d, up to try %d" % (first, max(tries))
    if "hostile: result %d:" % first in text:
        return "the read outside RAM completed"
    if "hostile: done" in text:
        return "hostile survived every attack"
    return ""


def isolation_checks(t, rig, slow, backend):
    """backend: 'vmx' or 'svm', the column of HOSTILE_EXPECT that applies."""
    state = {}

    def run_hostile():
        state["integrity"] = rig.run_json("integrity --json", 60)
        state["h1"] = last_count(rig, "hello1")
        state["h2"] = last_count(rig, "hello2")
        assert "created vm" in rig.run("vm create hs image=hostile.elf mem=16M", 60)
        assert "is running" in rig.run("vm start hs", 60)
        wait_state(rig, "hs", "crashed", 120 * slow)

    def every_attack_refused():
        text = output(rig, "hs", 60000)
        results = dict(re.findall(r"hostile: try (\d+): ([^\n]*)\n", text))
        outcomes = dict(re.findall(r"hostile: result (\d+): ([^\n]*)\n", text))
        bad = hostile_mismatches(results, outcomes, backend)
        assert not bad, "%d of %d attempts differ: %s" % (len(bad), len(HOSTILE_EXPECT), "; ".join(bad))

    def stopped_at_first_memory_access():
        problem = hostile_stop_problem(output(rig, "hs", 60000))
        assert not problem, problem

    def escapes_neutralised():
        raw = rig.type_line("vm output hs -n 60000\r", 60)
        assert b"terminal escapes" in raw, "hostile did not reach its terminal attack"
        assert b"\x1b[2J" not in raw and b"\x1b]0;" not in raw and b"\x07" not in raw, \
            "raw escape sequences reached the operator's terminal"
        assert b"\\x1b[2J" in raw, "the escapes are not shown escaped"

    def privileged_instructions_exited():
        by = rig.run_json("vm stats hs --json", 60)["exits_by_reason"]
        short = {k: (by.get(k, 0), n) for k, n in HOSTILE_EXITS.items() if by.get(k, 0) < n}
        assert not short, "too few exits (got, wanted): %s" % short

    def reason_logged():
        vms = vm_list(rig)
        assert "outside its RAM" in vms["hs"]["reason"], vms["hs"]
        assert "outside its RAM" in rig.run("log -n 40", 60)

    def neighbours_unharmed():
        counts_grow(rig, "hello1", 2 * slow)
        counts_grow(rig, "hello2", 2 * slow)
        assert last_count(rig, "hello1") > state["h1"] and last_count(rig, "hello2") > state["h2"]

    def hypervisor_unchanged():
        after = rig.run_json("integrity --json", 60)
        assert after == state["integrity"], "hypervisor checksum changed: %s -> %s" % (state["integrity"], after)

    def interrupt_attacks_counted():
        refused = rig.run_json("vm stats hs --json", 60)["interrupts_refused"]
        # 2 tries x (fixed, NMI, INIT, SIPI) to absent APICs, and an ICR of 0: vector 0 is illegal.
        assert refused["undelivered"] >= 8 and refused["illegal_vectors"] >= 1, refused
        assert "interrupts refused:" in rig.run("vm stats hs", 60)

    def cleanup():
        assert "destroyed" in rig.run("vm destroy hs", 60)

    for name, fn in (("hostile guest runs until it is stopped", run_hostile),
                     ("every hostile attempt gives the manuals' outcome (%d attempts)" % len(HOSTILE_EXPECT),
                      every_attack_refused),
                     ("the VM stopped at its first access outside RAM", stopped_at_first_memory_access),
                     ("guest escape sequences are neutralised outside attach mode", escapes_neutralised),
                     ("#DB, RDPMC, WBINVD, MONITOR and CR4 writes exited to the hypervisor",
                      privileged_instructions_exited),
                     ("the stop reason is logged", reason_logged),
                     ("hello guests keep counting beside hostile", neighbours_unharmed),
                     ("hostile's interrupt-controller attacks are counted in vm stats", interrupt_attacks_counted),
                     ("hypervisor code checksum unchanged", hypervisor_unchanged),
                     ("hostile destroyed", cleanup)):
        t.check(name, fn)


def scheduling_checks(t, rig, slow, cpus=2):
    def spinners_do_not_starve():
        for c in range(cpus):
            assert "created vm" in rig.run("vm create spin%d image=spin.elf mem=2M cpus=%d" % (c, c), 60)
            assert "is running" in rig.run("vm start spin%d" % c, 60)
        time.sleep(1 * slow)
        t0 = time.monotonic()
        out = rig.run("version", 30 * slow)
        elapsed = time.monotonic() - t0
        t.note("console answered in %.3f s with a spin guest on each of %d CPUs" % (elapsed, cpus))
        assert "Bulwark" in out, out
        counts_grow(rig, "hello1", 3 * slow)
        counts_grow(rig, "hello2", 3 * slow)
        for c in range(cpus):
            assert state_of(rig, "spin%d" % c) == "running"
            rig.run("vm kill spin%d" % c, 60)
            rig.run("vm destroy spin%d" % c, 60)

    def whole_slices():
        # Two guests that never exit by themselves share CPU 1: each runs a scheduler slice
        # (10 ms, SCHED_SLICE_HZ) at a time, so its exits number about 100 per second of guest
        # time. A slice cut short by the other runnable vCPU would give tens of thousands.
        names = ("sa", "sb")
        for n in names:
            assert "created vm" in rig.run("vm create %s image=spin.elf mem=2M cpus=1" % n, 60)
            assert "is running" in rig.run("vm start %s" % n, 60)
        try:
            time.sleep(2 * slow)
            rates = {}
            for n in names:
                s = rig.run_json("vm stats %s --json" % n, 60)
                assert s["guest_s"] > 0.05, "%s ran only %.3f s" % (n, s["guest_s"])
                rates[n] = s["exits"] / s["guest_s"]
            t.note("exits per guest second with two spinners on one CPU: %s"
                   % ", ".join("%s %.0f" % kv for kv in sorted(rates.items())))
            assert all(r <= 1000 for r in rates.values()), rates
        finally:
            for n in names:
                rig.run("vm kill %s" % n, 60)
                rig.run("vm destroy %s" % n, 60)

    def attach_detach():
        rig.drain()
        with rig.cond:
            rig.pos = len(rig.buf)
        rig.send("vm console hello1\r")
        rig.expect(r"attached to hello1", 30 * slow)
        rig.expect(r"hello from hello: \d+", 30 * slow)
        rig.expect(r"hello from hello: \d+", 30 * slow)
        rig.send("q\x1b[A\x03")  # a letter, an arrow and Ctrl-C all reach the guest
        for code in ("71", "1b", "5b", "41", "03"):
            rig.expect(r"hello: key 0x%s" % code, 30 * slow)
        rig.send(DETACH)
        rig.expect(r"detached from hello1", 30 * slow)
        rig.expect(R.PROMPT_RE, 30 * slow)
        assert "Bulwark" in rig.run("version", 30)

    def pair_keeps_state(image, names, what):
        for n in names:
            assert "created vm" in rig.run("vm create %s image=%s.elf mem=2M cpus=0" % (n, image), 60)
            assert "is running" in rig.run("vm start %s" % n, 60)
        try:
            # A round is 4000 exits: on a loaded machine that can take seconds, so wait for
            # two rounds of each guest (up to a minute per slow unit) rather than a fixed time.
            deadline = time.monotonic() + 60 * slow
            for n in names:
                while True:
                    rounds = re.findall(r"%s: round \d+ (ok|[A-Z]+[^\n]*)\n" % image, output(rig, n, 20000))
                    if len(rounds) >= 2 or time.monotonic() > deadline:
                        break
                    time.sleep(1)
                bad = [r for r in rounds if r != "ok"]
                assert len(rounds) >= 2, "%s finished only %d rounds in %d s" % (n, len(rounds), 60 * slow)
                assert not bad, "%s saw its %s change across exits: %s" % (n, what, bad[0])
        finally:
            for n in names:
                rig.run("vm kill %s" % n, 60)
                rig.run("vm destroy %s" % n, 60)

    def sse_state_kept_per_guest():
        pair_keeps_state("fpu_check", ("fa", "fb"), "SSE registers")

    def debug_registers_kept_per_guest():
        pair_keeps_state("dr_check", ("da", "db"), "debug registers")

    def avx_state_kept_per_guest():
        pair_keeps_state("avx_check", ("xa", "xb"), "YMM registers (XSAVE state)")

    t.check("two guests on one CPU keep their own SSE registers across exits", sse_state_kept_per_guest)
    t.check("two guests on one CPU keep their own DR0-DR3 across exits", debug_registers_kept_per_guest)
    t.check("two guests on one CPU enable AVX with XSETBV and keep their own YMM registers", avx_state_kept_per_guest)
    t.check("a spin guest on every CPU: the console answers, hello guests keep printing", spinners_do_not_starve)
    t.check("two spin guests on one CPU take whole slices in turn (not one exit each)", whole_slices)
    t.check("vm console attaches, streams live output, Ctrl-] detaches", attach_detach)


PLATFORM_LINES = [
    "platform: pm timer advances", "platform: pit channel 2 counts", "platform: apic base 0xfee00900",
    "platform: lapic version 0x50014", "platform: ioapic version 0x170011",
]


AC_LOOP_PLAN = 1


def exception_exits(rig, name):
    return rig.run_json("vm stats %s --json" % name, 60)["exits_by_reason"].get("exception", 0)


def start_and_wait(rig, name, image, mem, marker, slow):
    """Creates and starts a test guest on CPU 1, waits for `marker` in its output, then two
    slow units more; returns its output."""
    assert "created vm" in rig.run("vm create %s image=%s mem=%s cpus=1" % (name, image, mem), 60)
    assert "is running" in rig.run("vm start %s" % name, 60)
    deadline = time.monotonic() + 30 * slow
    while marker not in output(rig, name) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2 * slow)
    return output(rig, name)


def contained_then_gone(rig, name, what, slow):
    """Beside a guest looping in exits: the console answers at once, the guest still runs, the
    hello guests count; then it is killed and destroyed."""
    t0 = time.monotonic()
    assert re.search(r"Bulwark \d", rig.run("version", 60))
    took = time.monotonic() - t0
    assert took < 5 * slow, "the console took %.1f s to answer beside the %s loop" % (took, what)
    assert state_of(rig, name) == "running", vm_list(rig)[name]
    counts_grow(rig, "hello1", 2 * slow)
    counts_grow(rig, "hello2", 2 * slow)
    assert "is stopped" in rig.run("vm kill %s" % name, 60)
    assert "destroyed" in rig.run("vm destroy %s" % name, 60)


def ac_loop_checks(t, rig, slow, backend):
    """guests/test/ac_loop.c: an #AC that recurs during its own delivery at ring 3. With #AC
    intercepted (SDM Vol 3C 25.6.3, APM Vol 2 15.12) every delivery exits: the VM stays running,
    spinning in exception exits, while the console answers and the neighbours count. QEMU's TCG
    does not check alignment (backend 'svm' here): there the guest reports no #AC from ring 3."""
    def ac_loop():
        text = start_and_wait(rig, "acl", "ac_loop.elf", "2M", "ac_loop: entering ring 3", slow)
        assert "ac_loop: entering ring 3" in text, "ac_loop did not reach ring 3: %r" % text[-300:]
        assert "handler ran" not in text, "a delivery completed: %r" % text[-300:]
        if backend == "svm":
            assert "no #AC at ring 3" in text, "QEMU's TCG was expected not to check alignment: %r" % text[-300:]
        else:
            first = exception_exits(rig, "acl")
            time.sleep(2 * slow)
            second = exception_exits(rig, "acl")
            assert first > 0 and second > first, "#AC exits %d then %d: each delivery should exit" % (first, second)
            assert "no #AC" not in text
        contained_then_gone(rig, "acl", "#AC", slow)

    t.check("an #AC recurring in its own delivery at ring 3 exits each time; the console answers", ac_loop)


DB_LOOP_PLAN = 1


def db_loop_checks(t, rig, slow):
    """guests/test/db_loop.c: a #DB recurring in its own delivery in 64-bit mode (IST 1 and a
    data breakpoint on the frame's SS slot). On a CPU each delivery raises the next #DB; with #DB
    intercepted (SDM Vol 3C 25.6.3) each one exits and the VM spins in exits. Bochs raises the
    #DB of the first delivery's push, which exits, but does not watch the pushes of the event
    the hypervisor then injects, so there the loop ends after one exit and the handler runs;
    without the intercept Bochs loops in the guest's deliveries and the console stops answering.
    VT-x only: QEMU's TCG aborts (an internal assertion) on a watchpoint hit during a nested
    SVM delivery, whatever the hypervisor does."""
    def db_loop():
        text = start_and_wait(rig, "dbl", "db_loop.elf", "4M", "in 64-bit mode", slow)
        assert "in 64-bit mode, #DB on IST 1" in text, "db_loop did not reach 64-bit mode: %r" % text[-300:]
        assert "unexpected exception" not in text and "returned without a #DB" not in text, text[-300:]
        exits = exception_exits(rig, "dbl")
        assert exits >= 1, "no #DB exit: the breakpoint on the delivery's own push did not exit"
        if "handler ran" not in text:  # a CPU that keeps raising it: every delivery exits
            time.sleep(2 * slow)
            assert exception_exits(rig, "dbl") > exits, "#DB exits stopped at %d with no handler run" % exits
        t.note("db_loop: %d #DB exits; %s" % (exits, "the handler ran after them" if "handler ran" in text
                                                   else "still looping in exits"))
        contained_then_gone(rig, "dbl", "#DB", slow)

    t.check("a #DB raised by its own delivery's push (64-bit, IST) exits to the hypervisor; the console answers",
            db_loop)


STACK_PLAN = 1


def stack_checks(t, rig):
    """After the suite's guests and commands: how deep each CPU's kernel stack has been
    (stacks start zeroed; 'cpus --json' reports the deepest byte written). An overflow
    would run into the heap block below the stack, with no guard page to stop it."""
    def stacks_fit():
        cpus = rig.run_json("cpus --json", 60)["cpus"]
        use = [(c["index"], c["stack_used_bytes"], c["stack_bytes"]) for c in cpus]
        t.note("deepest kernel-stack use (cpu, bytes, of): %r" % use)
        assert all(0 < used < size for _, used, size in use), use

    t.check("every CPU's deepest kernel-stack use stays inside its stack", stacks_fit)


NMI_PLAN = 1


def nmi_checks(t, rig, slow):
    """An NMI nobody sent for a panic is counted and dismissed: no panic, the console answers, the
    guests go on. QEMU's monitor 'nmi' raises LINT1 on every CPU, which Bulwark programs as the
    NMI line (SDM Vol 3A 11.5.1): it reaches each CPU in the host or in a guest (an NMI exit,
    then the host takes it once GIF is set again, APM Vol 2 15.17)."""
    def nmi_dismissed():
        before = {c["index"]: c["nmis"] for c in rig.run_json("cpus --json", 60)["cpus"]}
        rig.monitor("nmi")
        deadline = time.monotonic() + 30 * slow
        while True:
            cpus = rig.run_json("cpus --json", 60)["cpus"]
            got = {c["index"]: c["nmis"] - before[c["index"]] for c in cpus}
            if all(n >= 1 for n in got.values()) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert all(n >= 1 for n in got.values()), "NMIs counted per CPU since the injection: %r" % got
        assert "PANIC" not in rig.output().decode("latin-1"), "the NMI panicked the host"
        counts_grow(rig, "hello1", 2 * slow)
        counts_grow(rig, "hello2", 2 * slow)

    t.check("an NMI on every CPU while guests run is counted and dismissed (no panic)", nmi_dismissed)


def platform_checks(t, rig, slow, rtc_tolerance_s=None):
    """The `platform` guest reads the virtual PC's devices, resets itself three ways, then takes the
    ACPI power button: boot 3 ignores it (vm stop kills it after --timeout), boot 4 powers off.

    rtc_tolerance_s: how far the guest's RTC may be from the host's UTC clock (None: only its format,
    for rigs whose emulated clock does not follow the host's)."""
    state = {}

    def wait_for(needle, count, timeout):
        deadline = time.monotonic() + timeout
        while True:
            out = output(rig, "pf", 8000)
            if out.count(needle) >= count:
                return out
            vm = vm_list(rig)["pf"]
            assert vm["state"] != "crashed", vm
            assert time.monotonic() < deadline, "no %r (x%d) from pf: %s %r" % (needle, count, vm, out[-400:])
            time.sleep(0.5)

    def wait_stopped(reason, timeout):
        deadline = time.monotonic() + timeout
        while True:
            vm = vm_list(rig)["pf"]
            if vm["state"] == "stopped" and vm["reason"] == reason:
                return
            assert vm["state"] != "crashed" and time.monotonic() < deadline, "pf: %s, wanted %r" % (vm, reason)
            time.sleep(0.5)

    def run_to_power_button():
        assert "created vm" in rig.run("vm create pf image=platform.elf mem=4M", 60)
        state["t0"] = time.time()
        assert "is running" in rig.run("vm start pf", 60)
        state["out"] = wait_for("platform: waiting for the power button\n", 1, 120 * slow)

    def reboots():
        out = state["out"]
        for n in range(4):
            assert "platform: boot %d\n" % n in out, "boot %d missing: %r" % (n, out[-600:])
        assert "still running after the exit" not in out, out[-600:]
        log = rig.run("log -n 60", 60)
        for how in ("reset through port 0xcf9", "keyboard controller command 0xfe", "fast reset through port 0x92"):
            assert "guest reset (%s)" % how in log, "no '%s' in the log" % how

    def devices():
        out = state["out"]
        for line in PLATFORM_LINES:
            assert line + "\n" in out, "no %r in %r" % (line, out[-800:])
        m = re.search(r"platform: rtc (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\n", out)
        assert m, "no RTC line: %r" % out[-800:]
        y, mo, d, h, mi, s = (int(x) for x in m.groups())
        assert 1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 60, m.group(0)
        if rtc_tolerance_s is not None:
            import calendar
            guest = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
            assert abs(guest - state["t0"]) <= rtc_tolerance_s, "guest RTC %s, host UTC %s" % (
                m.group(0).strip(), time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(state["t0"])))

    def ignored_button_kills():
        out = rig.run("vm stop pf --timeout 3", 60)
        assert "power button pressed; it is killed if still running in 3 s" in out, out
        wait_for("platform: ignoring the power button\n", 1, 60 * slow)
        wait_stopped("killed: still running 3 s after the power button", 60 * slow)
        assert "still running 3 s after the power button" in rig.run("log -n 20", 60)

    def button_powers_off():
        assert "is running" in rig.run("vm start pf", 60)
        wait_for("platform: waiting for the power button\n", 2, 60 * slow)  # boot 4: the CMOS kept the count
        assert "power button pressed" in rig.run("vm stop pf", 60)
        wait_stopped("guest powered off", 60 * slow)
        out = output(rig, "pf", 8000)
        boot4 = out[out.find("platform: boot 4\n"):]
        assert "platform: boot 4\n" in out and "platform: power button pressed\nplatform: power off\n" in boot4, \
            out[-300:]

    def cleanup():
        assert "destroyed" in rig.run("vm destroy pf", 60)

    for name, fn in (("platform guest resets itself three ways, then takes the power button", run_to_power_button),
                     ("each reset reboots the VM (0xCF9, keyboard controller, port 0x92)", reboots),
                     ("the guest reads the PM timer, PIT, RTC, LAPIC and IOAPIC", devices),
                     ("vm stop of a guest that ignores the power button kills it after --timeout", ignored_button_kills),
                     ("vm stop presses the power button; the guest powers off through S5", button_powers_off),
                     ("platform guest destroyed", cleanup)):
        t.check(name, fn)


# The quick deadline of a `ct` command (CT_QUICK_TIMEOUT_S, hypervisor/agent/ct_ops.h).
CT_QUICK_TIMEOUT_S = 5


def ct_checks(t, rig, slow):
    """`ct` at the console without an agent: every error names its cause, nothing hangs.
    The toy guest hello1 has no agent: until the virtio-console exists it has no agent port
    at all; with the device it has the port but nothing opens it. Either answer is correct."""

    def timed(cmd):
        t0 = time.monotonic()
        out = rig.run(cmd, 60 * slow)
        return out, time.monotonic() - t0

    def no_such_vm():
        expect_error(rig, "ct list NOSUCH", "no VM named 'NOSUCH'; 'vm list' shows them")
        expect_error(rig, "ct stats NOSUCH web --json", "no VM named 'NOSUCH'")

    def toy_guest_has_no_agent():
        out, took = timed("ct list hello1")
        t.note("ct list hello1 answered in %.2f s" % took)
        assert out.startswith("error:"), out
        assert ("vm 'hello1' has no agent channel" in out
                or "the agent in vm 'hello1' is not connected" in out), out
        assert took < (CT_QUICK_TIMEOUT_S + 5) * slow, "ct list took %.1f s" % took

    def console_answers_next():
        rig.run("ct list hello1 --json", 60 * slow)
        out, took = timed("version")
        t.note("the next command answered in %.2f s" % took)
        assert "Bulwark" in out, out
        assert took < 5 * slow, "version took %.1f s after a ct error" % took
        counts_grow(rig, "hello1", 2 * slow)

    def not_running():
        assert "created vm" in rig.run("vm create ctidle image=hello.elf mem=4M", 60)
        try:
            expect_error(rig, "ct list ctidle", "vm 'ctidle' is created, not running; start it with 'vm start ctidle'")
        finally:
            rig.run("vm destroy ctidle", 60)

    def bad_run_arguments():
        # Each names what is wrong and shows the usage; none reaches a VM (NOSUCH would say so).
        for cmd, needle in (
                ("ct run NOSUCH web", "error: missing IMAGE; usage: ct run VM NAME IMAGE"),
                ("ct run NOSUCH .web busybox", "'.web' is not a container name"),
                ("ct run NOSUCH web busybox --mem=12Q", "--mem takes a size from 1M to 1T"),
                ("ct run NOSUCH web busybox --cpus=0.0001", "--cpus takes a number of CPUs from 0.01 to 1024"),
                ("ct run NOSUCH web busybox --pids=0", "option '--pids' takes 1 to 4194304, not '0'"),
                ("ct run NOSUCH web busybox --env=1=2", "--env: the name in '1=2' may hold only letters"),
                ("ct run NOSUCH web busybox sh", "unexpected word 'sh' (a command goes after --)"),
                ("ct exec NOSUCH web", "missing the command: put it after --"),
                ("ct kill NOSUCH web FOO", "'FOO' is not a signal"),
                ("ct stop NOSUCH web --timeout 0", "option '--timeout' takes 1 to 3600"),
                ("ct top NOSUCH", "unknown ct command 'top'; type 'help ct' for the list"),
        ):
            out = rig.run(cmd, 60)
            assert needle in out and "no VM named" not in out, "%r printed %r" % (cmd, out)

    def help_lists_ct():
        out = rig.run("help ct", 60)
        for sub in ("ct list VM [--json]", "ct run VM NAME IMAGE", "ct exec VM NAME [-i] -- CMD ARGS...",
                    "ct logs VM NAME [-n LINES] [-f]", "ct stop VM NAME [--timeout S]", "ct kill VM NAME [SIGNAL]",
                    "ct rm VM NAME", "ct stats VM NAME [--json]", "ct images VM [--json]"):
            assert sub in out, "help ct lacks %r: %r" % (sub, out)

    for name, fn in (("ct list of a VM that does not exist says so", no_such_vm),
                     ("ct list of a toy guest: no agent channel, within the timeout", toy_guest_has_no_agent),
                     ("the console answers the next command at once; the guest runs on", console_answers_next),
                     ("ct list of a VM not running says so", not_running),
                     ("bad ct run/exec/kill/stop arguments: each error says what is wrong", bad_run_arguments),
                     ("help ct lists every ct command", help_lists_ct)):
        t.check(name, fn)
