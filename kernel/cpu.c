/* Reads the processor's identity and features from CPUID once at boot. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/cpu.h"
#include "kernel/arch/x86.h"

static struct cpu_info info;

static void read_brand(void)
{
	uint32_t regs[12];
	char *b = info.brand;
	size_t n;

	if (cpuid(0x80000000, 0).eax < 0x80000004)
		return;
	for (uint32_t i = 0; i < 3; i++) {
		struct cpuid_regs r = cpuid(0x80000002 + i, 0);
		memcpy(&regs[i * 4], &r, sizeof(r));
	}
	memcpy(b, regs, 48);
	b[48] = 0;
	while (*b == ' ')
		memmove(b, b + 1, strlen(b));
	n = strlen(b);
	while (n && b[n - 1] == ' ')
		b[--n] = 0;
}

/* Display family and model, SDM Vol 2A CPUID leaf 01H, figure 3-6. */
static void read_signature(void)
{
	struct cpuid_regs r = cpuid(1, 0);
	uint32_t family = (r.eax >> 8) & 0xf, model = (r.eax >> 4) & 0xf;

	if (family == 0xf)
		family += (r.eax >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((r.eax >> 16) & 0xf) << 4;
	info.family = family;
	info.model = model;
	info.stepping = r.eax & 0xf;
	info.has_vmx = r.ecx & (1u << 5);
	info.has_x2apic = r.ecx & (1u << 21);
	info.has_xsave = r.ecx & (1u << 26);
	info.hypervisor = r.ecx & (1u << 31);
}

static void read_extended(void)
{
	uint32_t max = cpuid(0x80000000, 0).eax;
	if (max >= 0x80000001) {
		struct cpuid_regs r = cpuid(0x80000001, 0);
		info.has_svm = r.ecx & (1u << 2);       /* APM Vol 3 E.4.2 */
		info.has_1g_pages = r.edx & (1u << 26);
	}
	if (max >= 0x80000007)
		info.has_invariant_tsc = cpuid(0x80000007, 0).edx & (1u << 8);
}

const struct cpu_info *cpu_info_get(void)
{
	if (!info.vendor[0]) {
		struct cpuid_regs r = cpuid(0, 0);
		memcpy(info.vendor, &r.ebx, 4);
		memcpy(info.vendor + 4, &r.edx, 4);
		memcpy(info.vendor + 8, &r.ecx, 4);
		read_signature();
		read_extended();
		read_brand();
	}
	return &info;
}
