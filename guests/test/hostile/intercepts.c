/* hostile, part 7: instructions that must exit and be decided by the hypervisor (SDM Vol 3C 25.6; APM Vol 2 15.9-15.12). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "bulwark/hypercall.h"
#include "hostile.h"
#include "x86.h"

#define CR4_LA57 (1u << 12) /* SDM Vol 3A 2.5 */
#define CR4_OSXSAVE (1u << 18)
#define CR4_PKE (1u << 22)
#define EFLAGS_TF (1u << 8)
#define MSR_APIC_BASE 0x1b
#define MSR_TSC_AUX 0xc0000103

static uint64_t do_rdpmc(uint32_t counter)
{
	uint32_t lo, hi;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(counter));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t do_wbinvd(uint32_t unused)
{
	(void)unused;
	__asm__ volatile("wbinvd" ::: "memory");
	return 0;
}

static uint64_t do_invd(uint32_t unused)
{
	(void)unused;
	__asm__ volatile(".byte 0x0f, 0x08" ::: "memory"); /* INVD */
	return 0;
}

static uint64_t do_monitor(uint32_t unused)
{
	static uint32_t line;
	(void)unused;
	__asm__ volatile(".byte 0x0f, 0x01, 0xc8" ::"a"(&line), "c"(0), "d"(0) : "memory"); /* MONITOR */
	return 0;
}

static uint64_t do_mwait(uint32_t unused)
{
	(void)unused;
	__asm__ volatile(".byte 0x0f, 0x01, 0xc9" ::"a"(0), "c"(0) : "memory"); /* MWAIT */
	return 0;
}

/* Sets a CR4 bit and returns what CR4 reads afterwards. */
static uint64_t set_cr4_bit(uint32_t bit)
{
	uint32_t cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= bit;
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return cr4;
}

static uint64_t do_xsetbv(uint32_t xcr0)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xd1" ::"a"(xcr0), "c"(0), "d"(0)); /* XSETBV */
	return xcr0;
}

static uint64_t xsetbv_xcr1(uint32_t value)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xd1" ::"a"(value), "c"(1), "d"(0)); /* XSETBV to XCR1: none exists */
	return value;
}

/* The guest's own TSC_AUX comes back from RDTSCP, never the host's. */
static uint64_t tsc_aux_roundtrip(uint32_t value)
{
	uint32_t lo, hi, aux;
	wrmsr(MSR_TSC_AUX, value);
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

static uint64_t do_icebp(uint32_t unused)
{
	(void)unused;
	__asm__ volatile(".byte 0xf1"); /* INT1 */
	return 0;
}

static uint64_t single_step(uint32_t unused)
{
	(void)unused;
	__asm__ volatile("pushf; orl %0, (%%esp); popf; nop; nop" ::"i"(EFLAGS_TF) : "memory", "cc");
	return 0;
}

/* Prefixed instructions resume after their last byte (1 if they returned what the plain form does). */
static uint64_t prefixed_cpuid(uint32_t unused)
{
	uint32_t a = 0, b, c = 0, d;
	(void)unused;
	__asm__ volatile(".byte 0x3e, 0x0f, 0xa2" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)); /* DS: CPUID */
	return a == cpuid(0, 0).eax && b == cpuid(0, 0).ebx;
}

static uint64_t prefixed_rdmsr(uint32_t unused)
{
	uint32_t lo, hi;
	(void)unused;
	__asm__ volatile(".byte 0x3e, 0x0f, 0x32" : "=a"(lo), "=d"(hi) : "c"(MSR_APIC_BASE)); /* DS: RDMSR */
	return (((uint64_t)hi << 32) | lo) == rdmsr(MSR_APIC_BASE);
}

static uint64_t prefixed_hypercall(uint32_t unused)
{
	uint32_t a = HC_VERSION, b = 0, c = 0, d = 0;
	bool amd = cpuid(0, 0).ebx == 0x68747541u; /* "Auth" */
	(void)unused;
	if (amd)
		__asm__ volatile(".byte 0x26, 0x0f, 0x01, 0xd9" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
	else
		__asm__ volatile(".byte 0x26, 0x0f, 0x01, 0xc1" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
	return (int32_t)a == hypercall(HC_VERSION, 0, 0, 0);
}

static const struct attack intercept_attacks[] = {
	{ "RDPMC counter 0", do_rdpmc, 0 },
	{ "WBINVD", do_wbinvd, 0 },
	{ "INVD", do_invd, 0 },
	{ "MONITOR", do_monitor, 0 },
	{ "MWAIT", do_mwait, 0 },
	{ "mov cr4 |= PKE", set_cr4_bit, CR4_PKE },
	{ "mov cr4 |= LA57", set_cr4_bit, CR4_LA57 },
	{ "XSETBV XCR0 = 3 without CR4.OSXSAVE", do_xsetbv, 3 },
	{ "mov cr4 |= OSXSAVE (offered)", set_cr4_bit, CR4_OSXSAVE },
	{ "XSETBV XCR0 = 2 (no x87)", do_xsetbv, 2 },
	{ "XSETBV to XCR1", xsetbv_xcr1, 1 },
	{ "XSETBV XCR0 = 3 (valid)", do_xsetbv, 3 },
	{ "wrmsr TSC_AUX = 0x5a5a then RDTSCP", tsc_aux_roundtrip, 0x5a5a },
	{ "ICEBP (INT1)", do_icebp, 0 },
	{ "single step with EFLAGS.TF", single_step, 0 },
	{ "CPUID with a DS prefix", prefixed_cpuid, 0 },
	{ "RDMSR with a DS prefix", prefixed_rdmsr, 0 },
	{ "hypercall with an ES prefix", prefixed_hypercall, 0 },
};

void attack_intercepts(void)
{
	attempt_list(intercept_attacks, ARRAY_LEN(intercept_attacks));
}
