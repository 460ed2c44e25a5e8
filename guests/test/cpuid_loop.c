/* Benchmark guest `cpuid_loop`: batches of CPUID (each an exit under a hypervisor), timed with RDTSC. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define BATCH 100000u

void guest_main(uint32_t ram_bytes)
{
	(void)ram_bytes;
	for (;;) {
		uint64_t start = rdtsc();

		for (uint32_t i = 0; i < BATCH; i++)
			(void)cpuid(0, 0);
		gprintf("cpuid_loop: %u exits in %llu cycles\n", BATCH, rdtsc() - start);
	}
}
