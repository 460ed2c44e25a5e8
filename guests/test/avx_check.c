/* Test guest `avx_check`: enables AVX through XSETBV, fills YMM0-7 with its own pattern, exits a lot, checks them. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define EXITS_PER_ROUND 2000u
#define L1_ECX_XSAVE (1u << 26) /* CPUID.1:ECX, SDM Vol 2A table 3-10 */
#define L1_ECX_AVX (1u << 28)
#define CR4_OSXSAVE (1u << 18)
#define XCR0_X87_SSE_AVX 0x7u   /* SDM Vol 1 13.3 */

/* CR0.MP on, EM off; CR4.OSFXSR, OSXMMEXCPT and OSXSAVE on; then XCR0 = x87 | SSE | AVX. */
static void enable_avx(void)
{
	uint32_t cr0, cr4;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" ::"r"((cr0 & ~4u) | 2u));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4 | (1u << 9) | (1u << 10) | CR4_OSXSAVE));
	__asm__ volatile("xsetbv" ::"a"(XCR0_X87_SSE_AVX), "c"(0), "d"(0));
}

static void load_ymm(const uint8_t *p)
{
	__asm__ volatile("vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\tvmovdqu 64(%0), %%ymm2\n\t"
			 "vmovdqu 96(%0), %%ymm3\n\tvmovdqu 128(%0), %%ymm4\n\tvmovdqu 160(%0), %%ymm5\n\t"
			 "vmovdqu 192(%0), %%ymm6\n\tvmovdqu 224(%0), %%ymm7" ::"r"(p) : "memory");
}

static void store_ymm(uint8_t *p)
{
	__asm__ volatile("vmovdqu %%ymm0, 0(%0)\n\tvmovdqu %%ymm1, 32(%0)\n\tvmovdqu %%ymm2, 64(%0)\n\t"
			 "vmovdqu %%ymm3, 96(%0)\n\tvmovdqu %%ymm4, 128(%0)\n\tvmovdqu %%ymm5, 160(%0)\n\t"
			 "vmovdqu %%ymm6, 192(%0)\n\tvmovdqu %%ymm7, 224(%0)" ::"r"(p) : "memory");
}

static void exit_many(void)
{
	for (uint32_t i = 0; i < EXITS_PER_ROUND; i++) {
		(void)cpuid(0, 0);
		outb(0x80, (uint8_t)i);
	}
}

void guest_main(uint32_t ram_bytes)
{
	uint8_t want[256], got[256];
	uint32_t seed = hc_present() ? (uint32_t)hypercall(2, 0, 0, 0) * 2654435761u : 4242u; /* HC_VM_ID */
	struct cpuid_regs l1 = cpuid(1, 0);

	(void)ram_bytes;
	if ((l1.ecx & (L1_ECX_XSAVE | L1_ECX_AVX)) != (L1_ECX_XSAVE | L1_ECX_AVX)) {
		gprintf("avx_check: no AVX offered (CPUID.1:ECX 0x%x)\n", l1.ecx);
		halt_forever();
	}
	enable_avx();
	for (uint32_t round = 0;; round++) {
		for (int i = 0; i < 256; i++) {
			seed = seed * 1103515245u + 12345u;
			want[i] = (uint8_t)(seed >> 16);
		}
		load_ymm(want);
		exit_many();
		store_ymm(got);
		int bad = -1;
		for (int i = 0; i < 256 && bad < 0; i++)
			if (got[i] != want[i])
				bad = i;
		if (bad >= 0)
			gprintf("avx_check: round %u CORRUPTED ymm%d byte %d\n", round, bad / 32, bad % 32);
		else
			gprintf("avx_check: round %u ok\n", round);
	}
}
