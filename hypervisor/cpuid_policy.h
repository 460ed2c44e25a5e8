/* What a guest sees from CPUID: the host's answer, filtered, plus Bulwark's own leaves. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_CPUID_POLICY_H
#define HYPERVISOR_CPUID_POLICY_H

#include <stdint.h>

struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

/* True for leaves answered by Bulwark itself without asking the CPU (0x40000000-0x400000ff). */
int cpuid_is_hypervisor_leaf(uint32_t leaf);
/*
 * Turns the host's answer `r` for (leaf, subleaf) into the guest's: VMX, SVM,
 * SMX, x2APIC, XSAVE/AVX, MONITOR, TSC-deadline and the APIC are hidden (no
 * device model backs them); the hypervisor-present bit is set; topology says
 * `vcpu_index` of `vcpu_count`. Hypervisor leaves are filled from scratch.
 */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, uint32_t vcpu_index, uint32_t vcpu_count, struct cpuid_result *r);

#endif
