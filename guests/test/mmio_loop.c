/* Benchmark guest `mmio_loop`: batches of loads from the MMIO test device (mmio_test=yes), each an emulated exit. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define BATCH 20000u
#define TESTDEV 0xFEBFF000u /* hypervisor/dev/platform.h PLAT_TESTDEV_BASE */

void guest_main(uint32_t ram_bytes)
{
	(void)ram_bytes;
	for (;;) {
		uint64_t start = rdtsc();

		for (uint32_t i = 0; i < BATCH; i++)
			(void)*(volatile uint32_t *)(TESTDEV + 4 * (i & 7)); /* 8b 02-style MOV: fetch, decode, device read */
		gprintf("mmio_loop: %u exits in %llu cycles\n", BATCH, rdtsc() - start);
	}
}
