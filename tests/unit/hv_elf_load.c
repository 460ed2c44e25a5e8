/* Unit tests of the guest ELF loader on images the tests build. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/load/elf.h"

#define RAM (4u << 20)
static uint8_t ram[RAM];
static unsigned writes;

static void copy(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	(void)ctx;
	assert_true(gpa + n <= RAM);
	memcpy(ram + gpa, src, n);
	writes++;
}

static void zero(void *ctx, uint64_t gpa, size_t n)
{
	(void)ctx;
	assert_true(gpa + n <= RAM);
	memset(ram + gpa, 0, n);
	writes++;
}

static const struct guest_writer writer = { copy, zero, NULL };

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* An ELF32 i386 executable: header, one PT_LOAD (RX) at paddr with `filesz` bytes of 0xAB. */
static size_t make_elf32(uint8_t *img, uint32_t paddr, uint32_t filesz, uint32_t memsz, uint32_t entry, uint32_t flags)
{
	memset(img, 0, 4096);
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 1, img[5] = 1, img[6] = 1;
	put(img + 16, 2, 2);  /* ET_EXEC */
	put(img + 18, 3, 2);  /* EM_386 */
	put(img + 24, entry, 4);
	put(img + 28, 52, 4); /* phoff */
	put(img + 42, 32, 2); /* phentsize */
	put(img + 44, 1, 2);  /* phnum */
	uint8_t *ph = img + 52;
	put(ph, 1, 4);        /* PT_LOAD */
	put(ph + 4, 256, 4);  /* offset */
	put(ph + 8, paddr, 4);
	put(ph + 12, paddr, 4);
	put(ph + 16, filesz, 4);
	put(ph + 20, memsz, 4);
	put(ph + 24, flags, 4);
	memset(img + 256, 0xab, filesz);
	return 256 + filesz;
}

static int load(const uint8_t *img, size_t len, uint64_t *entry, char *err)
{
	return elf_load_guest(img, len, RAM, &writer, entry, err, 128);
}

static void test_loads_segment_and_zeroes_bss(void **state)
{
	static uint8_t img[8192];
	uint64_t entry = 0;
	char err[128] = "";
	(void)state;
	memset(ram, 0x55, sizeof(ram));
	size_t len = make_elf32(img, 0x100000, 100, 300, 0x100010, 5);
	assert_int_equal(load(img, len, &entry, err), 0);
	assert_int_equal(entry, 0x100010);
	assert_int_equal(ram[0x100000], 0xab);
	assert_int_equal(ram[0x100063], 0xab);
	assert_int_equal(ram[0x100064], 0);
	assert_int_equal(ram[0x10012b], 0);
	assert_int_equal(ram[0x10012c], 0x55); /* past memsz: untouched */
}

static void expect_refused(const uint8_t *img, size_t len, const char *needle)
{
	uint64_t entry = 0;
	char err[128] = "";
	writes = 0;
	assert_int_equal(load(img, len, &entry, err), -1);
	assert_non_null(strstr(err, needle));
	assert_int_equal(writes, 0); /* nothing written when validation fails */
}

static void test_refusals(void **state)
{
	static uint8_t img[8192];
	size_t len;
	(void)state;
	expect_refused((const uint8_t *)"hello", 5, "not an ELF");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 5);
	img[5] = 2; /* big endian */
	expect_refused(img, len, "little-endian");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 5);
	put(img + 18, 40, 2); /* ARM */
	expect_refused(img, len, "machine");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 5);
	put(img + 16, 3, 2); /* ET_DYN */
	expect_refused(img, len, "ET_EXEC");
	len = make_elf32(img, 0x100000, 0, 0, 0x100000, 5); /* p_memsz 0: occupies no memory (gABI ch. 5) */
	expect_refused(img, len, "nothing to load");
	len = make_elf32(img, 0x100000, 100, 100, 0x200000, 5);
	expect_refused(img, len, "entry point");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 6); /* not executable */
	expect_refused(img, len, "entry point");
	len = make_elf32(img, RAM - 16, 100, 100, RAM - 16, 5);
	expect_refused(img, len, "does not fit");
	len = make_elf32(img, 0xfffffff0u, 100, 100, 0xfffffff0u, 5);
	expect_refused(img, len, "does not fit");
	len = make_elf32(img, 0x100000, 200, 100, 0x100000, 5);
	expect_refused(img, len, "more file bytes");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 5);
	expect_refused(img, len - 1, "outside the file");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 5);
	put(img + 44, 65, 2); /* phnum too large */
	expect_refused(img, len, "program header");
	len = make_elf32(img, 0x100000, 100, 100, 0x100000, 5);
	put(img + 28, 0xfffffff0u, 4); /* phoff past the end */
	expect_refused(img, len, "outside the file");
}

/*
 * Random corruption never loads outside RAM and never crashes. Each image goes
 * to the loader in a heap block of exactly its length, so a read past the end
 * is an AddressSanitizer report, not a quiet read of the rest of a static buffer.
 */
static void test_fuzz(void **state)
{
	static uint8_t img[8192], base[8192];
	uint32_t seed = 12345;
	(void)state;
	size_t len = make_elf32(base, 0x100000, 100, 200, 0x100000, 5);
	for (int round = 0; round < 20000; round++) {
		uint64_t entry;
		char err[128];
		memcpy(img, base, sizeof(img));
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			img[(seed >> 8) % 340] = (uint8_t)(seed >> 20);
		}
		uint8_t *exact = malloc(len);
		assert_non_null(exact);
		memcpy(exact, img, len);
		(void)elf_load_guest(exact, len, RAM, &writer, &entry, err, sizeof(err));
		free(exact);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_segment_and_zeroes_bss),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
