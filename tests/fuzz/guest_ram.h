/* Guest RAM for the loader harnesses: writes are checked to stay inside it, as the loaders promise. */
/* SPDX-License-Identifier: MIT */
#ifndef TESTS_FUZZ_GUEST_RAM_H
#define TESTS_FUZZ_GUEST_RAM_H

#include <string.h>
#include "hypervisor/load/guest_writer.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_RAM_SIZE (32u << 20)

static uint8_t *fuzz_ram;

static inline void fuzz_ram_copy(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	(void)ctx;
	FUZZ_CHECK(gpa <= FUZZ_RAM_SIZE && n <= FUZZ_RAM_SIZE - gpa);
	memcpy(fuzz_ram + gpa, src, n);
}

static inline void fuzz_ram_zero(void *ctx, uint64_t gpa, size_t n)
{
	(void)ctx;
	FUZZ_CHECK(gpa <= FUZZ_RAM_SIZE && n <= FUZZ_RAM_SIZE - gpa);
	memset(fuzz_ram + gpa, 0, n);
}

static inline const struct guest_writer *fuzz_ram_writer(void)
{
	static const struct guest_writer w = { fuzz_ram_copy, fuzz_ram_zero, NULL };
	if (!fuzz_ram)
		fuzz_ram = malloc(FUZZ_RAM_SIZE);
	FUZZ_CHECK(fuzz_ram);
	return &w;
}

#endif
