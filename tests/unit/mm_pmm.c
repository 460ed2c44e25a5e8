/* Host unit tests of the frame allocator: reserved frames, frame 0, alignment, runs, frees, stats. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "kernel/mm/memmap.h"
#include "kernel/mm/pmm.h"

#define U BOOT_MEM_USABLE
#define R BOOT_MEM_RESERVED
#define E(b, l, t) { .base = (b), .length = (l), .type = (t) }
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MIB 0x100000ull

/* Fake RAM for the bitmap: wherever the allocator puts it, it lands here. */
static uint64_t fake_ram[(1u << 20) / 8];
static uint64_t bitmap_phys;
static int p2v_calls;

static void *fake_p2v(uint64_t phys)
{
	bitmap_phys = phys;
	p2v_calls++;
	return fake_ram;
}

static uint32_t type_at(const struct boot_mmap_entry *m, size_t n, uint64_t p)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].base <= p && p < m[i].base + m[i].length)
			return m[i].type;
	return 0;
}

/* A SeaBIOS-style map with a reserved hole in the middle of high RAM, sanitized. */
static struct boot_mmap_entry map[16];
static size_t map_n;

static int setup_std(void **state)
{
	(void)state;
	struct boot_mmap_entry raw[] = {
		E(0x0, 0x9fc00, U),          E(0x9fc00, 0x400, R),
		E(0xf0000, 0x10000, R),      E(0x100000, 0x3f00000, U), /* to 64 MiB */
		E(0x800000, 0x10000, BOOT_MEM_ACPI_RECLAIM),
		E(0x1000000, 0x200000, BOOT_MEM_KERNEL),
		E(0xfec00000, 0x1000, R),
	};
	memcpy(map, raw, sizeof(raw));
	int n = memmap_sanitize(map, N(raw), N(map));
	assert_true(n > 0);
	map_n = (size_t)n;
	p2v_calls = 0;
	assert_int_equal(pmm_init(map, map_n, fake_p2v), 0);
	assert_int_equal(p2v_calls, 1);
	return 0;
}

static uint64_t usable_frames(void)
{
	return memmap_total(map, map_n, U) / PMM_FRAME;
}

static uint64_t bitmap_frames(void)
{
	uint64_t frames = (0x4000000ull) / PMM_FRAME; /* [0, 64 MiB) */
	return (frames / 8 + PMM_FRAME - 1) / PMM_FRAME;
}

static void test_stats_after_init(void **state)
{
	(void)state;
	struct pmm_stats s;
	pmm_get_stats(&s);
	/* RAM of every kind counts; reserved ranges (MMIO, holes) do not. */
	assert_int_equal(s.total_bytes, memmap_total(map, map_n, U) + memmap_total(map, map_n, BOOT_MEM_ACPI_RECLAIM) +
						memmap_total(map, map_n, BOOT_MEM_KERNEL));
	assert_true(memmap_total(map, map_n, R) > 0);
	assert_int_equal(s.usable_bytes, memmap_total(map, map_n, U));
	assert_int_equal(s.reserved_bytes, s.total_bytes - s.usable_bytes);
	/* Everything usable is free except frame 0 and the bitmap's own frames. */
	assert_int_equal(s.free_bytes, (usable_frames() - 1 - bitmap_frames()) * PMM_FRAME);
	assert_true(bitmap_phys >= MIB);
	assert_int_equal(type_at(map, map_n, bitmap_phys), U);
}

/* Exhausts the allocator: every frame usable, unique, never 0, never the bitmap. */
static void test_exhaust_only_usable(void **state)
{
	(void)state;
	static uint8_t seen[0x4000000 / PMM_FRAME];
	uint64_t got = 0, p;
	memset(seen, 0, sizeof(seen));
	while ((p = pmm_alloc_frame()) != 0) {
		assert_int_equal(p & (PMM_FRAME - 1), 0);
		assert_true(p < 0x4000000);
		assert_int_equal(type_at(map, map_n, p), U);
		assert_false(p >= bitmap_phys && p < bitmap_phys + bitmap_frames() * PMM_FRAME);
		assert_int_equal(seen[p / PMM_FRAME], 0);
		seen[p / PMM_FRAME] = 1;
		got++;
	}
	assert_int_equal(seen[0], 0);
	assert_int_equal(got, usable_frames() - 1 - bitmap_frames());
	struct pmm_stats s;
	pmm_get_stats(&s);
	assert_int_equal(s.free_bytes, 0);
	assert_int_equal(pmm_alloc(1, PMM_FRAME), 0);
	/* Give one back: it is the only one handed out again. */
	assert_int_equal(pmm_free(0x2345000, 1), 0);
	assert_int_equal(pmm_alloc_frame(), 0x2345000);
}

static void test_next_fit_starts_high(void **state)
{
	(void)state;
	uint64_t a = pmm_alloc_frame(), b = pmm_alloc_frame(), c = pmm_alloc_frame();
	assert_true(a >= MIB);
	assert_true(b > a);
	assert_true(c > b);
	/* A freed frame is not handed straight back: the search goes on from the hint. */
	assert_int_equal(pmm_free(a, 1), 0);
	assert_true(pmm_alloc_frame() > c);
}

static void test_alignment_and_runs(void **state)
{
	(void)state;
	uint64_t aligns[] = { 0x2000, 0x10000, 0x200000, 0x400000 };
	for (size_t i = 0; i < N(aligns); i++) {
		uint64_t p = pmm_alloc(3, aligns[i]);
		assert_int_not_equal(p, 0);
		assert_int_equal(p % aligns[i], 0);
	}
	/* 2 MiB of guest RAM, 2 MiB aligned: all of it usable and owned by nobody else. */
	uint64_t g = pmm_alloc(512, 0x200000);
	assert_int_not_equal(g, 0);
	assert_int_equal(g % 0x200000, 0);
	for (uint64_t f = g; f < g + 0x200000; f += PMM_FRAME)
		assert_int_equal(type_at(map, map_n, f), U);
	/* The run is allocated: freeing it works once, in full. */
	assert_int_equal(pmm_free(g, 512), 0);
	assert_int_equal(pmm_free(g, 512), -1);
}

/* Runs never straddle a reserved range: the 8 MiB ACPI page and the kernel image sit in RAM. */
static void test_run_skips_reserved(void **state)
{
	(void)state;
	for (int i = 0; i < 20; i++) {
		uint64_t p = pmm_alloc(300, 0x1000);
		if (!p)
			break;
		for (uint64_t f = p; f < p + 300 * PMM_FRAME; f += PMM_FRAME)
			assert_int_equal(type_at(map, map_n, f), U);
	}
}

static void test_too_large_and_bad_args(void **state)
{
	(void)state;
	struct pmm_stats before, after;
	pmm_get_stats(&before);
	assert_int_equal(pmm_alloc(0x4000000 / PMM_FRAME, PMM_FRAME), 0); /* more than exists */
	assert_int_equal(pmm_alloc(0, PMM_FRAME), 0);
	assert_int_equal(pmm_alloc(1, 0), 0);
	assert_int_equal(pmm_alloc(1, 0x800), 0);
	assert_int_equal(pmm_alloc(1, 0x3000), 0); /* not a power of two */
	assert_int_equal(pmm_alloc(1, 1ull << 40), 0); /* no frame that aligned is usable */
	assert_int_equal(pmm_alloc((size_t)-1, PMM_FRAME), 0);
	/* The largest contiguous usable run is 0x1000000 - 0x810000 minus nothing above: */
	assert_int_equal(pmm_alloc((0x4000000 - 0x1200000) / PMM_FRAME + 1, PMM_FRAME), 0);
	pmm_get_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void test_free_refusals(void **state)
{
	(void)state;
	struct pmm_stats before, after;
	uint64_t p = pmm_alloc(4, PMM_FRAME);
	assert_int_not_equal(p, 0);
	pmm_get_stats(&before);
	assert_int_equal(pmm_free(0, 1), -1);                 /* frame 0 */
	assert_int_equal(pmm_free(0x9f000, 1), -1);           /* reserved (E820 hole) */
	assert_int_equal(pmm_free(0x800000, 1), -1);          /* ACPI tables */
	assert_int_equal(pmm_free(0x1000000, 1), -1);         /* the kernel image */
	assert_int_equal(pmm_free(0xfec00000, 1), -1);        /* MMIO, outside the bitmap */
	assert_int_equal(pmm_free(0x100000000ull, 1), -1);    /* beyond RAM */
	assert_int_equal(pmm_free(bitmap_phys, 1), -1);       /* the bitmap itself */
	assert_int_equal(pmm_free(p + 1, 1), -1);             /* unaligned */
	assert_int_equal(pmm_free(p, 0), -1);
	assert_int_equal(pmm_free(p, 5), -1);                 /* last frame is free: all refused */
	assert_int_equal(pmm_free(p - PMM_FRAME, 2), -1);
	assert_int_equal(pmm_free(~0ull & ~0xfffull, 2), -1); /* wraps */
	assert_int_equal(pmm_free(p, (size_t)-1), -1);
	pmm_get_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(pmm_free(p, 4), 0);
	assert_int_equal(pmm_free(p + PMM_FRAME, 1), -1);     /* double free */
	pmm_get_stats(&after);
	assert_int_equal(after.free_bytes, before.free_bytes + 4 * PMM_FRAME);
}

static void test_stats_track_alloc_free(void **state)
{
	(void)state;
	struct pmm_stats s0, s1, s2;
	pmm_get_stats(&s0);
	uint64_t a = pmm_alloc(7, PMM_FRAME), b = pmm_alloc(512, 0x200000), c = pmm_alloc_frame();
	assert_true(a && b && c);
	pmm_get_stats(&s1);
	assert_int_equal(s1.free_bytes, s0.free_bytes - (7 + 512 + 1) * PMM_FRAME);
	assert_int_equal(pmm_free(b, 512), 0);
	assert_int_equal(pmm_free(a, 7), 0);
	assert_int_equal(pmm_free(c, 1), 0);
	pmm_get_stats(&s2);
	assert_memory_equal(&s0, &s2, sizeof(s0));
}

static void test_is_managed(void **state)
{
	(void)state;
	assert_true(pmm_is_managed(0x0));
	assert_true(pmm_is_managed(0x5000));
	assert_true(pmm_is_managed(0x3ffffff));
	assert_true(pmm_is_managed(bitmap_phys));
	assert_false(pmm_is_managed(0x9f000));
	assert_false(pmm_is_managed(0x800000));
	assert_false(pmm_is_managed(0x4000000));
	assert_false(pmm_is_managed(0xfec00000));
}

static void test_init_refuses_bad_maps(void **state)
{
	(void)state;
	struct boot_mmap_entry none[] = { E(0x0, 0x100000, R) };
	struct boot_mmap_entry overlap[] = { E(0x100000, 0x100000, U), E(0x180000, 0x1000, R) };
	struct boot_mmap_entry unsorted[] = { E(0x200000, 0x1000, U), E(0x100000, 0x1000, U) };
	struct boot_mmap_entry unaligned[] = { E(0x100800, 0x10000, U) };
	assert_int_equal(pmm_init(none, 1, fake_p2v), -1);
	assert_int_equal(pmm_init(overlap, 2, fake_p2v), -1);
	assert_int_equal(pmm_init(unsorted, 2, fake_p2v), -1);
	assert_int_equal(pmm_init(unaligned, 1, fake_p2v), -1);
	assert_int_equal(pmm_init(NULL, 1, fake_p2v), -1);
	assert_int_equal(pmm_init(map, map_n, NULL), -1);
	/* After a failed init nothing is handed out. */
	assert_int_equal(pmm_alloc_frame(), 0);
	assert_false(pmm_is_managed(0x200000));
	struct pmm_stats s;
	pmm_get_stats(&s);
	assert_int_equal(s.free_bytes, 0);
}

/* Only low memory and only one page of it: frame 0 stays unused, the bitmap takes frame 1. */
static void test_tiny_map(void **state)
{
	(void)state;
	struct boot_mmap_entry m[] = { E(0x0, 0x3000, U) };
	assert_int_equal(pmm_init(m, 1, fake_p2v), 0);
	assert_int_equal(bitmap_phys, 0x1000);
	assert_int_equal(pmm_alloc_frame(), 0x2000);
	assert_int_equal(pmm_alloc_frame(), 0);
	struct boot_mmap_entry one[] = { E(0x0, 0x1000, U) };
	assert_int_equal(pmm_init(one, 1, fake_p2v), -1); /* no room for the bitmap */
}

/* RAM above 4 GiB behind a large hole; 1 GiB alignment works. */
static void test_high_memory(void **state)
{
	(void)state;
	struct boot_mmap_entry m[] = {
		E(0x100000, 0x7ff00000, U), E(0xfec00000, 0x1000, R), E(0x100000000ull, 0x80000000, U),
	};
	assert_int_equal(pmm_init(m, N(m), fake_p2v), 0);
	uint64_t p = pmm_alloc(1, 1ull << 30);
	assert_true(p == 0x40000000 || p == 0x100000000ull || p == 0x140000000ull);
	uint64_t big = pmm_alloc(0x40000, 1ull << 30); /* 1 GiB run */
	assert_int_not_equal(big, 0);
	assert_int_equal(big % (1ull << 30), 0);
	assert_true(big >= 0x100000000ull);
	assert_false(pmm_is_managed(0x90000000));
	assert_int_equal(pmm_free(0x90000000, 1), -1);
}

#define THREADS 4
#define PER_THREAD 2000
static uint64_t thread_frames[THREADS][PER_THREAD];
/* Failures of every round, counted apart from the frames so a later round cannot hide them. */
static unsigned thread_failures[THREADS];

static void *thread_worker(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;
	uint64_t *out = thread_frames[t];

	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < PER_THREAD; i++) {
			out[i] = pmm_alloc_frame();
			thread_failures[t] += out[i] == 0; /* there is room for every thread's frames */
		}
		if (round < 19)
			for (int i = 0; i < PER_THREAD; i++)
				thread_failures[t] += pmm_free(out[i], 1) != 0;
	}
	return NULL;
}

/* Several threads allocating and freeing at once never share a frame. */
static void test_concurrent(void **state)
{
	(void)state;
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_worker, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(thread_failures[i], 0);
	static uint8_t seen[0x4000000 / PMM_FRAME];
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < THREADS; i++)
		for (int j = 0; j < PER_THREAD; j++) {
			uint64_t p = thread_frames[i][j];
			assert_true(p != 0 && p < 0x4000000);
			assert_int_equal(seen[p / PMM_FRAME], 0);
			seen[p / PMM_FRAME] = 1;
		}
	struct pmm_stats s;
	pmm_get_stats(&s);
	assert_int_equal(s.free_bytes,
			 (usable_frames() - 1 - bitmap_frames() - THREADS * PER_THREAD) * PMM_FRAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_stats_after_init, setup_std),
		cmocka_unit_test_setup(test_exhaust_only_usable, setup_std),
		cmocka_unit_test_setup(test_next_fit_starts_high, setup_std),
		cmocka_unit_test_setup(test_alignment_and_runs, setup_std),
		cmocka_unit_test_setup(test_run_skips_reserved, setup_std),
		cmocka_unit_test_setup(test_too_large_and_bad_args, setup_std),
		cmocka_unit_test_setup(test_free_refusals, setup_std),
		cmocka_unit_test_setup(test_stats_track_alloc_free, setup_std),
		cmocka_unit_test_setup(test_is_managed, setup_std),
		cmocka_unit_test_setup(test_init_refuses_bad_maps, setup_std),
		cmocka_unit_test(test_tiny_map),
		cmocka_unit_test(test_high_memory),
		cmocka_unit_test_setup(test_concurrent, setup_std),
	};
	return cmocka_run_group_tests_name("mm_pmm", tests, NULL, NULL);
}
