/* MSR exits: a short allow-list with virtual values; every other MSR gets #GP. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/exit_handlers.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"


/* Architectural MSR numbers, SDM Vol 4 table 2-2. */
#define MSR_TSC 0x10
#define MSR_BIOS_SIGN_ID 0x8b
#define MSR_MTRRCAP 0xfe
#define MSR_MISC_ENABLE 0x1a0
#define MSR_MTRR_DEF_TYPE 0x2ff

static bool virtual_read(uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_TSC: *value = rdtsc(); return true;
	case MSR_FEATURE_CONTROL: *value = 1; return true;   /* locked, VMX off: SDM Vol 3C 24.7 */
	case MSR_BIOS_SIGN_ID: *value = 0; return true;
	case MSR_MTRRCAP: *value = 0; return true;            /* no variable or fixed MTRRs */
	case MSR_MISC_ENABLE: *value = 1; return true;        /* fast strings */
	case MSR_MTRR_DEF_TYPE: *value = 0x806; return true;  /* MTRRs on, default write-back */
	default: return false;
	}
}

/* Writes that are harmless to drop: the guest's view does not depend on them. */
static bool ignorable_write(uint32_t msr)
{
	return msr == MSR_BIOS_SIGN_ID || msr == MSR_MTRR_DEF_TYPE || msr == MSR_MISC_ENABLE;
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

	if (apic < 0 || (apic == 0 && !virtual_read(e->u.msr.index, &value)))
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

	if (apic < 0 || (apic == 0 && !ignorable_write(e->u.msr.index)))
		return refuse(v, "write", e->u.msr.index);
	v->regs.rip += e->inst_len;
	return EXIT_RESUME;
}
