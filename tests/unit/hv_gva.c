/* Unit tests of the guest page walk: no paging, 32-bit (4 KiB, 4 MiB), PAE and 4-level (4 KiB, 2 MiB, 1 GiB), not present. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/gva.h"

#define RAM (4u << 20)
static uint8_t ram[RAM];

static bool rd(void *ctx, uint64_t gpa, unsigned bytes, uint64_t *v)
{
	(void)ctx;
	*v = 0;
	if (gpa + bytes > RAM)
		return false;
	memcpy(v, ram + gpa, bytes);
	return true;
}

static void w32(uint64_t at, uint32_t v) { memcpy(ram + at, &v, 4); }
static void w64(uint64_t at, uint64_t v) { memcpy(ram + at, &v, 8); }

/* CR0.PG bit 31, CR4.PSE 4, PAE 5, EFER.LMA 10 (SDM Vol 3A 2.5, 4.1). */
#define PG (1ull << 31)
#define PSE (1ull << 4)
#define PAE (1ull << 5)
#define LMA (1ull << 10)

static uint64_t xlate(struct gva_mode m, uint64_t la)
{
	uint64_t gpa = 0xdead;
	if (gva_translate(&m, la, rd, NULL, &gpa))
		return ~0ull;
	return gpa;
}

static void test_no_paging(void **state)
{
	(void)state;
	assert_int_equal(xlate((struct gva_mode){ 0x11, 0, 0, 0 }, 0x1234567890ull), 0x34567890ull);
}

/* SDM Vol 3A 4.3: PDE index bits 31:22, PTE index 21:12; P bit 0, PS bit 7. */
static void test_32bit(void **state)
{
	struct gva_mode m = { PG | 1, 0x1000, PSE, 0 };
	(void)state;
	memset(ram, 0, sizeof(ram));
	w32(0x1000 + (0x00400000u >> 22) * 4, 0x2000 | 1);       /* PDE 1 -> page table at 0x2000 */
	w32(0x2000 + ((0x00403000u >> 12) & 0x3ff) * 4, 0x7000 | 1); /* PTE 3 -> frame 0x7000 */
	w32(0x1000 + (0x00800000u >> 22) * 4, 0x00c00000u | 0x81); /* PDE 2: 4 MiB page at 12 MiB */
	assert_int_equal(xlate(m, 0x00403abc), 0x7abc);
	assert_int_equal(xlate(m, 0x00812345), 0x00c12345);
	assert_int_equal(xlate(m, 0x00c00000), ~0ull); /* PDE 3 not present */
	m.cr4 = 0; /* without PSE the PS bit is ignored: 0x00c00000 read as a page table */
	assert_int_equal(xlate(m, 0x00812345), ~0ull);
}

/* SDM Vol 3A 4.4: PDPTE bits 31:30, PDE 29:21, PTE 20:12. */
static void test_pae(void **state)
{
	struct gva_mode m = { PG | 1, 0x1020, PAE, 0 };
	(void)state;
	memset(ram, 0, sizeof(ram));
	w64(0x1020 + 1 * 8, 0x3000 | 1);               /* PDPTE 1 */
	w64(0x3000 + 2 * 8, 0x4000 | 1);               /* PDE 2 -> PT */
	w64(0x4000 + 5 * 8, 0x9000 | 1);               /* PTE 5 */
	w64(0x3000 + 3 * 8, 0x00200000 | 0x81);        /* PDE 3: 2 MiB page */
	assert_int_equal(xlate(m, 0x40000000u + 2 * 0x200000 + 5 * 0x1000 + 0x10), 0x9010);
	assert_int_equal(xlate(m, 0x40000000u + 3 * 0x200000 + 0x1234), 0x201234);
	assert_int_equal(xlate(m, 0x80000000u), ~0ull);
}

/* SDM Vol 3A 4.5: PML4 bits 47:39, PDPT 38:30; 1 GiB pages with PS in the PDPTE. */
static void test_4level(void **state)
{
	struct gva_mode m = { PG | 1, 0x1000, PAE, LMA | (1ull << 8) };
	uint64_t la = 0xffff800000000000ull + 0x1000;
	(void)state;
	memset(ram, 0, sizeof(ram));
	w64(0x1000 + 256 * 8, 0x2000 | 3);             /* PML4E 256 */
	w64(0x2000 + 0 * 8, 0x3000 | 3);               /* PDPTE 0 */
	w64(0x3000 + 0 * 8, 0x5000 | 3);               /* PDE 0 */
	w64(0x5000 + 1 * 8, 0x8000000000006000ull | 3); /* PTE 1, NX set: still readable */
	w64(0x2000 + 1 * 8, 0x40000000ull | 0x83);     /* PDPTE 1: 1 GiB page at 1 GiB */
	assert_int_equal(xlate(m, la + 0x42), 0x6042);
	assert_int_equal(xlate(m, 0xffff800000000000ull + 0x40000000ull + 0x123456), 0x40123456ull);
	assert_int_equal(xlate(m, 0x1000), ~0ull); /* PML4E 0 not present */
	w64(0x1000 + 256 * 8, 0x10000000ull | 3);      /* a table outside RAM */
	assert_int_equal(xlate(m, la), ~0ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_paging),
		cmocka_unit_test(test_32bit),
		cmocka_unit_test(test_pae),
		cmocka_unit_test(test_4level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
