/* A guest RAM for the loader unit tests: a byte array behind a guest_writer that counts its writes. */
/* SPDX-License-Identifier: MIT */
#ifndef TESTS_UNIT_LOAD_GUEST_RAM_H
#define TESTS_UNIT_LOAD_GUEST_RAM_H

#include <stdint.h>
#include <string.h>
#include "hypervisor/load/guest_writer.h"

#define TEST_RAM (32u << 20)
static uint8_t ram[TEST_RAM];
static unsigned writes;

static inline void ram_copy(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	(void)ctx;
	assert_true(gpa <= TEST_RAM && n <= TEST_RAM - gpa);
	memcpy(ram + gpa, src, n);
	writes++;
}

static inline void ram_zero(void *ctx, uint64_t gpa, size_t n)
{
	(void)ctx;
	assert_true(gpa <= TEST_RAM && n <= TEST_RAM - gpa);
	memset(ram + gpa, 0, n);
	writes++;
}

static const struct guest_writer writer = { ram_copy, ram_zero, NULL };

static inline void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline void ram_reset(void)
{
	memset(ram, 0x55, sizeof(ram));
	writes = 0;
}

#endif
