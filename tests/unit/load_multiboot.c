/* Unit tests of the Multiboot v1 loader: the information structure's layout and the header checks. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/load/multiboot.h"
#include "load_guest_ram.h"

/* Offsets and values from the Multiboot Specification 0.6.96, sections 3.1 to 3.3, written out. */
static uint8_t img[16384];
static uint8_t mod_a[5000], mod_b[100];

/* An a.out-kludge kernel: the header at file offset `hoff`, the file loaded at 1 MiB, 16 KiB of bss after it. */
static size_t make_kludge(uint32_t flags, size_t hoff)
{
	uint8_t *h = img + hoff;
	memset(img, 0, sizeof(img));
	for (unsigned i = 0; i < 0x2000; i++)
		img[i] = (uint8_t)(i * 13 + 5);
	put(h, 0x1BADB002, 4);
	put(h + 4, flags, 4);
	put(h + 8, -(0x1BADB002u + flags), 4);
	put(h + 12, 0x100000 + hoff, 4);    /* header_addr */
	put(h + 16, 0x100000, 4);           /* load_addr */
	put(h + 20, 0x102000, 4);           /* load_end_addr */
	put(h + 24, 0x106000, 4);           /* bss_end_addr */
	put(h + 28, 0x100040, 4);           /* entry_addr */
	return 0x2000;
}

/* An ELF32 i386 executable with a Multiboot header (no kludge) in its one RWX segment at 2 MiB. */
static size_t make_elf(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 1, img[5] = 1, img[6] = 1;
	put(img + 16, 2, 2);        /* ET_EXEC */
	put(img + 18, 3, 2);        /* EM_386 */
	put(img + 24, 0x200010, 4); /* entry */
	put(img + 28, 52, 4);       /* phoff */
	put(img + 42, 32, 2);
	put(img + 44, 1, 2);
	uint8_t *ph = img + 52;
	put(ph, 1, 4);              /* PT_LOAD */
	put(ph + 4, 0x1000, 4);     /* offset */
	put(ph + 8, 0x200000, 4);
	put(ph + 12, 0x200000, 4);  /* paddr */
	put(ph + 16, 0x800, 4);     /* filesz */
	put(ph + 20, 0x3000, 4);    /* memsz */
	put(ph + 24, 7, 4);
	put(img + 0x1000, 0x1BADB002, 4);
	put(img + 0x1004, 3, 4);
	put(img + 0x1008, -(0x1BADB002u + 3), 4);
	memset(img + 0x1010, 0xEE, 0x7F0);
	return 0x1800;
}

static struct load_module mods[2];

static struct load_request request(unsigned nmods)
{
	memset(mod_a, 0xA1, sizeof(mod_a));
	memset(mod_b, 0xB2, sizeof(mod_b));
	mods[0] = (struct load_module){ mod_a, sizeof(mod_a), "a.bin" };
	mods[1] = (struct load_module){ mod_b, sizeof(mod_b), "second.bin arg" };
	return (struct load_request){ .ram_bytes = TEST_RAM, .cmdline = "hello world", .modules = mods,
				      .module_count = nmods };
}

static const uint8_t *at(uint64_t gpa)
{
	assert_true(gpa < TEST_RAM);
	return ram + gpa;
}

static void test_kludge_kernel_and_info(void **state)
{
	struct load_request rq = request(2);
	struct boot_entry e;
	char err[160] = "";
	const uint8_t *mbi = ram + 0x7000, *m, *mm;
	size_t len = make_kludge(0x00010003, 0x40);
	(void)state;
	ram_reset();
	assert_int_equal(multiboot_load(img, len, &rq, &writer, &e, err, sizeof(err)), 0);
	/* 3.2: EAX = 0x2BADB002, EBX = the information structure; flat 32-bit segments. */
	assert_int_equal(e.rax, 0x2BADB002);
	assert_int_equal(e.rbx, 0x7000);
	assert_int_equal(e.rip, 0x100040);
	assert_int_equal(e.cs, 0x10);
	assert_int_equal(e.ds, 0x18);
	assert_memory_equal(ram + 0x100000, img, 0x2000);
	for (unsigned i = 0x102000; i < 0x106000; i++)
		assert_int_equal(ram[i], 0); /* bss */
	/* 3.3: flags = mem (0), cmdline (2), mods (3), mmap (6), boot_loader_name (9). */
	assert_int_equal(get(mbi + 0, 4), 0x24D);
	assert_int_equal(get(mbi + 4, 4), 639);                  /* mem_lower, KiB */
	assert_int_equal(get(mbi + 8, 4), 31744);                /* mem_upper, KiB from 1 MiB */
	assert_string_equal((const char *)at(get(mbi + 16, 4)), "hello world");
	assert_int_equal(get(mbi + 20, 4), 2);                   /* mods_count */
	m = at(get(mbi + 24, 4));
	assert_int_equal(get(m + 0, 4), 0x106000);               /* page aligned, after the bss */
	assert_int_equal(get(m + 4, 4), 0x106000 + 5000);
	assert_string_equal((const char *)at(get(m + 8, 4)), "a.bin");
	assert_int_equal(get(m + 16, 4), 0x108000);
	assert_int_equal(get(m + 20, 4), 0x108000 + 100);
	assert_string_equal((const char *)at(get(m + 24, 4)), "second.bin arg");
	assert_memory_equal(ram + 0x106000, mod_a, sizeof(mod_a));
	assert_memory_equal(ram + 0x108000, mod_b, sizeof(mod_b));
	assert_int_equal(get(mbi + 44, 4), 5 * 24);              /* mmap_length: four of RAM and BIOS, the device window */
	mm = at(get(mbi + 48, 4));
	assert_int_equal(get(mm + 0, 4), 20);                    /* size, not counting itself */
	assert_int_equal(get(mm + 4, 8), 0);
	assert_int_equal(get(mm + 12, 8), 0x9FC00);
	assert_int_equal(get(mm + 20, 4), 1);
	assert_int_equal(get(mm + 24 + 4, 8), 0x9FC00);
	assert_int_equal(get(mm + 24 + 20, 4), 2);
	assert_int_equal(get(mm + 72 + 4, 8), 0x100000);
	assert_int_equal(get(mm + 72 + 12, 8), 0x1F00000);
	assert_int_equal(get(mm + 72 + 20, 4), 1);
	assert_string_equal((const char *)at(get(mbi + 64, 4)), "Bulwark");
	assert_true(get(mbi + 24, 4) >= 0x7000 + 88 && get(mbi + 48, 4) >= 0x7000 + 88); /* not inside the structure */
}

static void test_elf_kernel(void **state)
{
	struct load_request rq = request(1);
	struct boot_entry e;
	char err[160] = "";
	size_t len = make_elf();
	(void)state;
	ram_reset();
	assert_int_equal(multiboot_load(img, len, &rq, &writer, &e, err, sizeof(err)), 0);
	assert_int_equal(e.rip, 0x200010);
	assert_memory_equal(ram + 0x200000, img + 0x1000, 0x800);
	assert_int_equal(ram[0x200800], 0);
	assert_int_equal(get(at(get(ram + 0x7000 + 24, 4)), 4), 0x203000); /* module after memsz */
}

static void test_header_search(void **state)
{
	(void)state;
	make_kludge(0x00010003, 8188 - 32);
	assert_int_equal(multiboot_find_header(img, sizeof(img)), 8188 - 32);
	make_kludge(0x00010003, 8192);     /* past the first 8 KiB */
	assert_int_equal(multiboot_find_header(img, sizeof(img)), -1);
	make_kludge(0x00010003, 0x42);     /* not 32-bit aligned */
	assert_int_equal(multiboot_find_header(img, sizeof(img)), -1);
	make_kludge(0x00010003, 0x40);
	put(img + 0x48, 0, 4);             /* bad checksum */
	assert_int_equal(multiboot_find_header(img, sizeof(img)), -1);
	assert_int_equal(multiboot_find_header(img, 0x48), -1); /* truncated header */
}

static void expect_refused(size_t len, const struct load_request *rq, const char *needle)
{
	struct boot_entry e;
	char err[160] = "";
	writes = 0;
	assert_int_equal(multiboot_load(img, len, rq, &writer, &e, err, sizeof(err)), -1);
	assert_int_equal(writes, 0);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_refusals(void **state)
{
	struct load_request rq = request(2);
	static uint8_t big[31u << 20];
	static struct load_module many[LOAD_MODULES_MAX + 1];
	size_t len = make_kludge(0x00010003, 0x40);
	(void)state;
	make_kludge(0x00010007, 0x40);
	expect_refused(len, &rq, "video");
	make_kludge(0x00010008 | 3, 0x40);
	expect_refused(len, &rq, "flags 0x0008");
	make_kludge(0x00000003, 0x40);     /* no kludge, not ELF */
	expect_refused(len, &rq, "not ELF");
	make_kludge(0x00010003, 0x40);
	expect_refused(len - 1, &rq, "truncated");
	expect_refused(0x50, &rq, "a.out kludge needs 32 bytes");
	make_kludge(0x00010003, 0x40), put(img + 0x40 + 16, 0x0F0000, 4), put(img + 0x40 + 12, 0x0F0040, 4);
	put(img + 0x40 + 20, 0x0F2000, 4), put(img + 0x40 + 24, 0x0F6000, 4), put(img + 0x40 + 28, 0x0F0040, 4);
	expect_refused(len, &rq, "1 MiB");
	make_kludge(0x00010003, 0x40), put(img + 0x40 + 16, 0x100080, 4);
	expect_refused(len, &rq, "before the header");
	make_kludge(0x00010003, 0x40), put(img + 0x40 + 28, 0x102000, 4);
	expect_refused(len, &rq, "entry_addr");
	make_kludge(0x00010003, 0x40), put(img + 0x40 + 24, 0x101000, 4);
	expect_refused(len, &rq, "bss_end_addr");
	make_kludge(0x00010003, 0x40), put(img + 0x40 + 24, 0x3000000, 4);
	expect_refused(len, &rq, "needs RAM");
	make_kludge(0x00010003, 0x40), put(img + 0x40 + 20, 0x100000, 4);
	expect_refused(len, &rq, "load_end_addr");
	make_kludge(0x00010003, 0x40);
	mods[1] = (struct load_module){ big, sizeof(big), "big" };
	expect_refused(len, &rq, "module 2 (big");
	rq = request(2);
	rq.modules = many, rq.module_count = LOAD_MODULES_MAX + 1;
	expect_refused(len, &rq, "at most");
	make_elf(), put(img + 28, 0x9000, 4);
	rq = request(0);
	expect_refused(0x1800, &rq, "program headers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kludge_kernel_and_info),
		cmocka_unit_test(test_elf_kernel),
		cmocka_unit_test(test_header_search),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
