/* Host unit tests of the guest page walk: every paging mode and page size, with the tables built in a buffer. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/emul/gwalk.h"

/*
 * Guest RAM is [0, RAM_SIZE) of this buffer. Entries are written with the
 * SDM's bit positions as literals (Vol 3A 4.3 tables 4-4/4-6, 4.4.2 tables
 * 4-8 to 4-11, 4.5.4 tables 4-15 to 4-20): P = bit 0, PS = bit 7.
 */
#define RAM_SIZE 0x400000ull
static uint8_t ram[RAM_SIZE];
static unsigned long map_calls;

static const void *ram_map(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	map_calls++;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	return ram + gpa;
}

static const struct gwalk_ram gram = { ram_map, NULL };

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, 4);
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

static struct vcpu_regs regs(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
	struct vcpu_regs r = { 0 };

	r.cr0 = cr0, r.cr3 = cr3, r.cr4 = cr4, r.efer = efer;
	return r;
}

#define PE_PG 0x80000001ull
#define CR4_PSE 0x10ull
#define CR4_PAE 0x20ull
#define CR4_LA57 0x1000ull
#define EFER_LME_LMA 0x500ull

static uint64_t translate_ok(const struct vcpu_regs *r, uint64_t la)
{
	struct gwalk_fault f;
	uint64_t gpa = 0;

	assert_int_equal(gwalk_translate(&gram, r, la, &gpa, &f), 0);
	return gpa;
}

static void setup(void)
{
	memset(ram, 0, sizeof(ram));
	map_calls = 0;
}

static void test_paging_off(void **state)
{
	struct vcpu_regs r = regs(0x1, 0, 0, 0);

	(void)state;
	setup();
	assert_int_equal(translate_ok(&r, 0x12345), 0x12345);
	assert_int_equal(translate_ok(&r, 0x1fee00000ull), 0xfee00000); /* linear addresses are 32 bits */
	assert_int_equal(map_calls, 0);
}

static void test_32bit_paging(void **state)
{
	struct vcpu_regs r = regs(PE_PG, 0x10000, 0, 0);

	(void)state;
	setup();
	/* la 0x00403123: PDE index 1, PTE index 3, offset 0x123 */
	put32(0x10000 + 1 * 4, 0x11000 | 0x3);
	put32(0x11000 + 3 * 4, 0x200000 | 0x3);
	assert_int_equal(translate_ok(&r, 0x00403123), 0x200123);
	/* la 0x00812345: PDE index 2 with PS: a 4 MiB page only when CR4.PSE is set */
	put32(0x10000 + 2 * 4, 0x00c00000 | 0x80 | 0x1);
	r.cr4 = CR4_PSE;
	assert_int_equal(translate_ok(&r, 0x00812345), 0xc12345);
	/* PSE-36: PDE bits 20:13 are physical address bits 39:32 */
	put32(0x10000 + 2 * 4, 0x00c00000 | (0x5u << 13) | 0x80 | 0x1);
	assert_int_equal(translate_ok(&r, 0x00812345), 0x500c12345ull);
}

static void test_pae_paging(void **state)
{
	/* CR3 bits 31:5 locate the 4 PDPTEs: a 32-byte-aligned base that is not page-aligned */
	struct vcpu_regs r = regs(PE_PG, 0x20020, CR4_PAE, 0);

	(void)state;
	setup();
	/* la 0x40201234: PDPTE 1, PDE 1, PTE 1, offset 0x234 */
	put64(0x20020 + 1 * 8, 0x21000 | 0x1);
	put64(0x21000 + 1 * 8, 0x22000 | 0x3);
	put64(0x22000 + 1 * 8, 0x300000 | 0x3);
	assert_int_equal(translate_ok(&r, 0x40201234), 0x300234);
	/* la 0x40401234: PDE 2 with PS, a 2 MiB page at 0x200000 */
	put64(0x21000 + 2 * 8, 0x200000 | 0x80 | 0x3);
	assert_int_equal(translate_ok(&r, 0x40401234), 0x201234);
	/* the execute-disable bit 63 is not an address bit */
	put64(0x21000 + 2 * 8, 0x8000000000200083ull);
	assert_int_equal(translate_ok(&r, 0x40401234), 0x201234);
}

static void test_4level_paging(void **state)
{
	struct vcpu_regs r = regs(PE_PG, 0x30000, CR4_PAE, EFER_LME_LMA);

	(void)state;
	setup();
	/* la 0xffff800000201234: PML4 256, PDPT 0, PD 1, PT 1 */
	put64(0x30000 + 256 * 8, 0x31000 | 0x3);
	put64(0x31000 + 0 * 8, 0x32000 | 0x3);
	put64(0x32000 + 1 * 8, 0x33000 | 0x3);
	put64(0x33000 + 1 * 8, 0x1ff000 | 0x3);
	assert_int_equal(translate_ok(&r, 0xffff800000201234ull), 0x1ff234);
	/* la 0xffff800040005678: PDPT 1 with PS, a 1 GiB page at 1 GiB */
	put64(0x31000 + 1 * 8, 0x40000000 | 0x80 | 0x3);
	assert_int_equal(translate_ok(&r, 0xffff800040005678ull), 0x40005678);
	/* la 0xffff800000400abc: PD 2 with PS, a 2 MiB page at 0x600000 */
	put64(0x32000 + 2 * 8, 0x600000 | 0x80 | 0x3);
	assert_int_equal(translate_ok(&r, 0xffff800000400abcull), 0x600abc);
	/* CR3 bits 11:0 (PCD, PWT, PCID) are not part of the table address */
	r.cr3 = 0x30000 | 0x18;
	assert_int_equal(translate_ok(&r, 0xffff800000201234ull), 0x1ff234);
}

static void test_faults(void **state)
{
	struct vcpu_regs r = regs(PE_PG, 0x30000, CR4_PAE, EFER_LME_LMA);
	struct gwalk_fault f;
	uint64_t gpa;

	(void)state;
	setup();
	/* nothing present: the PML4 entry at 0x30000 + 8 * 1 */
	assert_int_equal(gwalk_translate(&gram, &r, 0x8000000000ull, &gpa, &f), -1);
	assert_int_equal(f.err, GWALK_NOT_PRESENT);
	assert_int_equal(f.level, 4);
	assert_int_equal(f.entry_gpa, 0x30008);
	/* a PDPT outside RAM */
	put64(0x30000, 0x10000000 | 0x3);
	assert_int_equal(gwalk_translate(&gram, &r, 0x1000, &gpa, &f), -1);
	assert_int_equal(f.err, GWALK_OUTSIDE_RAM);
	assert_int_equal(f.level, 3);
	assert_int_equal(f.entry_gpa, 0x10000000);
	/* a CR3 outside RAM */
	r.cr3 = 0xfee00000;
	assert_int_equal(gwalk_translate(&gram, &r, 0x1000, &gpa, &f), -1);
	assert_int_equal(f.err, GWALK_OUTSIDE_RAM);
	/* non-canonical, 5-level */
	r = regs(PE_PG, 0x30000, CR4_PAE, EFER_LME_LMA);
	assert_int_equal(gwalk_translate(&gram, &r, 0x0000800000000000ull, &gpa, &f), -1);
	assert_int_equal(f.err, GWALK_NON_CANONICAL);
	r.cr4 |= CR4_LA57;
	assert_int_equal(gwalk_translate(&gram, &r, 0x1000, &gpa, &f), -1);
	assert_int_equal(f.err, GWALK_UNSUPPORTED);
	/* 32-bit paging: a PTE with P = 0 */
	r = regs(PE_PG, 0x10000, 0, 0);
	put32(0x10000, 0x11000 | 0x1);
	put32(0x11000 + 5 * 4, 0x200000 | 0x2); /* R/W but not present */
	assert_int_equal(gwalk_translate(&gram, &r, 0x5000, &gpa, &f), -1);
	assert_int_equal(f.err, GWALK_NOT_PRESENT);
	assert_int_equal(f.level, 1);
	assert_int_equal(f.entry, 0x200002);
}

/* An instruction crossing a page boundary comes from two unrelated physical pages; a missing second page ends the copy. */
static void test_fetch_across_pages(void **state)
{
	struct vcpu_regs r = regs(PE_PG, 0x10000, 0, 0);
	uint8_t buf[15];
	struct gwalk_fault f;

	(void)state;
	setup();
	put32(0x10000, 0x11000 | 0x1);
	put32(0x11000 + 1 * 4, 0x100000 | 0x1); /* la 0x1000 -> 0x100000 */
	put32(0x11000 + 2 * 4, 0x050000 | 0x1); /* la 0x2000 -> 0x050000 */
	for (int i = 0; i < 8; i++) {
		ram[0x100ff8 + i] = (uint8_t)(0xa0 + i);
		ram[0x050000 + i] = (uint8_t)(0xb0 + i);
	}
	assert_int_equal(gwalk_fetch(&gram, &r, 0x1ff8, 0xffffffff, buf, 15, &f), 15);
	assert_int_equal(buf[0], 0xa0);
	assert_int_equal(buf[7], 0xa7);
	assert_int_equal(buf[8], 0xb0);
	assert_int_equal(buf[14], 0xb6);
	put32(0x11000 + 2 * 4, 0);
	assert_int_equal(gwalk_fetch(&gram, &r, 0x1ff8, 0xffffffff, buf, 15, &f), 8);
	assert_int_equal(f.err, GWALK_NOT_PRESENT);
	assert_int_equal(gwalk_fetch(&gram, &r, 0x2000, 0xffffffff, buf, 15, &f), 0);
	/* paging off: code at the last bytes of RAM, the rest is outside it */
	r = regs(0x1, 0, 0, 0);
	assert_int_equal(gwalk_fetch(&gram, &r, RAM_SIZE - 3, 0xffffffff, buf, 15, &f), 3);
	assert_int_equal(f.err, GWALK_OUTSIDE_RAM);
	/* the address wraps at 4 GiB outside 64-bit mode */
	ram[0] = 0x90;
	assert_int_equal(gwalk_fetch(&gram, &r, 0x100000000ull, 0xffffffff, buf, 1, &f), 1);
	assert_int_equal(buf[0], 0x90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paging_off),
		cmocka_unit_test(test_32bit_paging),
		cmocka_unit_test(test_pae_paging),
		cmocka_unit_test(test_4level_paging),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_fetch_across_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
