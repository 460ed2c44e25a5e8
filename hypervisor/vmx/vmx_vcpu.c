/* vCPUs on VT-x: VMCS life cycle, VM entry with the preemption timer, exit collection (SDM Vol 3C 25-28). */
/* SPDX-License-Identifier: MIT */

#include <stddef.h>
#include <stdlib.h>
#include "hypervisor/vm.h"
#include "hypervisor/virt.h"
#include "hypervisor/vmx/vmcs.h"
#include "hypervisor/vmx/vmx_exit.h"
#include "hypervisor/vmx/vmx_insn.h"
#include "hypervisor/vmx/vmx_local.h"
#include "hypervisor/vmx/vmx_run.h"
#include "hypervisor/vmx/vmx_vcpu.h"
#include "hypervisor/vmx/vmx_vm.h"
#include "hypervisor/vmx/vpid.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/mm/pmm.h"
#include "kernel/smp.h"

#define CR0_PE (1ull << 0)
#define CR0_PG (1ull << 31)
#define EFER_LME (1ull << 8)
/* Guest interruptibility state bits 0-1: blocking by STI and by MOV SS, 3: by NMI (SDM Vol 3C 25.4.2 table 25-3). */
#define INTERRUPTIBILITY_STI_MOVSS 0x3u
#define INTERRUPTIBILITY_NMI 0x8u
#define RFLAGS_IF (1ull << 9)

/* The vCPU's state if it may touch its VMCS on this CPU; logs and returns NULL otherwise. */
static struct vmx_vcpu *owned_here(struct vcpu *v)
{
	struct vmx_vcpu *a = v->arch;

	if (!a || !vmx_this_cpu() || a->owner_cpu != this_cpu_index()) {
		log_error("vmx: %s vCPU %u: VMCS not usable on CPU %u", v->vm->name, v->index, this_cpu_index());
		return NULL;
	}
	return a;
}

/* VMPTRLD when this CPU's current VMCS is another one (SDM Vol 3C 25.11.3). */
static int make_current(struct vmx_vcpu *a)
{
	struct vmx_cpu *c = vmx_this_cpu();

	if (c->current_vmcs == a->vmcs_pa)
		return 0;
	if (vmptrld(a->vmcs_pa))
		return -1;
	c->current_vmcs = a->vmcs_pa;
	return 0;
}

static void flush_vpid(uint16_t vpid)
{
	if (!vpid || !(vmx_caps.ept_vpid & VPID_CAP_INVVPID))
		return;
	if (vmx_caps.ept_vpid & VPID_CAP_INVVPID_SINGLE)
		invvpid(INVVPID_SINGLE, vpid);
	else if (vmx_caps.ept_vpid & VPID_CAP_INVVPID_ALL)
		invvpid(INVVPID_ALL, 0);
}

static int vcpu_controls(struct vcpu *v, struct vmx_vcpu *a)
{
	char err[160];
	bool lm = (v->regs.efer & EFER_LME) && (v->regs.cr0 & CR0_PG);

	if (vmx_derive_controls(&vmx_caps, lm, &a->ctl, err, sizeof(err))) {
		log_error("vmx: %s vCPU %u cannot run: %s", v->vm->name, v->index, err);
		return -1;
	}
	if (a->ctl.proc2 & PROC2_VPID) {
		a->vpid = vpid_alloc();
		if (!a->vpid)
			a->ctl.proc2 &= ~PROC2_VPID; /* all 65535 in use: run untagged */
	}
	return 0;
}

static int vmcs_create(struct vcpu *v, struct vmx_vcpu *a)
{
	struct vmx_vm *x = v->vm->arch;

	a->vmcs_pa = vmx_alloc_region();
	if (!a->vmcs_pa || vmclear(a->vmcs_pa) || make_current(a)) {
		log_error("vmx: %s vCPU %u: cannot %s its VMCS", v->vm->name, v->index, a->vmcs_pa ? "load" : "allocate");
		return -1;
	}
	vmcs_write_host_state();
	vmcs_write_controls(a, x->eptp, vmx_io_bitmap_a, vmx_io_bitmap_b, vmx_msr_bitmap);
	vmcs_write_guest_state(v);
	flush_vpid(a->vpid);
	return 0;
}

int vmx_vcpu_init(struct vcpu *v)
{
	struct vmx_vcpu *a;

	if (!vmx_this_cpu() || !v->vm->arch) {
		log_error("vmx: %s vCPU %u: VMX is not on on CPU %u", v->vm->name, v->index, this_cpu_index());
		return -1;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	a->owner_cpu = this_cpu_index();
	v->arch = a;
	if (vcpu_controls(v, a) || vmcs_create(v, a)) {
		vmx_vcpu_destroy(v);
		return -1;
	}
	return 0;
}

/* VMCLEAR writes the VMCS back and makes it inactive before the page is freed (SDM Vol 3C 25.11.1). */
void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *a = v->arch;
	struct vmx_cpu *c = vmx_this_cpu();

	if (!a)
		return;
	if (a->vmcs_pa && c) {
		if (a->owner_cpu != this_cpu_index())
			log_warn("vmx: %s vCPU %u destroyed off its CPU", v->vm->name, v->index);
		vmclear(a->vmcs_pa);
		if (c->current_vmcs == a->vmcs_pa)
			c->current_vmcs = 0;
	}
	vmx_msrs_forget(c, a);
	flush_vpid(a->vpid);
	vpid_free(a->vpid);
	if (a->vmcs_pa)
		pmm_free(a->vmcs_pa, 1);
	free(a);
	v->arch = NULL;
}

void vmx_read_state(struct vcpu *v)
{
	struct vmx_vcpu *a = owned_here(v);

	if (a && !make_current(a))
		vmcs_read_guest_state(v);
}

/* Queued until the next entry, where the error-code bit is fixed up (see entry_event). */
void vmx_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct vmx_vcpu *a = v->arch;
	uint32_t type = vector == 2 ? INTR_TYPE_NMI : INTR_TYPE_HW_EXCEPTION;

	if (!a || vector >= 32)
		return;
	a->pending_intr = INTR_INFO_VALID | (type << 8) | vector | (has_error ? INTR_INFO_HAS_ERROR : 0);
	a->pending_error = error;
	a->pending_len = 0;
}

/*
 * An external interrupt needs RFLAGS.IF and no STI/MOV SS blocking, an NMI
 * no blocking by NMI or MOV SS (SDM Vol 3C 26.3.1.5; blocking by STI is
 * refused too: whether entry allows it is model-specific). A shadow ends
 * when the exiting instruction was skipped (load_guest clears it then).
 */
bool vmx_event_allowed(struct vcpu *v, bool nmi)
{
	struct vmx_vcpu *a = owned_here(v);
	uint32_t intr;

	if (!a || make_current(a) || (a->pending_intr & INTR_INFO_VALID))
		return false;
	intr = (uint32_t)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	if (v->regs.rip != a->exit_rip)
		intr &= ~INTERRUPTIBILITY_STI_MOVSS;
	if (intr & INTERRUPTIBILITY_STI_MOVSS)
		return false;
	return nmi ? !(intr & INTERRUPTIBILITY_NMI) : (v->regs.rflags & RFLAGS_IF) != 0;
}

/* VM-entry interruption information: type 0 external interrupt, 2 NMI (SDM Vol 3C 25.8.3 table 25-17). */
void vmx_inject_event(struct vcpu *v, uint8_t vector, bool nmi)
{
	struct vmx_vcpu *a = v->arch;

	if (!a)
		return;
	a->pending_intr = INTR_INFO_VALID | ((nmi ? INTR_TYPE_NMI : INTR_TYPE_EXTINT) << 8) | (nmi ? 2u : vector);
	a->pending_error = 0;
	a->pending_len = 0;
}

/* Interrupt-window / NMI-window exiting: an exit before the first instruction the guest could take it at (26.7.5, 26.7.6). */
static void set_window(struct vmx_vcpu *a, uint32_t bit, bool on)
{
	uint32_t proc = on ? a->ctl.proc | bit : a->ctl.proc & ~bit;

	if (proc != a->ctl.proc) {
		a->ctl.proc = proc;
		vmwrite(VMCS_PROC_CONTROLS, proc);
	}
}

/* Without the control, delivery waits for the next exit (the slice bounds it). */
void vmx_request_window(struct vcpu *v, bool nmi)
{
	struct vmx_vcpu *a = owned_here(v);

	if (!a || make_current(a))
		return;
	if (nmi && a->ctl.nmi_window)
		set_window(a, PROC_NMI_WINDOW, true);
	else if (!nmi && a->ctl.intr_window)
		set_window(a, PROC_INTR_WINDOW, true);
}

/* Hardware exceptions carry an error code exactly when SDM Vol 3C 27.2.1.3 says so, or VM entry fails. */
static uint32_t fix_error_bit(uint32_t info, uint64_t guest_cr0)
{
	uint32_t vec = INTR_INFO_VECTOR(info);
	bool wants = (guest_cr0 & CR0_PE) && vec < 32 && ((1u << vec) & 0x00227d00u); /* 8, 10-14, 17, 21 */

	if (INTR_INFO_TYPE(info) != INTR_TYPE_HW_EXCEPTION)
		return info;
	return wants ? info | INTR_INFO_HAS_ERROR : info & ~INTR_INFO_HAS_ERROR;
}

/* The event for this entry: injected by the neutral layer or cut short by the last exit (SDM Vol 3C 26.6). */
static void entry_event(struct vmx_vcpu *a)
{
	if (!(a->pending_intr & INTR_INFO_VALID))
		return;
	vmwrite(VMCS_ENTRY_INTR_INFO, fix_error_bit(a->pending_intr, vmread(VMCS_GUEST_CR0)));
	vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, a->pending_error);
	vmwrite(VMCS_ENTRY_INSTRUCTION_LEN, a->pending_len);
	a->pending_intr = 0;
}

/* Loads what the neutral layer may have changed since the last exit. */
static void load_guest(struct vcpu *v, struct vmx_vcpu *a, uint64_t slice_tsc)
{
	struct vmx_vm *x = v->vm->arch;
	uint64_t gen = __atomic_load_n(&x->ept_gen, __ATOMIC_ACQUIRE);
	uint64_t ticks = slice_tsc >> virt_features_get()->preemption_timer_shift;

	if (a->ept_gen != gen) {
		vmx_invept(x->eptp);
		a->ept_gen = gen;
	}
	if (v->regs.cr0 != a->cr0 || v->regs.cr3 != a->cr3 || v->regs.cr4 != a->cr4 || v->regs.efer != a->efer)
		vmcs_write_guest_cr(v);
	if (v->regs.rip != a->exit_rip) /* an instruction was skipped: its STI/MOV SS shadow ends */
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY, vmread(VMCS_GUEST_INTERRUPTIBILITY) & ~INTERRUPTIBILITY_STI_MOVSS);
	vmwrite(VMCS_GUEST_RIP, v->regs.rip);
	vmwrite(VMCS_GUEST_RSP, v->regs.rsp);
	vmwrite(VMCS_GUEST_RFLAGS, (v->regs.rflags & 0x3f7fd5ull) | 2); /* SDM Vol 3C 27.3.1.4 */
	if (a->ctl.preemption_timer)
		vmwrite(VMCS_PREEMPTION_TIMER, ticks > 0xffffffffull ? 0xffffffffull : ticks);
	entry_event(a);
	if (read_cr2() != v->regs.cr2) /* CR2 is not in the VMCS (SDM Vol 3C 27.3.2) */
		write_cr2(v->regs.cr2);
}

/* An event the exit interrupted is delivered again at the next entry (SDM Vol 3C 28.2.4, 29.2.1.1). */
static void requeue_vectoring(struct vmx_vcpu *a)
{
	uint32_t info = (uint32_t)vmread(VMCS_IDT_VECTORING_INFO);
	uint32_t type = INTR_INFO_TYPE(info);

	if (!(info & INTR_INFO_VALID) || (a->pending_intr & INTR_INFO_VALID))
		return;
	a->pending_intr = info & (INTR_INFO_VALID | 0xfffu);
	a->pending_error = (uint32_t)vmread(VMCS_IDT_VECTORING_ERROR);
	a->pending_len = type >= INTR_TYPE_SW_INT ? (uint32_t)vmread(VMCS_EXIT_INSTRUCTION_LEN) : 0;
}

static void collect_exit(struct vcpu *v, struct vmx_vcpu *a, struct vm_exit *exit)
{
	struct vmx_exit_info in = {
		.reason = (uint32_t)vmread(VMCS_EXIT_REASON),
		.qual = vmread(VMCS_EXIT_QUALIFICATION),
		.gpa = vmread(VMCS_GUEST_PHYSICAL_ADDRESS),
		.inst_len = (uint32_t)vmread(VMCS_EXIT_INSTRUCTION_LEN),
		.intr_info = (uint32_t)vmread(VMCS_EXIT_INTR_INFO),
		.rcx = v->regs.rcx,
	};

	if (!(in.reason & VMX_EXIT_REASON_ENTRY_FAIL))
		a->launched = true;
	vmx_exit_decode(&in, exit);
	if (VMX_EXIT_REASON_BASIC(in.reason) == VMX_EXIT_INTR_WINDOW)
		set_window(a, PROC_INTR_WINDOW, false);
	else if (VMX_EXIT_REASON_BASIC(in.reason) == VMX_EXIT_NMI_WINDOW)
		set_window(a, PROC_NMI_WINDOW, false);
	v->regs.rip = a->exit_rip = vmread(VMCS_GUEST_RIP);
	v->regs.rsp = vmread(VMCS_GUEST_RSP);
	v->regs.rflags = vmread(VMCS_GUEST_RFLAGS);
	v->regs.cr2 = read_cr2();
	requeue_vectoring(a);
	vmx_exit_local(v, a, exit);
	if (exit->code == EXIT_BAD_STATE)
		log_error("vmx: %s vCPU %u: VM entry failed or EPT misconfigured: exit reason 0x%x qualification 0x%llx",
			  v->vm->name, v->index, in.reason, (unsigned long long)in.qual);
	if (exit->code == EXIT_EXTINT && exit->u.extint.vector == 2)
		__asm__ volatile("int $2"); /* the host's NMI, consumed by the exit: hand it to the host's handler */
}

/* VMfailValid carries a VM-instruction error number (SDM Vol 3C 31.4); VMfailInvalid none. */
static void entry_failed(struct vcpu *v, struct vmx_vcpu *a, struct vm_exit *exit)
{
	uint32_t err = (uint32_t)vmread(VMCS_VM_INSTRUCTION_ERROR);

	log_error("vmx: %s vCPU %u: %s failed, VM-instruction error %u", v->vm->name, v->index,
		  a->launched ? "VMRESUME" : "VMLAUNCH", err);
	exit->code = EXIT_BAD_STATE;
	exit->raw_reason = VMX_EXIT_REASON_ENTRY_FAIL;
	exit->qual = err;
}

int vmx_vcpu_run(struct vcpu *v, uint64_t slice_tsc, struct vm_exit *exit)
{
	struct vmx_vcpu *a = owned_here(v);

	if (!a)
		return -1;
	if (make_current(a)) {
		log_error("vmx: %s vCPU %u: VMPTRLD failed", v->vm->name, v->index);
		return -1;
	}
	load_guest(v, a, slice_tsc);
	vmx_msrs_enter(vmx_this_cpu(), a);
	if (vmx_enter(&v->regs, a->launched))
		entry_failed(v, a, exit);
	else
		collect_exit(v, a, exit);
	return 0;
}
