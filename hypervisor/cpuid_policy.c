/* The CPUID policy for guests (pure logic: the host answer goes in, the guest answer comes out). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/cpuid_policy.h"
#include "include/bulwark/hypercall.h"

#define BIT(n) (1u << (n))

/* Leaf 1, SDM Vol 2A CPUID tables 3-10/3-11. */
#define L1_ECX_HIDDEN (BIT(3) | BIT(5) | BIT(6) | BIT(26) | BIT(27) | BIT(28))
#define L1_ECX_HYPERVISOR BIT(31)
/* What the virtual platform's local APIC model (hypervisor/dev/lapic.c) offers, whatever the host has. */
#define L1_ECX_X2APIC BIT(21)
#define L1_ECX_TSC_DEADLINE BIT(24)
#define L1_EDX_APIC BIT(9)
/* Machine-check exception and architecture: no MCG_CAP/MCi banks are emulated, so guests must not look for them. */
#define L1_EDX_MCE_MCA (BIT(7) | BIT(14))
/* Leaf 7 subleaf 0 EBX: features safe without extra state (FSGSBASE, BMI1, SMEP, BMI2, ERMS, ADX, SMAP, CLFLUSHOPT). */
#define L7_EBX_ALLOWED (BIT(0) | BIT(3) | BIT(7) | BIT(8) | BIT(9) | BIT(19) | BIT(20) | BIT(23))
/*
 * Leaf 80000001h ECX bit 2: SVM, bit 12: SKINIT (APM Vol 3 E.4.2). With both
 * clear and EFER.SVME clear, every SVM instruction including STGI and SKINIT
 * is #UD (APM Vol 3 ch. 4), which is what the guest must see.
 */
#define LX1_ECX_SVM BIT(2)
#define LX1_ECX_SKINIT BIT(12)
/* EDX bit 27: RDTSCP, whose IA32_TSC_AUX is not switched per vCPU yet (a guest's write would #GP). */
#define LX1_EDX_RDTSCP BIT(27)

int cpuid_is_hypervisor_leaf(uint32_t leaf)
{
	return (leaf & 0xffffff00u) == HC_CPUID_BASE;
}

static void hypervisor_leaf(uint32_t leaf, struct cpuid_result *r)
{
	memset(r, 0, sizeof(*r));
	if (leaf == HC_CPUID_BASE) {
		r->eax = HC_CPUID_BASE + 1;
		r->ebx = HC_SIGNATURE_EBX;
		r->ecx = HC_SIGNATURE_ECX;
		r->edx = HC_SIGNATURE_EDX;
	} else if (leaf == HC_CPUID_BASE + 1) {
		r->eax = HC_ABI_VERSION;
	}
}

void cpuid_filter(uint32_t leaf, uint32_t subleaf, uint32_t vcpu_index, uint32_t vcpu_count, struct cpuid_result *r)
{
	if (cpuid_is_hypervisor_leaf(leaf)) {
		hypervisor_leaf(leaf, r);
		return;
	}
	switch (leaf) {
	case 1:
		r->ecx = (r->ecx & ~L1_ECX_HIDDEN) | L1_ECX_HYPERVISOR | L1_ECX_X2APIC | L1_ECX_TSC_DEADLINE;
		r->edx = (r->edx | L1_EDX_APIC) & ~L1_EDX_MCE_MCA;
		/* EBX[31:24] initial APIC id, [23:16] logical processors. */
		r->ebx = (r->ebx & 0xffff) | ((vcpu_count & 0xff) << 16) | ((vcpu_index & 0xff) << 24);
		break;
	case 7:
		if (subleaf == 0)
			r->ebx &= L7_EBX_ALLOWED;
		else
			r->ebx = 0;
		r->ecx = r->edx = 0;
		if (subleaf != 0)
			r->eax = 0;
		break;
	case 5: case 6: case 0xa: case 0xb: case 0xd: case 0xf: case 0x10: case 0x12: case 0x14: case 0x1f:
	case 0x8000000a:
		memset(r, 0, sizeof(*r)); /* monitor, power, perf, topology, XSAVE, RDT, SGX, PT, SVM */
		break;
	case 0x80000001:
		r->ecx &= ~(LX1_ECX_SVM | LX1_ECX_SKINIT);
		r->edx &= ~LX1_EDX_RDTSCP;
		break;
	}
}
