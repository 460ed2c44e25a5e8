/* MSR exits: a short allow-list with virtual values; every other MSR gets #GP. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/cr_policy.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/guest_context.h"
#include "hypervisor/pv_eoi.h"
#include "hypervisor/pvclock_guest.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"


/* Architectural MSR numbers, SDM Vol 4 table 2-2. */
#define MSR_TSC 0x10
#define MSR_BIOS_SIGN_ID 0x8b
#define MSR_MTRRCAP 0xfe
#define MSR_MISC_ENABLE 0x1a0
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_TSC_AUX 0xc0000103 /* SDM Vol 4 table 2-2: bits 31:0 signature, 63:32 reserved */
/* AMD Family 0Fh BKDG 10.8: Interrupt Pending Message; 0 = no C1E/SMI on halt (Linux reads it unchecked on K8). */
#define MSR_K8_INT_PENDING_MSG 0xc0010055

/* IA32_MTRR_DEF_TYPE: type in 7:0 (UC 0, WC 1, WT 4, WP 5, WB 6), FE bit 10, E bit 11, the rest reserved (SDM Vol 3A 12.11.2.1). */
#define MTRR_DEF_TYPE_BITS 0xcffull

static bool mtrr_def_type_valid(uint64_t value)
{
	uint8_t type = (uint8_t)value;

	return !(value & ~MTRR_DEF_TYPE_BITS) && (type <= 1 || (type >= 4 && type <= 6));
}

static bool virtual_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_TSC: *value = rdtsc(); return true;
	case MSR_FEATURE_CONTROL: *value = 1; return true;   /* locked, VMX off: SDM Vol 3C 24.7 */
	case MSR_BIOS_SIGN_ID: *value = 0; return true;
	case MSR_MTRRCAP: *value = 0; return true;            /* no variable or fixed MTRRs */
	case MSR_MISC_ENABLE: *value = 1; return true;        /* fast strings */
	case MSR_K8_INT_PENDING_MSG: *value = 0; return true;
	case MSR_MTRR_DEF_TYPE: *value = v->mtrr_def_type; return true;
	case MSR_EFER:                                        /* SDM Vol 4 Table 2-2: CPUID shows LM/NX */
		virt_ops_get()->read_state(v);
		*value = v->regs.efer;
		return true;
	case MSR_TSC_AUX: *value = v->tsc_aux; return true;   /* the vCPU's own, never the host's */
	default: return pvclock_msr_read(v, msr, value) || pv_eoi_msr_read(v, msr, value);
	}
}

/* Writes that are harmless to drop: the guest's view does not depend on them. */
static bool ignorable_write(uint32_t msr)
{
	return msr == MSR_BIOS_SIGN_ID || msr == MSR_MISC_ENABLE;
}

/* MSRs whose value is the guest's own: a valid write changes what it reads back; else false (#GP). */
static bool virtual_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	uint64_t efer;

	switch (msr) {
	case MSR_MTRR_DEF_TYPE: /* the guest's view only: the machine's memory types come from EPT/NPT */
		if (!mtrr_def_type_valid(value))
			return false;
		v->mtrr_def_type = value;
		return true;
	case MSR_EFER: /* the backend loads regs.efer on the next entry */
		virt_ops_get()->read_state(v);
		if (efer_write_value(v->regs.efer, value, v->regs.cr0, &efer))
			return false;
		v->regs.efer = efer;
		return true;
	case MSR_TSC_AUX: /* RDTSCP/RDPID read it without an exit: loaded at once on this CPU */
		if (value >> 32)
			return false; /* bits 63:32 reserved */
		guest_context_set_tsc_aux(v, value);
		return true;
	default: {
		bool handled;
		bool ok = pvclock_msr_write(v, msr, value, &handled);
		if (!handled)
			ok = pv_eoi_msr_write(v, msr, value, &handled);
		return handled ? ok : ignorable_write(msr);
	}
	}
}

static enum exit_action refuse(struct vcpu *v, const char *what, uint32_t msr)
{
	static uint32_t logged;
	if (logged++ < 32)
		log_warn("vm %s: %s of MSR %#x refused with #GP", v->vm->name, what, msr);
	return exit_raise(v, X86_GP);
}

enum exit_action exit_msr_read(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t value;
	int apic = vplatform_msr_read(v, e->u.msr.index, &value); /* IA32_APIC_BASE, TSC_DEADLINE, x2APIC */

	if (apic < 0 || (apic == 0 && !virtual_read(v, e->u.msr.index, &value)))
		return refuse(v, "read", e->u.msr.index);
	v->regs.rax = (uint32_t)value;
	v->regs.rdx = value >> 32;
	v->regs.rip += e->inst_len;
	return EXIT_RESUME;
}

enum exit_action exit_msr_write(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
	int apic = vplatform_msr_write(v, e->u.msr.index, value);

	if (apic < 0 || (apic == 0 && !virtual_write(v, e->u.msr.index, value)))
		return refuse(v, "write", e->u.msr.index);
	v->regs.rip += e->inst_len;
	return EXIT_RESUME;
}
