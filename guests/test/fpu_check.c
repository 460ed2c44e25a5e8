/* Test guest `fpu_check`: fills the SSE registers with its own pattern, exits a lot, checks they survived. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define EXITS_PER_ROUND 2000u

/* CR0.MP on, CR0.EM off, CR4.OSFXSR and OSXMMEXCPT on: SSE usable (SDM Vol 3A 13.1.3). */
static void enable_sse(void)
{
	uint32_t cr0, cr4;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~4u) | 2u;
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1u << 9) | (1u << 10);
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
}

static void load_xmm(const uint8_t *p)
{
	__asm__ volatile("movdqu 0(%0), %%xmm0\n\tmovdqu 16(%0), %%xmm1\n\tmovdqu 32(%0), %%xmm2\n\t"
			 "movdqu 48(%0), %%xmm3\n\tmovdqu 64(%0), %%xmm4\n\tmovdqu 80(%0), %%xmm5\n\t"
			 "movdqu 96(%0), %%xmm6\n\tmovdqu 112(%0), %%xmm7" ::"r"(p) : "memory");
}

static void store_xmm(uint8_t *p)
{
	__asm__ volatile("movdqu %%xmm0, 0(%0)\n\tmovdqu %%xmm1, 16(%0)\n\tmovdqu %%xmm2, 32(%0)\n\t"
			 "movdqu %%xmm3, 48(%0)\n\tmovdqu %%xmm4, 64(%0)\n\tmovdqu %%xmm5, 80(%0)\n\t"
			 "movdqu %%xmm6, 96(%0)\n\tmovdqu %%xmm7, 112(%0)" ::"r"(p) : "memory");
}

/* Exits without touching SSE: CPUID and writes to an unassigned port. */
static void exit_many(void)
{
	for (uint32_t i = 0; i < EXITS_PER_ROUND; i++) {
		(void)cpuid(0, 0);
		outb(0x80, (uint8_t)i);
	}
}

void guest_main(uint32_t ram_bytes)
{
	uint8_t want[128], got[128];
	uint32_t seed = hc_present() ? (uint32_t)hypercall(2, 0, 0, 0) * 2654435761u : 12345u; /* HC_VM_ID */

	(void)ram_bytes;
	enable_sse();
	for (uint32_t round = 0;; round++) {
		for (int i = 0; i < 128; i++) {
			seed = seed * 1103515245u + 12345u;
			want[i] = (uint8_t)(seed >> 16);
		}
		load_xmm(want);
		exit_many();
		store_xmm(got);
		int bad = -1;
		for (int i = 0; i < 128 && bad < 0; i++)
			if (got[i] != want[i])
				bad = i;
		if (bad >= 0)
			gprintf("fpu_check: round %u CORRUPTED xmm%d byte %d\n", round, bad / 16, bad % 16);
		else
			gprintf("fpu_check: round %u ok\n", round);
	}
}
