/* What CPUID says about the processor, read once at boot. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_info {
	char vendor[13];  /* "GenuineIntel", "AuthenticAMD", ... */
	char brand[49];   /* CPUID 0x80000002..4, trimmed; "" if absent */
	uint32_t family;  /* display family, SDM Vol 2A CPUID leaf 1 */
	uint32_t model;   /* display model */
	uint32_t stepping;
	bool has_vmx, has_svm, has_x2apic, has_xsave, has_1g_pages, has_invariant_tsc;
	bool hypervisor;  /* CPUID.1:ECX[31], running under another hypervisor */
};

const struct cpu_info *cpu_info_get(void);

#endif
