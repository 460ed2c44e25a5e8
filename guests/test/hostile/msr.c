/* hostile, part 1: writes to MSRs that control the machine or virtualization, and an unknown MSR. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "hostile.h"
#include "x86.h"

/* MSR numbers: SDM Vol 4 Table 2-2; APM Vol 2 15.30 (VM_CR, VM_HSAVE_PA). */
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_APIC_BASE 0x1b
#define MSR_SYSENTER_EIP 0x176
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_VMX_BASIC 0x480
#define MSR_EFER 0xc0000080
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_UNKNOWN 0x12345678
#define EFER_SVME (1ull << 12)

static uint64_t read_msr(uint32_t msr)
{
	return rdmsr(msr);
}

static uint64_t set_efer_svme(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	return rdmsr(MSR_EFER);
}

/* Each writer stores a value and returns what reads back. */
static uint64_t lock_feature_control(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_FEATURE_CONTROL, 0x5); /* lock + VMXON outside SMX: SDM Vol 3C 24.7 */
	return rdmsr(MSR_FEATURE_CONTROL);
}

static uint64_t move_apic_base(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_APIC_BASE, 0x00000900); /* xAPIC enabled, BSP, base moved to 0 */
	return rdmsr(MSR_APIC_BASE);
}

static uint64_t set_sysenter_eip(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_SYSENTER_EIP, 0xdeadbeef);
	return rdmsr(MSR_SYSENTER_EIP);
}

static uint64_t disable_mtrrs(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_MTRR_DEF_TYPE, 0); /* all memory uncacheable */
	return rdmsr(MSR_MTRR_DEF_TYPE);
}

static uint64_t set_vm_cr(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_VM_CR, 0x10); /* SVMDIS */
	return rdmsr(MSR_VM_CR);
}

static uint64_t set_vm_hsave(uint32_t unused)
{
	(void)unused;
	wrmsr(MSR_VM_HSAVE_PA, 0x1000);
	return rdmsr(MSR_VM_HSAVE_PA);
}

static const struct attack msr_attacks[] = {
	{ "rdmsr IA32_EFER", read_msr, MSR_EFER },
	{ "wrmsr IA32_EFER |= SVME", set_efer_svme, 0 },
	{ "wrmsr IA32_FEATURE_CONTROL (0x3a) = 0x5", lock_feature_control, 0 },
	{ "wrmsr IA32_APIC_BASE = 0x900", move_apic_base, 0 },
	{ "wrmsr IA32_SYSENTER_EIP = 0xdeadbeef", set_sysenter_eip, 0 },
	{ "wrmsr IA32_MTRR_DEF_TYPE = 0", disable_mtrrs, 0 },
	{ "wrmsr VM_CR (0xc0010114) = 0x10", set_vm_cr, 0 },
	{ "wrmsr VM_HSAVE_PA (0xc0010117) = 0x1000", set_vm_hsave, 0 },
	{ "rdmsr IA32_VMX_BASIC (0x480)", read_msr, MSR_VMX_BASIC },
	{ "rdmsr unknown MSR 0x12345678", read_msr, MSR_UNKNOWN },
};

void attack_msrs(void)
{
	attempt_list(msr_attacks, ARRAY_LEN(msr_attacks));
}
