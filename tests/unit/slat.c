/* Host unit tests of the SLAT builder: 2 MiB/4 KiB choice, splits, unmap, permissions, bad arguments, out of memory. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/slat.h"
#include "hypervisor/virt_ops.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull
#define PAGE 0x1000ull
#define LARGE 0x200000ull

/* ---- Two test formats with the EPT and NPT bit layouts (SDM Vol 3C 29.3.2, APM Vol 2 15.25.5). ---- */

#define ADDR_MASK 0x000ffffffffff000ull

static uint64_t ept_table(uint64_t hpa)
{
	return hpa | 0x7;
}

static uint64_t ept_leaf(uint64_t hpa, uint32_t prot, bool large)
{
	return hpa | (prot & 7) | (6ull << 3) | (large ? 0x80 : 0);
}

static bool ept_present(uint64_t e)
{
	return (e & 7) != 0;
}

static bool bit7(uint64_t e)
{
	return (e & 0x80) != 0;
}

static uint32_t ept_prot(uint64_t e)
{
	return (uint32_t)(e & 7);
}

static const struct slat_format ept_fmt = {
	.name = "ept-test", .addr_mask = ADDR_MASK, .table_entry = ept_table, .leaf_entry = ept_leaf,
	.present = ept_present, .large = bit7, .prot = ept_prot,
};

#define NPT_P 0x1ull
#define NPT_RW 0x2ull
#define NPT_US 0x4ull
#define NPT_NX (1ull << 63)

static uint64_t npt_table(uint64_t hpa)
{
	return hpa | NPT_P | NPT_RW | NPT_US;
}

static uint64_t npt_leaf(uint64_t hpa, uint32_t prot, bool large)
{
	uint64_t e = hpa | NPT_P | NPT_US | (large ? 0x80 : 0);

	if (prot & GMEM_W)
		e |= NPT_RW;
	if (!(prot & GMEM_X))
		e |= NPT_NX;
	return e;
}

static bool npt_present(uint64_t e)
{
	return (e & NPT_P) != 0;
}

static uint32_t npt_prot(uint64_t e)
{
	return GMEM_R | ((e & NPT_RW) ? GMEM_W : 0) | ((e & NPT_NX) ? 0 : GMEM_X);
}

static const struct slat_format npt_fmt = {
	.name = "npt-test", .addr_mask = ADDR_MASK & ~NPT_NX, .table_entry = npt_table,
	.leaf_entry = npt_leaf, .present = npt_present, .large = bit7, .prot = npt_prot,
};

/* ---- A malloc-backed page allocator that counts pages and fails on request. ---- */

struct pool {
	long live;       /* pages handed out and not yet freed */
	long allocs;     /* successful allocations so far */
	long fail_after; /* allocations allowed before failing; -1 = never */
};

static uint64_t pool_alloc(void *ctx)
{
	struct pool *p = ctx;
	void *page;

	if (p->fail_after >= 0 && p->allocs >= p->fail_after)
		return 0;
	page = aligned_alloc(PAGE, PAGE);
	assert_non_null(page);
	memset(page, 0, PAGE);
	p->allocs++;
	p->live++;
	return (uint64_t)(uintptr_t)page;
}

static void pool_free(void *ctx, uint64_t hpa)
{
	struct pool *p = ctx;

	assert_true(hpa != 0 && (hpa & (PAGE - 1)) == 0);
	memset((void *)(uintptr_t)hpa, 0xa5, PAGE); /* a use after free shows up as garbage */
	free((void *)(uintptr_t)hpa);
	p->live--;
	assert_true(p->live >= 0);
}

static void *pool_virt(void *ctx, uint64_t hpa)
{
	(void)ctx;
	return (void *)(uintptr_t)hpa;
}

struct fixture {
	struct pool pool;
	struct slat s;
	const struct slat_format *fmt;
};

static int setup_fmt(void **state, const struct slat_format *fmt)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct slat_mem mem = { pool_alloc, pool_free, pool_virt, NULL };

	assert_non_null(f);
	f->pool.fail_after = -1;
	f->fmt = fmt;
	mem.ctx = &f->pool;
	assert_int_equal(slat_init(&f->s, fmt, &mem), 0);
	*state = f;
	return 0;
}

static int setup_ept(void **state)
{
	return setup_fmt(state, &ept_fmt);
}

static int setup_npt(void **state)
{
	return setup_fmt(state, &npt_fmt);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	slat_destroy(&f->s);
	assert_int_equal(f->pool.live, 0);
	assert_int_equal(f->s.table_pages, 0);
	free(f);
	return 0;
}

/* ---- Helpers ---- */

/* Every 4 KiB page of [gpa, gpa+size) translates to hpa+offset with prot and the page size. */
static void expect_range(const struct slat *s, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot,
			 uint64_t page_size)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		uint64_t h = 0, ps = 0;
		uint32_t p = 0;

		assert_int_equal(slat_lookup(s, gpa + off + 0x123, &h, &p, &ps), 0);
		assert_int_equal(h, hpa + off + 0x123);
		assert_int_equal(p, prot);
		if (page_size)
			assert_int_equal(ps, page_size);
	}
}

static void expect_unmapped(const struct slat *s, uint64_t gpa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		uint64_t h;
		uint32_t p;
		uint64_t ps;

		assert_int_equal(slat_lookup(s, gpa + off, &h, &p, &ps), -1);
	}
}

static uint64_t page_size_at(const struct slat *s, uint64_t gpa)
{
	uint64_t h, ps = 0;
	uint32_t p;

	assert_int_equal(slat_lookup(s, gpa, &h, &p, &ps), 0);
	return ps;
}

/* Counts table pages by walking, and checks no table but the root is empty. */
static uint64_t count_tables(const struct slat *s, uint64_t hpa, int level)
{
	const uint64_t *t = (const uint64_t *)(uintptr_t)hpa;
	uint64_t n = 1, present = 0;

	for (int i = 0; i < 512; i++) {
		if (!s->fmt->present(t[i]))
			continue;
		present++;
		if (level > 1 && !(level == 2 && s->fmt->large(t[i])))
			n += count_tables(s, t[i] & s->fmt->addr_mask, level - 1);
	}
	if (level != 4)
		assert_true(present > 0);
	return n;
}

static void expect_consistent(const struct fixture *f)
{
	assert_int_equal(f->s.table_pages, (uint64_t)f->pool.live);
	assert_int_equal(count_tables(&f->s, f->s.root, 4), f->s.table_pages);
}

/* ---- Tests ---- */

static void test_init_and_destroy(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->s.table_pages, 1);
	assert_int_equal(f->pool.live, 1);
	assert_int_equal(slat_lookup(&f->s, 0, NULL, NULL, NULL), -1);
}

static void test_single_4k(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 0x5000, 0x77000, PAGE, GMEM_RWX), 0);
	expect_range(&f->s, 0x5000, 0x77000, PAGE, GMEM_RWX, PAGE);
	expect_unmapped(&f->s, 0x4000, PAGE);
	expect_unmapped(&f->s, 0x6000, PAGE);
	assert_int_equal(f->s.table_pages, 4); /* root, PDPT, PD, PT */
	expect_consistent(f);
}

static void test_2m_when_aligned(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 4 * MIB, 64 * MIB, 8 * MIB, GMEM_RWX), 0);
	expect_range(&f->s, 4 * MIB, 64 * MIB, 8 * MIB, GMEM_RWX, LARGE);
	assert_int_equal(f->s.table_pages, 3); /* root, PDPT, PD: no page tables */
	expect_consistent(f);
}

/* Without the CPU's 2 MiB capability (EPT: IA32_VMX_EPT_VPID_CAP bit 16) every leaf is 4 KiB. */
static void test_small_only(void **state)
{
	struct fixture *f = *state;

	f->s.small_only = true;
	assert_int_equal(slat_map(&f->s, 4 * MIB, 64 * MIB, 4 * MIB, GMEM_RWX), 0);
	expect_range(&f->s, 4 * MIB, 64 * MIB, 4 * MIB, GMEM_RWX, PAGE);
	assert_int_equal(f->s.table_pages, 3 + 2); /* root, PDPT, PD and two page tables */
	expect_consistent(f);
}

static void test_4k_when_hpa_misaligned(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 4 * MIB, 64 * MIB + PAGE, 4 * MIB, GMEM_RWX), 0);
	expect_range(&f->s, 4 * MIB, 64 * MIB + PAGE, 4 * MIB, GMEM_RWX, PAGE);
	assert_int_equal(f->s.table_pages, 5);
	expect_consistent(f);
}

static void test_mixed_head_large_tail(void **state)
{
	struct fixture *f = *state;
	uint64_t gpa = 2 * MIB - 3 * PAGE, size = 3 * PAGE + 4 * MIB + 5 * PAGE;

	assert_int_equal(slat_map(&f->s, gpa, gpa + GIB, size, GMEM_R | GMEM_X), 0);
	expect_range(&f->s, gpa, gpa + GIB, size, GMEM_R | GMEM_X, 0);
	assert_int_equal(page_size_at(&f->s, gpa), PAGE);
	assert_int_equal(page_size_at(&f->s, 2 * MIB), LARGE);
	assert_int_equal(page_size_at(&f->s, 4 * MIB), LARGE);
	assert_int_equal(page_size_at(&f->s, 6 * MIB), PAGE);
	expect_unmapped(&f->s, gpa - PAGE, PAGE);
	expect_unmapped(&f->s, gpa + size, PAGE);
	expect_consistent(f);
}

static void test_less_than_2m_left_uses_4k(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 2 * MIB, 2 * MIB, LARGE - PAGE, GMEM_RWX), 0);
	expect_range(&f->s, 2 * MIB, 2 * MIB, LARGE - PAGE, GMEM_RWX, PAGE);
	expect_unmapped(&f->s, 4 * MIB - PAGE, PAGE);
	expect_consistent(f);
}

static void test_crosses_1g_and_512g(void **state)
{
	struct fixture *f = *state;
	uint64_t gpa = 512 * GIB - 2 * MIB - PAGE;

	assert_int_equal(slat_map(&f->s, gpa, 0x10000000ull - 2 * MIB - PAGE, 4 * MIB + 2 * PAGE, GMEM_RWX), 0);
	expect_range(&f->s, gpa, 0x10000000ull - 2 * MIB - PAGE, 4 * MIB + 2 * PAGE, GMEM_RWX, 0);
	assert_int_equal(page_size_at(&f->s, 512 * GIB - 2 * MIB), LARGE);
	assert_int_equal(page_size_at(&f->s, 512 * GIB), LARGE);
	expect_consistent(f);
}

static void test_top_of_gpa_space(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, SLAT_GPA_LIMIT - LARGE, 0, LARGE, GMEM_RWX), 0);
	expect_range(&f->s, SLAT_GPA_LIMIT - LARGE, 0, LARGE, GMEM_RWX, LARGE);
	assert_int_equal(slat_lookup(&f->s, SLAT_GPA_LIMIT, NULL, NULL, NULL), -1);
	assert_int_equal(slat_unmap(&f->s, SLAT_GPA_LIMIT - PAGE, PAGE), 0);
	expect_range(&f->s, SLAT_GPA_LIMIT - LARGE, 0, LARGE - PAGE, GMEM_RWX, PAGE);
	expect_consistent(f);
}

static void test_split_on_remap(void **state)
{
	struct fixture *f = *state;
	uint64_t hit = 2 * MIB + 100 * PAGE;

	assert_int_equal(slat_map(&f->s, 2 * MIB, 10 * MIB, LARGE, GMEM_RWX), 0);
	assert_int_equal(f->s.table_pages, 3);
	assert_int_equal(slat_map(&f->s, hit, 99 * MIB, PAGE, GMEM_R), 0);
	assert_int_equal(f->s.table_pages, 4);
	expect_range(&f->s, 2 * MIB, 10 * MIB, 100 * PAGE, GMEM_RWX, PAGE);
	expect_range(&f->s, hit, 99 * MIB, PAGE, GMEM_R, PAGE);
	expect_range(&f->s, hit + PAGE, 10 * MIB + 101 * PAGE, LARGE - 101 * PAGE, GMEM_RWX, PAGE);
	expect_consistent(f);
}

static void test_split_on_partial_unmap(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 0, 0, 4 * MIB, GMEM_R | GMEM_W), 0);
	assert_int_equal(slat_unmap(&f->s, 2 * MIB + 7 * PAGE, 2 * PAGE), 0);
	expect_range(&f->s, 0, 0, 2 * MIB, GMEM_R | GMEM_W, LARGE);
	expect_range(&f->s, 2 * MIB, 2 * MIB, 7 * PAGE, GMEM_R | GMEM_W, PAGE);
	expect_unmapped(&f->s, 2 * MIB + 7 * PAGE, 2 * PAGE);
	expect_range(&f->s, 2 * MIB + 9 * PAGE, 2 * MIB + 9 * PAGE, LARGE - 9 * PAGE, GMEM_R | GMEM_W, PAGE);
	assert_int_equal(f->s.table_pages, 4);
	expect_consistent(f);
}

static void test_large_replaces_page_table(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 2 * MIB, 2 * MIB + PAGE, 8 * PAGE, GMEM_RWX), 0);
	assert_int_equal(f->s.table_pages, 4);
	assert_int_equal(slat_map(&f->s, 2 * MIB, 30 * MIB, LARGE, GMEM_R), 0);
	assert_int_equal(f->s.table_pages, 3);
	expect_range(&f->s, 2 * MIB, 30 * MIB, LARGE, GMEM_R, LARGE);
	expect_consistent(f);
}

static void test_unmap_everything_frees_tables(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 0, 0, 64 * MIB + 3 * PAGE, GMEM_RWX), 0);
	assert_int_equal(slat_map(&f->s, 700 * GIB + PAGE, 0x5000, 3 * PAGE, GMEM_R), 0);
	assert_int_equal(slat_map(&f->s, 3 * GIB, 0x200000, 6 * MIB, GMEM_R | GMEM_X), 0);
	expect_consistent(f);
	assert_int_equal(slat_unmap(&f->s, 0, SLAT_GPA_LIMIT), 0);
	assert_int_equal(f->s.table_pages, 1);
	assert_int_equal(f->pool.live, 1);
	expect_unmapped(&f->s, 0, 4 * MIB);
	expect_unmapped(&f->s, 700 * GIB, 4 * PAGE);
}

static void test_unmap_piecewise_frees_tables(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 1 * MIB, 5 * MIB, 6 * MIB, GMEM_RWX), 0);
	for (uint64_t g = 1 * MIB; g < 7 * MIB; g += PAGE) {
		assert_int_equal(slat_unmap(&f->s, g, PAGE), 0);
		expect_consistent(f);
	}
	assert_int_equal(f->s.table_pages, 1);
}

static void test_unmap_nothing_is_fine(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_unmap(&f->s, 5 * GIB, 10 * MIB), 0);
	assert_int_equal(f->s.table_pages, 1);
}

static void test_permissions_per_page(void **state)
{
	struct fixture *f = *state;
	const uint32_t prots[] = { GMEM_R, GMEM_R | GMEM_W, GMEM_R | GMEM_X, GMEM_RWX };

	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(slat_map(&f->s, 0x10000 + i * PAGE, 0x80000 + i * PAGE, PAGE, prots[i]), 0);
		assert_int_equal(slat_map(&f->s, (uint64_t)(i + 1) * LARGE * 4, 0, LARGE, prots[i]), 0);
	}
	for (unsigned i = 0; i < 4; i++) {
		expect_range(&f->s, 0x10000 + i * PAGE, 0x80000 + i * PAGE, PAGE, prots[i], PAGE);
		expect_range(&f->s, (uint64_t)(i + 1) * LARGE * 4, 0, LARGE, prots[i], LARGE);
	}
	/* Splitting keeps the permission of the pages that did not change. */
	assert_int_equal(slat_unmap(&f->s, 4 * LARGE + PAGE, PAGE), 0);
	expect_range(&f->s, 4 * LARGE, 0, PAGE, GMEM_R, PAGE);
	expect_range(&f->s, 4 * LARGE + 2 * PAGE, 2 * PAGE, LARGE - 2 * PAGE, GMEM_R, PAGE);
	expect_consistent(f);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;
	struct slat *s = &f->s;

	assert_int_equal(slat_map(s, 0x800, 0, PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0, 0x800, PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0, 0, 0x800, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0, 0, 0, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, SLAT_GPA_LIMIT, 0, PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, SLAT_GPA_LIMIT - PAGE, 0, 2 * PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0xfffffffffffff000ull, 0, 2 * PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0, 0xfffffffffffff000ull, 2 * PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0, 1ull << 52, PAGE, GMEM_RWX), -1); /* beyond addr_mask */
	assert_int_equal(slat_map(s, 0, (1ull << 52) - PAGE, 2 * PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_map(s, 0, 0, PAGE, 0), -1);
	assert_int_equal(slat_map(s, 0, 0, PAGE, GMEM_W), -1);
	assert_int_equal(slat_map(s, 0, 0, PAGE, GMEM_X), -1);
	assert_int_equal(slat_map(s, 0, 0, PAGE, 0x8 | GMEM_R), -1);
	assert_int_equal(slat_unmap(s, 0x800, PAGE), -1);
	assert_int_equal(slat_unmap(s, 0, 0), -1);
	assert_int_equal(slat_unmap(s, 0, 0x801), -1);
	assert_int_equal(slat_unmap(s, SLAT_GPA_LIMIT - PAGE, 2 * PAGE), -1);
	assert_int_equal(slat_map(NULL, 0, 0, PAGE, GMEM_RWX), -1);
	assert_int_equal(slat_lookup(NULL, 0, NULL, NULL, NULL), -1);
	assert_int_equal(f->s.table_pages, 1);
	/* The last page below the limit is fine. */
	assert_int_equal(slat_map(s, SLAT_GPA_LIMIT - PAGE, (1ull << 52) - PAGE, PAGE, GMEM_RWX), 0);
	expect_range(s, SLAT_GPA_LIMIT - PAGE, (1ull << 52) - PAGE, PAGE, GMEM_RWX, PAGE);
	expect_consistent(f);
}

static void test_init_rejects_bad_format(void **state)
{
	struct fixture *f = *state;
	struct slat s2;
	struct slat_format broken = ept_fmt;
	struct slat_mem mem = { pool_alloc, pool_free, pool_virt, &f->pool };
	struct slat_mem no_alloc = mem;

	broken.leaf_entry = NULL;
	no_alloc.alloc_page = NULL;
	assert_int_equal(slat_init(&s2, &broken, &mem), -1);
	assert_int_equal(slat_init(&s2, &ept_fmt, &no_alloc), -1);
	assert_int_equal(slat_init(&s2, NULL, &mem), -1);
	f->pool.fail_after = f->pool.allocs;
	assert_int_equal(slat_init(&s2, &ept_fmt, &mem), -1);
	assert_int_equal(f->pool.live, 1);
	f->pool.fail_after = -1;
	assert_int_equal(slat_init(&s2, &ept_fmt, &mem), 0);
	slat_destroy(&s2);
	slat_destroy(&s2); /* a second destroy does nothing */
	assert_int_equal(f->pool.live, 1);
	assert_int_equal(slat_map(&s2, 0, 0, PAGE, GMEM_RWX), -1);
}

/* Out of memory part-way: earlier pages stay mapped, later ones absent, no empty tables left. */
static void test_oom_mid_map(void **state)
{
	struct fixture *f = *state;
	/* 4 KiB pages across three page tables in two PDs: needs PDPT, 2 PDs, 3+ PTs. */
	uint64_t gpa = GIB - 2 * MIB - 8 * PAGE, size = 4 * MIB + 16 * PAGE, hpa = 0x1000;

	for (long budget = 0; budget < 8; budget++) {
		uint64_t mapped = 0;

		f->pool.fail_after = f->pool.allocs + budget;
		int rc = slat_map(&f->s, gpa, hpa, size, GMEM_RWX);
		f->pool.fail_after = -1;
		expect_consistent(f);
		while (mapped < size && slat_lookup(&f->s, gpa + mapped, NULL, NULL, NULL) == 0)
			mapped += PAGE;
		if (rc == 0) {
			assert_int_equal(mapped, size);
		} else {
			assert_true(mapped < size);
			expect_range(&f->s, gpa, hpa, mapped, GMEM_RWX, PAGE);
			expect_unmapped(&f->s, gpa + mapped, size - mapped);
		}
		assert_int_equal(slat_unmap(&f->s, 0, SLAT_GPA_LIMIT), 0);
		assert_int_equal(f->s.table_pages, 1);
		assert_int_equal(f->pool.live, 1);
	}
}

static void test_oom_on_split(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 0, 0, LARGE, GMEM_RWX), 0);
	f->pool.fail_after = f->pool.allocs;
	assert_int_equal(slat_unmap(&f->s, PAGE, PAGE), -1);
	assert_int_equal(slat_map(&f->s, PAGE, 5 * MIB, PAGE, GMEM_R), -1);
	f->pool.fail_after = -1;
	expect_range(&f->s, 0, 0, LARGE, GMEM_RWX, LARGE);
	expect_consistent(f);
}

/* Random maps and unmaps in a 12 MiB window against a shadow copy of every page. */
struct shadow_page {
	uint64_t hpa;
	uint32_t prot; /* 0 = unmapped */
};

#define WINDOW_PAGES (12 * MIB / PAGE)

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

static void random_op(struct fixture *f, struct shadow_page *sh)
{
	const uint32_t prots[] = { GMEM_R, GMEM_R | GMEM_W, GMEM_R | GMEM_X, GMEM_RWX };
	uint64_t first = rnd(2) ? rnd(WINDOW_PAGES) : rnd(6) * 512;
	uint64_t count = 1 + (rnd(2) ? rnd(32) : rnd(1200));
	uint64_t hpa = rnd(2) ? rnd(4096) * PAGE : (rnd(64) * LARGE + first * PAGE % LARGE);
	uint32_t prot = prots[rnd(4)];
	bool map = rnd(3) != 0;

	if (first + count > WINDOW_PAGES)
		count = WINDOW_PAGES - first;
	if (map)
		assert_int_equal(slat_map(&f->s, first * PAGE, hpa, count * PAGE, prot), 0);
	else
		assert_int_equal(slat_unmap(&f->s, first * PAGE, count * PAGE), 0);
	for (uint64_t i = 0; i < count; i++)
		sh[first + i] = map ? (struct shadow_page){ hpa + i * PAGE, prot } : (struct shadow_page){ 0, 0 };
}

static void expect_shadow(const struct fixture *f, const struct shadow_page *sh)
{
	for (uint64_t i = 0; i < WINDOW_PAGES; i++) {
		uint64_t h = 0;
		uint32_t p = 0;
		int rc = slat_lookup(&f->s, i * PAGE, &h, &p, NULL);

		if (sh[i].prot == 0) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(h, sh[i].hpa);
			assert_int_equal(p, sh[i].prot);
		}
	}
}

static void test_random_against_shadow(void **state)
{
	struct fixture *f = *state;
	struct shadow_page *sh = calloc(WINDOW_PAGES, sizeof(*sh));

	assert_non_null(sh);
	for (int round = 0; round < 300; round++) {
		random_op(f, sh);
		expect_shadow(f, sh);
		expect_consistent(f);
	}
	assert_int_equal(slat_unmap(&f->s, 0, 12 * MIB), 0);
	assert_int_equal(f->s.table_pages, 1);
	free(sh);
}

static void test_destroy_frees_all(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(slat_map(&f->s, 0, 0, 256 * MIB + 5 * PAGE, GMEM_RWX), 0);
	assert_int_equal(slat_map(&f->s, 100 * GIB + PAGE, PAGE, 20 * MIB, GMEM_R), 0);
	assert_int_equal(slat_map(&f->s, SLAT_GPA_LIMIT - PAGE, 0, PAGE, GMEM_R), 0);
	expect_consistent(f);
	assert_int_equal(f->pool.live, 10); /* 4 + (PD + 2 PTs) + (PDPT, PD, PT) */
	/* teardown destroys and checks every page came back */
}

#define BOTH(t) cmocka_unit_test_setup_teardown(t, setup_ept, teardown), \
		cmocka_unit_test_setup_teardown(t, setup_npt, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_init_and_destroy),
		BOTH(test_single_4k),
		BOTH(test_2m_when_aligned),
		BOTH(test_small_only),
		BOTH(test_4k_when_hpa_misaligned),
		BOTH(test_mixed_head_large_tail),
		BOTH(test_less_than_2m_left_uses_4k),
		BOTH(test_crosses_1g_and_512g),
		BOTH(test_top_of_gpa_space),
		BOTH(test_split_on_remap),
		BOTH(test_split_on_partial_unmap),
		BOTH(test_large_replaces_page_table),
		BOTH(test_unmap_everything_frees_tables),
		BOTH(test_unmap_piecewise_frees_tables),
		BOTH(test_unmap_nothing_is_fine),
		BOTH(test_permissions_per_page),
		BOTH(test_bad_arguments),
		BOTH(test_init_rejects_bad_format),
		BOTH(test_oom_mid_map),
		BOTH(test_oom_on_split),
		BOTH(test_random_against_shadow),
		BOTH(test_destroy_frees_all),
	};

	return cmocka_run_group_tests_name("slat", tests, NULL, NULL);
}
