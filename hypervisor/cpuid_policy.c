/* The CPUID policy for guests (pure logic: the host answer goes in, the guest answer comes out). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/cpuid_policy.h"
#include "include/bulwark/hypercall.h"
#include "include/bulwark/pvclock.h"

#define BIT(n) (1u << (n))

/* Leaf 1, SDM Vol 2A CPUID tables 3-10/3-11. */
/* XSAVE, OSXSAVE and AVX (26-28) come back through cpuid_xsave_view when their state is switched. */
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

/* 0x40000000-0x4FFFFFFF are reserved for software (SDM Vol 2A CPUID): none reaches the CPU, so a
 * hypervisor below Bulwark never shows through. */
int cpuid_is_hypervisor_leaf(uint32_t leaf)
{
	return (leaf & 0xf0000000u) == HC_CPUID_BASE;
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
	} else if (leaf == PV_CPUID_BASE) {
		r->eax = PV_CPUID_FEATURES;
		r->ebx = PV_SIGNATURE_EBX;
		r->ecx = PV_SIGNATURE_ECX;
		r->edx = PV_SIGNATURE_EDX;
	} else if (leaf == PV_CPUID_FEATURES) {
		r->eax = PV_FEATURE_NOP_IO_DELAY | PV_FEATURE_CLOCKSOURCE2 | PV_FEATURE_PV_EOI; /* the stable bit: exit_cpuid */
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
	case 0x80000008:
		/*
		 * EBX: IBPB, IBRS, STIBP, SSBD and the other speculation controls
		 * (APM Vol 3 E.4.7). Guests get #GP on PRED_CMD/SPEC_CTRL, so they
		 * must not see them; the host does the barriers between VMs itself.
		 */
		r->ebx = 0;
		break;
	}
}

/* CPUID.1:ECX XSAVE 26, OSXSAVE 27, AVX 28; leaf 7 EBX AVX2 5, AVX-512 F 16, DQ 17, IFMA 21, CD 28, BW 30, VL 31. */
#define L1_ECX_XSAVE BIT(26)
#define L1_ECX_OSXSAVE BIT(27)
#define L1_ECX_AVX BIT(28)
#define L7_EBX_AVX2 BIT(5)
#define L7_EBX_AVX512 (BIT(16) | BIT(17) | BIT(21) | BIT(28) | BIT(30) | BIT(31))
#define XCR0_AVX 0x4ull
#define XCR0_AVX512 0xe0ull

static void xsave_leaf_d(uint32_t subleaf, const struct cpuid_result *host, const struct cpuid_xsave *x,
			 struct cpuid_result *r)
{
	memset(r, 0, sizeof(*r));
	if (subleaf == 0) {
		r->eax = (uint32_t)x->offered;
		r->edx = (uint32_t)(x->offered >> 32);
		r->ebx = x->size_guest;
		r->ecx = x->size_all;
	} else if (subleaf == 1) {
		r->eax = host->eax & 1u; /* XSAVEOPT only */
	} else if (subleaf < 64 && (x->offered >> subleaf) & 1) {
		*r = *host;              /* size, offset, alignment of an offered user component */
	}
}

void cpuid_xsave_view(uint32_t leaf, uint32_t subleaf, const struct cpuid_result *host, const struct cpuid_xsave *x,
		      struct cpuid_result *r)
{
	if (!x->offered)
		return;
	if (leaf == 1) {
		r->ecx |= host->ecx & L1_ECX_XSAVE;
		r->ecx = (r->ecx & ~L1_ECX_OSXSAVE) | (x->osxsave && (host->ecx & L1_ECX_XSAVE) ? L1_ECX_OSXSAVE : 0);
		if (x->offered & XCR0_AVX)
			r->ecx |= host->ecx & L1_ECX_AVX;
	} else if (leaf == 7 && subleaf == 0) {
		if (x->offered & XCR0_AVX)
			r->ebx |= host->ebx & L7_EBX_AVX2;
		if ((x->offered & XCR0_AVX512) == XCR0_AVX512)
			r->ebx |= host->ebx & L7_EBX_AVX512;
	} else if (leaf == 0xd) {
		xsave_leaf_d(subleaf, host, x, r);
	}
}
