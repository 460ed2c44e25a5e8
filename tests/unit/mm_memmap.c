/* Host unit tests of the memory-map sanitizer: sorting, clipping, overlaps, merging, reservations. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/mm/memmap.h"

#define U BOOT_MEM_USABLE
#define R BOOT_MEM_RESERVED
#define AR BOOT_MEM_ACPI_RECLAIM
#define AN BOOT_MEM_ACPI_NVS
#define BAD BOOT_MEM_BAD
#define BL BOOT_MEM_BOOTLOADER
#define RT BOOT_MEM_RUNTIME
#define K BOOT_MEM_KERNEL
#define E(b, l, t) { .base = (b), .length = (l), .type = (t) }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void print_map(const struct boot_mmap_entry *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		print_message("  [%#llx, %#llx) %s\n", (unsigned long long)m[i].base,
			      (unsigned long long)(m[i].base + m[i].length),
			      memmap_type_name(m[i].type));
}

static void expect_map(const struct boot_mmap_entry *got, int n,
		       const struct boot_mmap_entry *want, size_t wn)
{
	int same = n == (int)wn;

	for (size_t i = 0; same && i < wn; i++)
		same = got[i].base == want[i].base && got[i].length == want[i].length &&
		       got[i].type == want[i].type;
	if (!same) {
		print_message("got %d entries:\n", n);
		if (n > 0)
			print_map(got, (size_t)n);
		print_message("want %zu entries:\n", wn);
		print_map(want, wn);
	}
	assert_true(same);
}

/* A UEFI map from OVMF as the boot path folds it: sorted, many same-type neighbours. */
static void test_ovmf_map(void **state)
{
	(void)state;
	struct boot_mmap_entry m[32] = {
		E(0x0, 0x9f000, U),              /* conventional */
		E(0x9f000, 0x1000, U),           /* boot services data */
		E(0x100000, 0x700000, U),
		E(0x800000, 0x8000, AN),
		E(0x808000, 0x3000, U),
		E(0x80b000, 0x1000, AN),
		E(0x80c000, 0x5000, U),
		E(0x811000, 0xef000, AN),
		E(0x900000, 0x3e000000, U),
		E(0x3e900000, 0x200000, BL),     /* loader data: boot_info, modules */
		E(0x3eb00000, 0x100000, K),
		E(0x3ec00000, 0x1000000, U),
		E(0x3fc00000, 0x80000, RT),      /* runtime services data */
		E(0x3fc80000, 0x80000, RT),      /* runtime services code */
		E(0x3fd00000, 0x7b000, AR),
		E(0x3fd7b000, 0x5000, U),
		E(0x3fd80000, 0x80000, AN),
		E(0x3fe00000, 0x200000, U),
		E(0xffc00000, 0x400000, R),      /* flash MMIO */
		E(0xb0000000, 0x10000000, R),    /* ECAM: out of order on purpose */
	};
	const struct boot_mmap_entry want[] = {
		E(0x0, 0xa0000, U),          E(0x100000, 0x700000, U),
		E(0x800000, 0x8000, AN),     E(0x808000, 0x3000, U),
		E(0x80b000, 0x1000, AN),     E(0x80c000, 0x5000, U),
		E(0x811000, 0xef000, AN),    E(0x900000, 0x3e000000, U),
		E(0x3e900000, 0x200000, BL), E(0x3eb00000, 0x100000, K),
		E(0x3ec00000, 0x1000000, U), E(0x3fc00000, 0x100000, RT),
		E(0x3fd00000, 0x7b000, AR),  E(0x3fd7b000, 0x5000, U),
		E(0x3fd80000, 0x80000, AN),  E(0x3fe00000, 0x200000, U),
		E(0xb0000000, 0x10000000, R), E(0xffc00000, 0x400000, R),
	};
	int n = memmap_sanitize(m, 20, N(m));
	expect_map(m, n, want, N(want));
}

/* An E820 map from SeaBIOS as GRUB passes it on: unaligned low entries. */
static void test_seabios_map(void **state)
{
	(void)state;
	struct boot_mmap_entry m[16] = {
		E(0x100000000, 0x80000000, U),
		E(0x0, 0x9fc00, U),
		E(0x9fc00, 0x400, R),
		E(0xf0000, 0x10000, R),
		E(0x100000, 0x7fee0000, U),
		E(0x7ffe0000, 0x20000, R),
		E(0xfeffc000, 0x4000, R),
		E(0xfffc0000, 0x40000, R),
	};
	const struct boot_mmap_entry want[] = {
		E(0x0, 0x9f000, U),          E(0x9f000, 0x1000, R),
		E(0xf0000, 0x10000, R),      E(0x100000, 0x7fee0000, U),
		E(0x7ffe0000, 0x20000, R),   E(0xfeffc000, 0x4000, R),
		E(0xfffc0000, 0x40000, R),   E(0x100000000, 0x80000000, U),
	};
	int n = memmap_sanitize(m, 8, N(m));
	expect_map(m, n, want, N(want));
	assert_int_equal(memmap_total(m, (size_t)n, U), 0x9f000 + 0x7fee0000 + 0x80000000ull);
}

static void test_unaligned_clip(void **state)
{
	(void)state;
	struct boot_mmap_entry m[8] = {
		E(0x10234, 0x4444, U),   /* -> [0x11000, 0x14000) */
		E(0x20010, 0xff0, U),    /* smaller than a page once clipped: dropped */
		E(0x30800, 0x10, R),     /* grows to [0x30000, 0x31000) */
		E(0x40000, 0, R),        /* empty: dropped */
		E(0x50fff, 0x2, AN),     /* straddles a page edge: [0x50000, 0x52000) */
	};
	const struct boot_mmap_entry want[] = {
		E(0x11000, 0x3000, U), E(0x30000, 0x1000, R), E(0x50000, 0x2000, AN),
	};
	int n = memmap_sanitize(m, 5, N(m));
	expect_map(m, n, want, N(want));
}

/* A reserved hole inside usable RAM splits it; partial overlaps cut it. */
static void test_overlap_usable_loses(void **state)
{
	(void)state;
	struct boot_mmap_entry m[8] = {
		E(0x0, 0x100000, U),
		E(0x40000, 0x2000, R),
		E(0xff800, 0x10000, AR),  /* hangs off the end, unaligned */
	};
	const struct boot_mmap_entry want[] = {
		E(0x0, 0x40000, U), E(0x40000, 0x2000, R), E(0x42000, 0xbd000, U),
		E(0xff000, 0x11000, AR),
	};
	int n = memmap_sanitize(m, 3, N(m));
	expect_map(m, n, want, N(want));
}

/* Usable listed after the reserved range that covers it, with the same base. */
static void test_overlap_same_base(void **state)
{
	(void)state;
	struct boot_mmap_entry m[8] = {
		E(0x200000, 0x1000, R),
		E(0x200000, 0x10000, U),
		E(0x200000, 0x3000, U),
	};
	const struct boot_mmap_entry want[] = { E(0x200000, 0x1000, R), E(0x201000, 0xf000, U) };
	int n = memmap_sanitize(m, 3, N(m));
	expect_map(m, n, want, N(want));
}

static int rank_of(uint32_t t)
{
	static const int rank[] = { [U] = 0, [AR] = 1, [BL] = 2, [K] = 3, [RT] = 4,
				    [AN] = 5, [R] = 6, [BAD] = 7 };
	return rank[t];
}

/* Every pair of types overlapping, in both orders: the documented severity wins. */
static void test_severity_order(void **state)
{
	(void)state;
	for (uint32_t a = U; a <= K; a++)
		for (uint32_t b = U; b <= K; b++) {
			if (a == b)
				continue;
			struct boot_mmap_entry m[4] = { E(0x1000, 0x3000, a), E(0x2000, 0x1000, b) };
			uint32_t win = rank_of(a) >= rank_of(b) ? a : b;
			int n = memmap_sanitize(m, 2, N(m));
			if (win == a) {
				const struct boot_mmap_entry want[] = { E(0x1000, 0x3000, a) };
				expect_map(m, n, want, 1);
			} else {
				const struct boot_mmap_entry want[] = {
					E(0x1000, 0x1000, a), E(0x2000, 0x1000, b), E(0x3000, 0x1000, a),
				};
				expect_map(m, n, want, 3);
			}
		}
}

static void test_merge_neighbours(void **state)
{
	(void)state;
	struct boot_mmap_entry m[8] = {
		E(0x3000, 0x1000, U), E(0x1000, 0x2000, U), E(0x2000, 0x3000, U), /* overlap + touch */
		E(0x6000, 0x1000, R), E(0x7000, 0x1000, R),
		E(0x9000, 0x1000, R), /* a hole before it: not merged */
	};
	const struct boot_mmap_entry want[] = {
		E(0x1000, 0x4000, U), E(0x6000, 0x2000, R), E(0x9000, 0x1000, R),
	};
	int n = memmap_sanitize(m, 6, N(m));
	expect_map(m, n, want, N(want));
}

static void test_unknown_type_and_wrap(void **state)
{
	(void)state;
	struct boot_mmap_entry m[4] = {
		E(0x1000, 0x1000, 99),                   /* unknown -> reserved */
		E(0xfffffffffffff800ull, 0x1000, U),     /* wraps: clipped to nothing */
		E(0xffffffff00000000ull, 0x200000000ull, R), /* wraps: clamped */
	};
	int n = memmap_sanitize(m, 3, N(m));
	assert_int_equal(n, 2);
	assert_int_equal(m[0].type, R);
	assert_int_equal(m[1].base, 0xffffffff00000000ull);
	assert_int_equal(m[1].base + m[1].length, 0xfffffffffffff000ull);
	assert_string_equal(memmap_type_name(99), "unknown");
}

static void test_cap_overflow(void **state)
{
	(void)state;
	struct boot_mmap_entry m[3] = { E(0x0, 0x10000, U), E(0x4000, 0x1000, R) };
	assert_int_equal(memmap_sanitize(m, 2, 2), -1);
	struct boot_mmap_entry m2[3] = { E(0x0, 0x10000, U), E(0x4000, 0x1000, R) };
	assert_int_equal(memmap_sanitize(m2, 2, 3), 3);
	assert_int_equal(memmap_sanitize(m2, 3, 2), -1); /* count > cap */
	assert_int_equal(memmap_sanitize(NULL, 0, 4), -1);
	assert_int_equal(memmap_sanitize(m2, 0, 4), 0);
}

static void test_reserve_split(void **state)
{
	(void)state;
	struct boot_mmap_entry m[8] = { E(0x100000, 0x1000000, U) };
	int n = memmap_reserve(m, 1, N(m), 0x200010, 0x3000, K); /* unaligned: grows */
	const struct boot_mmap_entry want[] = {
		E(0x100000, 0x100000, U), E(0x200000, 0x4000, K), E(0x204000, 0xefc000, U),
	};
	expect_map(m, n, want, N(want));
	n = memmap_reserve(m, (size_t)n, N(m), 0x100000, 0x1000, BL); /* at the edge */
	const struct boot_mmap_entry want2[] = {
		E(0x100000, 0x1000, BL), E(0x101000, 0xff000, U), E(0x200000, 0x4000, K),
		E(0x204000, 0xefc000, U),
	};
	expect_map(m, n, want2, N(want2));
}

static void test_reserve_across_hole_and_types(void **state)
{
	(void)state;
	struct boot_mmap_entry m[8] = {
		E(0x0, 0x10000, U), E(0x10000, 0x1000, R), E(0x20000, 0x10000, U),
	};
	/* Covers usable, the reserved page (kept: it outranks bootloader) and the hole. */
	int n = memmap_reserve(m, 3, N(m), 0x8000, 0x20000, BL);
	const struct boot_mmap_entry want[] = {
		E(0x0, 0x8000, U), E(0x8000, 0x8000, BL), E(0x10000, 0x1000, R),
		E(0x11000, 0x17000, BL), E(0x28000, 0x8000, U),
	};
	expect_map(m, n, want, N(want));
}

static void test_reserve_rejects(void **state)
{
	(void)state;
	struct boot_mmap_entry m[2] = { E(0x0, 0x10000, U) };
	assert_int_equal(memmap_reserve(m, 1, 2, 0x1000, 0x1000, U), -1);
	assert_int_equal(memmap_reserve(m, 1, 2, 0x1000, 0x1000, 0), -1);
	assert_int_equal(memmap_reserve(m, 1, 2, 0x1000, 0, K), 1);
	assert_int_equal(memmap_reserve(m, 1, 1, 0x1000, 0x1000, K), -1); /* no free slot */
	assert_int_equal(memmap_reserve(m, 1, 2, 0x1000, 0x1000, K), -1); /* split needs 3 */
	struct boot_mmap_entry m2[3] = { E(0x0, 0x10000, U) };
	assert_int_equal(memmap_reserve(m2, 1, 3, 0x1000, 0x1000, K), 3);
}

static void test_totals_and_names(void **state)
{
	(void)state;
	const struct boot_mmap_entry m[] = {
		E(0x0, 0x9f000, U), E(0x9f000, 0x1000, R), E(0x100000, 0x100000, U),
		E(0x200000, 0x5000, AR),
	};
	assert_int_equal(memmap_total(m, N(m), U), 0x19f000);
	assert_int_equal(memmap_total(m, N(m), R), 0x1000);
	assert_int_equal(memmap_total(m, N(m), AN), 0);
	assert_int_equal(memmap_total(NULL, 3, U), 0);
	assert_string_equal(memmap_type_name(U), "usable");
	assert_string_equal(memmap_type_name(AN), "acpi-nvs");
	assert_string_equal(memmap_type_name(K), "kernel");
	for (uint32_t t = 0; t < 12; t++)
		assert_non_null(memmap_type_name(t));
}

/* The type a sanitized map must give page `p`, worked out from the raw entries. */
static uint32_t model_type(const struct boot_mmap_entry *raw, size_t n, uint64_t p)
{
	uint32_t best = 0;
	int best_rank = -1;

	for (size_t i = 0; i < n; i++) {
		uint64_t b = raw[i].base, e = raw[i].base + raw[i].length;
		uint32_t t = raw[i].type;
		int covers = t == U ? (b <= p && e >= p + 0x1000) : (b < p + 0x1000 && e > p);
		if (raw[i].length && covers && rank_of(t) > best_rank) {
			best = t;
			best_rank = rank_of(t);
		}
	}
	return best;
}

static uint32_t map_type(const struct boot_mmap_entry *m, int n, uint64_t p)
{
	for (int i = 0; i < n; i++)
		if (m[i].base <= p && p < m[i].base + m[i].length)
			return m[i].type;
	return 0;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Random unaligned, overlapping maps: the result is sorted, disjoint, aligned, merged and exact. */
static void test_random_maps(void **state)
{
	(void)state;
	uint32_t seed = 12345;

	for (int iter = 0; iter < 2000; iter++) {
		struct boot_mmap_entry raw[12], m[64];
		size_t cnt = 1 + lcg(&seed) % 12;
		for (size_t i = 0; i < cnt; i++) {
			raw[i].base = lcg(&seed) % 0x40000;
			raw[i].length = lcg(&seed) % 0x10000;
			raw[i].type = 1 + lcg(&seed) % 8;
			raw[i].reserved = 0;
		}
		memcpy(m, raw, sizeof(raw));
		int n = memmap_sanitize(m, cnt, N(m));
		assert_true(n >= 0);
		for (int i = 0; i < n; i++) {
			assert_true(m[i].length > 0);
			assert_int_equal((m[i].base | m[i].length) & 0xfff, 0);
			if (i > 0) {
				uint64_t prev_end = m[i - 1].base + m[i - 1].length;
				assert_true(prev_end <= m[i].base);
				assert_false(prev_end == m[i].base && m[i - 1].type == m[i].type);
			}
		}
		for (uint64_t p = 0; p < 0x52000; p += 0x1000)
			assert_int_equal(map_type(m, n, p), model_type(raw, cnt, p));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ovmf_map),
		cmocka_unit_test(test_seabios_map),
		cmocka_unit_test(test_unaligned_clip),
		cmocka_unit_test(test_overlap_usable_loses),
		cmocka_unit_test(test_overlap_same_base),
		cmocka_unit_test(test_severity_order),
		cmocka_unit_test(test_merge_neighbours),
		cmocka_unit_test(test_unknown_type_and_wrap),
		cmocka_unit_test(test_cap_overflow),
		cmocka_unit_test(test_reserve_split),
		cmocka_unit_test(test_reserve_across_hole_and_types),
		cmocka_unit_test(test_reserve_rejects),
		cmocka_unit_test(test_totals_and_names),
		cmocka_unit_test(test_random_maps),
	};
	return cmocka_run_group_tests_name("mm_memmap", tests, NULL, NULL);
}
