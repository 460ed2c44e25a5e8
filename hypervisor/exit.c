/* The one table from neutral exit codes to handlers, and the small handlers that need no device. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/exit.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/intr.h"
#include "hypervisor/vm.h"
#include "hypervisor/virt_ops.h"
#include "kernel/sched.h"

#define RFLAGS_IF (1u << 9)
#define HLT_SLEEP_NS (1000000000ull / SCHED_SLICE_HZ) /* the longest sleep: a stale timer estimate costs one slice */

static enum exit_action exit_resume(struct vcpu *v, const struct vm_exit *e)
{
	(void)v, (void)e;
	return EXIT_RESUME;
}

static enum exit_action exit_yield(struct vcpu *v, const struct vm_exit *e)
{
	(void)v, (void)e;
	return EXIT_YIELD;
}

/*
 * HLT with interrupts off: nothing can wake this vCPU again (no NMI source),
 * so it is parked for good; the VM ends when its last vCPU is parked (a vCPU
 * still waiting for INIT/SIPI counts as parked: no one is left to start it). With
 * interrupts on, the vCPU sleeps until an interrupt arrives for it or the VM's
 * next timer event (hypervisor/intr.c), a slice at most.
 */
static bool all_parked(const struct vm *vm)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		if (vm->vcpus[i].halted_until_ns != VCPU_PARKED && !vm->vcpus[i].wait_sipi)
			return false;
	return true;
}

static enum exit_action exit_hlt(struct vcpu *v, const struct vm_exit *e)
{
	v->regs.rip += e->inst_len;
	if (v->regs.rflags & RFLAGS_IF) {
		intr_halt(v, HLT_SLEEP_NS);
		return EXIT_YIELD;
	}
	v->halted_until_ns = VCPU_PARKED;
	if (!all_parked(v->vm))
		return EXIT_YIELD;
	vm_end(v->vm, VM_OP_STOP, "every vCPU halted with interrupts disabled (the last at 0x%llx)",
	       (unsigned long long)(v->regs.rip - e->inst_len));
	return EXIT_STOP_VM;
}

enum exit_action exit_raise(struct vcpu *v, uint8_t vector)
{
	virt_ops_get()->inject_exception(v, vector, vector == X86_GP, 0);
	return EXIT_RESUME;
}

/* A guest may not use VMX or SVM itself: the instruction is undefined for it. */
static enum exit_action exit_virt_insn(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	return exit_raise(v, X86_UD);
}

static enum exit_action exit_triple_fault(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	vm_end(v->vm, VM_OP_CRASH, "vCPU %u triple-faulted at rip 0x%llx", v->index, (unsigned long long)v->regs.rip);
	return EXIT_CRASH_VM;
}

static enum exit_action exit_bad_state(struct vcpu *v, const struct vm_exit *e)
{
	vm_end(v->vm, VM_OP_CRASH, "VM entry of vCPU %u failed (reason %#llx, detail %#llx)", v->index,
	       (unsigned long long)e->raw_reason, (unsigned long long)e->qual);
	return EXIT_CRASH_VM;
}

static enum exit_action exit_unhandled(struct vcpu *v, const struct vm_exit *e)
{
	vm_end(v->vm, VM_OP_CRASH, "unhandled exit %#llx (qualification %#llx) at rip 0x%llx",
	       (unsigned long long)e->raw_reason, (unsigned long long)e->qual, (unsigned long long)v->regs.rip);
	return EXIT_CRASH_VM;
}

static const struct {
	const char *name;
	exit_handler_t handler;
} exit_table[EXIT_CODE_COUNT] = {
	[EXIT_NONE] = { "none", exit_resume },
	[EXIT_PREEMPT] = { "preempt", exit_yield },
	[EXIT_EXTINT] = { "extint", exit_yield },
	[EXIT_CPUID] = { "cpuid", exit_cpuid },
	[EXIT_HLT] = { "hlt", exit_hlt },
	[EXIT_IO] = { "io", exit_io },
	[EXIT_MSR_READ] = { "rdmsr", exit_msr_read },
	[EXIT_MSR_WRITE] = { "wrmsr", exit_msr_write },
	[EXIT_CR_ACCESS] = { "cr", exit_cr },
	[EXIT_MMIO] = { "mmio", exit_mmio },
	[EXIT_HYPERCALL] = { "hypercall", exit_hypercall },
	[EXIT_VIRT_INSN] = { "virt-insn", exit_virt_insn },
	[EXIT_TRIPLE_FAULT] = { "triple-fault", exit_triple_fault },
	[EXIT_BAD_STATE] = { "bad-state", exit_bad_state },
	[EXIT_UNHANDLED] = { "unhandled", exit_unhandled },
	[EXIT_INTR_WINDOW] = { "intr-window", exit_resume }, /* the next entry injects (hypervisor/intr.c) */
};

const char *exit_code_name(uint32_t code)
{
	return code < EXIT_CODE_COUNT && exit_table[code].name ? exit_table[code].name : "?";
}

enum exit_action exit_dispatch(struct vcpu *v, const struct vm_exit *e)
{
	uint32_t code = e->code < EXIT_CODE_COUNT && exit_table[e->code].handler ? e->code : EXIT_UNHANDLED;
	return exit_table[code].handler(v, e);
}
