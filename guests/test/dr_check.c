/* Test guest `dr_check`: puts its own addresses in DR0-DR3, exits a lot, checks no other guest's breakpoints appeared. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define EXITS_PER_ROUND 2000u

#define SET_DR(n, v) __asm__ volatile("mov %0, %%db" #n ::"r"(v))
#define GET_DR(n, v) __asm__ volatile("mov %%db" #n ", %0" : "=r"(v))

/* DR7 stays 0x400 (no breakpoint enabled), so the addresses are only data: SDM Vol 3A 18.2.4. */
static void load_drs(const uint32_t *p)
{
	SET_DR(0, p[0]);
	SET_DR(1, p[1]);
	SET_DR(2, p[2]);
	SET_DR(3, p[3]);
}

static void store_drs(uint32_t *p)
{
	GET_DR(0, p[0]);
	GET_DR(1, p[1]);
	GET_DR(2, p[2]);
	GET_DR(3, p[3]);
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
	uint32_t want[4], got[4];
	uint32_t seed = hc_present() ? (uint32_t)hypercall(2, 0, 0, 0) * 2654435761u : 777u; /* HC_VM_ID */

	(void)ram_bytes;
	for (uint32_t round = 0;; round++) {
		for (int i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			want[i] = seed;
		}
		load_drs(want);
		exit_many();
		store_drs(got);
		int bad = -1;
		for (int i = 0; i < 4 && bad < 0; i++)
			if (got[i] != want[i])
				bad = i;
		if (bad >= 0)
			gprintf("dr_check: round %u CHANGED dr%d 0x%x, expected 0x%x\n", round, bad, got[bad], want[bad]);
		else
			gprintf("dr_check: round %u ok\n", round);
	}
}
