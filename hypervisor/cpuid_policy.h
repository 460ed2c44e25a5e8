/* What a guest sees from CPUID: the host's answer, filtered, plus Bulwark's own leaves. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_CPUID_POLICY_H
#define HYPERVISOR_CPUID_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

/* True for leaves answered by Bulwark itself without asking the CPU: 0x40000000-0x4fffffff (its own at
 * 0x40000000, the paravirtual clock's at 0x40000100, zeros elsewhere). */
int cpuid_is_hypervisor_leaf(uint32_t leaf);
/*
 * Turns the host's answer `r` for (leaf, subleaf) into the guest's: VMX, SVM,
 * SMX, x2APIC, XSAVE/AVX, MONITOR, TSC-deadline and the APIC are hidden (no
 * device model backs them); the hypervisor-present bit is set; topology says
 * `vcpu_index` of `vcpu_count`. Hypervisor leaves are filled from scratch.
 */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, uint32_t vcpu_index, uint32_t vcpu_count, struct cpuid_result *r);

/* What the guest is offered of XSAVE (hypervisor/fpu.c fills it; offered 0 keeps XSAVE hidden). */
struct cpuid_xsave {
	uint64_t offered;     /* XCR0 bits the guest may enable: CPUID.(0Dh,0):EDX:EAX */
	uint32_t size_guest;  /* XSAVE area size for the guest's XCR0: CPUID.(0Dh,0):EBX */
	uint32_t size_all;    /* for every offered component: CPUID.(0Dh,0):ECX */
	bool osxsave;         /* the guest's CR4.OSXSAVE, mirrored in CPUID.1:ECX[27] */
};

/*
 * Applied after cpuid_filter: shows XSAVE, AVX/AVX2 and AVX-512 (the bits of
 * `host`, the CPU's own answer) as far as `x->offered` backs them with
 * switched state, and answers leaf 0Dh from the offered components only
 * (SDM Vol 2A CPUID leaf 0Dh; XSAVEC, XSAVES and XSS stay hidden).
 */
void cpuid_xsave_view(uint32_t leaf, uint32_t subleaf, const struct cpuid_result *host, const struct cpuid_xsave *x,
		      struct cpuid_result *r);

#endif
