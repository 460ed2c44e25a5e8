/* Benchmark guest `io_loop`: batches of `out` to port 0x80 (unassigned: each an exit), timed with RDTSC. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define BATCH 100000u
#define POST_PORT 0x80 /* the POST diagnostic port: no device behind it in a Bulwark VM */

void guest_main(uint32_t ram_bytes)
{
	(void)ram_bytes;
	for (;;) {
		uint64_t start = rdtsc();

		for (uint32_t i = 0; i < BATCH; i++)
			outb(POST_PORT, (uint8_t)i);
		gprintf("io_loop: %u exits in %llu cycles\n", BATCH, rdtsc() - start);
	}
}
