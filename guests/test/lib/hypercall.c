/* Bulwark hypercalls from a 32-bit guest: VMCALL on Intel, VMMCALL on AMD, picked by the CPUID vendor. */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>
#include "bulwark/hypercall.h"
#include "runtime.h"
#include "x86.h"

/* CPUID leaf 0 vendor strings (SDM Vol 2A CPUID; APM Vol 3 E.3.1): EBX, EDX, ECX. */
#define AMD_EBX 0x68747541 /* "Auth" */
#define AMD_EDX 0x69746e65 /* "enti" */
#define AMD_ECX 0x444d4163 /* "cAMD" */

static bool cpu_is_amd(void)
{
	struct cpuid_regs r = cpuid(0, 0);

	return r.ebx == AMD_EBX && r.edx == AMD_EDX && r.ecx == AMD_ECX;
}

/* The hypervisor leaf carries "BulwarkVisor"; without it a hypercall would just be #UD. */
bool hc_present(void)
{
	struct cpuid_regs r = cpuid(HC_CPUID_BASE, 0);

	return r.ebx == HC_SIGNATURE_EBX && r.ecx == HC_SIGNATURE_ECX && r.edx == HC_SIGNATURE_EDX;
}

/*
 * RAX = function, RBX/RCX/RDX = arguments, result in RAX (hypercall.h). A
 * 32-bit guest sees the low half: errors are small negative numbers.
 * VMCALL is 0F 01 C1 (SDM Vol 2B), VMMCALL is 0F 01 D9 (APM Vol 3).
 */
int32_t hypercall(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	uint32_t ret = fn;

	if (cpu_is_amd())
		__asm__ volatile(".byte 0x0f, 0x01, 0xd9" : "+a"(ret) : "b"(a1), "c"(a2), "d"(a3) : "memory");
	else
		__asm__ volatile(".byte 0x0f, 0x01, 0xc1" : "+a"(ret) : "b"(a1), "c"(a2), "d"(a3) : "memory");
	return (int32_t)ret;
}
