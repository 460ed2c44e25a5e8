/* Host unit tests of NPT entries, alone and through the shared SLAT builder. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/svm/npt.h"
#include "hypervisor/virt_ops.h"

#define MIB 0x100000ull

static int pages_live;

static uint64_t fake_alloc(void *ctx)
{
	void *p = aligned_alloc(4096, 4096);
	(void)ctx;
	memset(p, 0, 4096);
	pages_live++;
	return (uint64_t)(uintptr_t)p;
}

static void fake_free(void *ctx, uint64_t hpa)
{
	(void)ctx;
	pages_live--;
	free((void *)(uintptr_t)hpa);
}

static void *fake_to_virt(void *ctx, uint64_t hpa)
{
	(void)ctx;
	return (void *)(uintptr_t)hpa;
}

static const struct slat_mem mem = { fake_alloc, fake_free, fake_to_virt, NULL };

/*
 * APM Vol 2 15.25.5: tables P|RW|US; leaves P|US, RW if writable, NX if not executable, PS for 2 MiB.
 * Bit positions are the long-mode page-table entry's (APM Vol 2 5.4.1, 5.4.2): P 0, R/W 1, U/S 2,
 * PS 7, NX 63, the address in bits 51:12 -- the manual's numbers, not the implementation's macros.
 */
#define P (1ull << 0)
#define RW (1ull << 1)
#define US (1ull << 2)
#define PS (1ull << 7)
#define NX (1ull << 63)
#define ADDR_MASK 0x000ffffffffff000ull

static void test_entries(void **state)
{
	const struct slat_format *f = &npt_format;

	(void)state;
	assert_int_equal(f->table_entry(0x123000), 0x123000 | P | RW | US);
	assert_int_equal(f->leaf_entry(0x200000, GMEM_RWX, true), 0x200000 | P | RW | US | PS);
	assert_int_equal(f->leaf_entry(0x5000, GMEM_R, false), 0x5000 | P | US | NX);
	assert_int_equal(f->leaf_entry(0x5000, GMEM_R | GMEM_X, false), 0x5000 | P | US);
	assert_int_equal(f->leaf_entry(0x5000, GMEM_R | GMEM_W, false), 0x5000 | P | RW | US | NX);
	assert_int_equal(f->leaf_entry(0xfff0000005000ull | 0xfff, GMEM_R, false) & ADDR_MASK, 0xfff0000005000ull);
}

static void test_decode(void **state)
{
	const struct slat_format *f = &npt_format;
	uint32_t prots[] = { GMEM_R, GMEM_R | GMEM_W, GMEM_R | GMEM_X, GMEM_RWX };

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t e = f->leaf_entry(0x7000, prots[i], false);
		assert_int_equal(f->prot(e), prots[i]);
		assert_true(f->present(e));
		assert_false(f->large(e));
	}
	assert_false(f->present(0));
	assert_true(f->large(f->leaf_entry(0x400000, GMEM_R, true)));
}

static void test_map_through_slat(void **state)
{
	struct slat s;
	uint64_t hpa, size;
	uint32_t prot;

	(void)state;
	assert_int_equal(slat_init(&s, &npt_format, &mem), 0);
	assert_int_equal(slat_map(&s, 0, 0x40000000, 4 * MIB + 0x3000, GMEM_RWX), 0);
	assert_int_equal(slat_lookup(&s, 0x1234, &hpa, &prot, &size), 0);
	assert_int_equal(hpa, 0x40001234);
	assert_int_equal(size, 2 * MIB);
	assert_int_equal(prot, GMEM_RWX);
	assert_int_equal(slat_lookup(&s, 4 * MIB + 0x2fff, &hpa, &prot, &size), 0);
	assert_int_equal(size, 4096);
	assert_int_equal(slat_lookup(&s, 4 * MIB + 0x3000, &hpa, &prot, &size), -1);
	assert_int_equal(slat_unmap(&s, 0, 4 * MIB + 0x3000), 0);
	assert_int_equal(slat_lookup(&s, 0x1234, &hpa, &prot, &size), -1);
	slat_destroy(&s);
	assert_int_equal(pages_live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_map_through_slat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
