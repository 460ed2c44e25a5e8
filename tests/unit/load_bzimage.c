/* Unit tests of the Linux boot protocol loader on bzImages the tests build, and on corrupted ones. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/load/bzimage.h"
#include "load_guest_ram.h"

/* Offsets and values from Documentation/arch/x86/boot.rst and zero-page.rst, written out. */
#define KERNEL_BYTES 8192
static uint8_t img[16384];
static uint8_t initrd[10000];

/* A bzImage of protocol 2.15: `sects` setup sectors, then KERNEL_BYTES of kernel, relocatable, 16 MiB preferred. */
static size_t make_bzimage(unsigned sects)
{
	unsigned setup = ((sects ? sects : 4) + 1) * 512;
	memset(img, 0, sizeof(img));
	img[0x1F1] = (uint8_t)sects;
	put(img + 0x1F4, KERNEL_BYTES / 16, 4); /* syssize */
	put(img + 0x1FE, 0xAA55, 2);
	img[0x200] = 0xEB, img[0x201] = 0x6A;   /* jmp: the header ends at 0x26C */
	memcpy(img + 0x202, "HdrS", 4);
	put(img + 0x206, 0x020F, 2);
	img[0x211] = 0x01;                      /* LOADED_HIGH */
	put(img + 0x214, 0x100000, 4);          /* code32_start */
	put(img + 0x22C, 0x7FFFFFFF, 4);        /* initrd_addr_max */
	put(img + 0x230, 0x200000, 4);          /* kernel_alignment */
	img[0x234] = 1;                         /* relocatable_kernel */
	put(img + 0x236, 0x7F, 2);              /* xloadflags */
	put(img + 0x238, 2047, 4);              /* cmdline_size */
	put(img + 0x258, 0x1000000, 8);         /* pref_address */
	put(img + 0x260, 0x400000, 4);          /* init_size */
	for (unsigned i = 0; i < KERNEL_BYTES; i++)
		img[setup + i] = (uint8_t)(i * 7 + 1);
	return setup + KERNEL_BYTES;
}

static struct load_request request(void)
{
	memset(initrd, 0xC4, sizeof(initrd));
	return (struct load_request){ .ram_bytes = TEST_RAM, .cmdline = "console=ttyS0 quiet", .acpi_rsdp = 0xE0000,
				      .initrd = initrd, .initrd_len = sizeof(initrd) };
}

static int load(size_t len, const struct load_request *rq, struct boot_entry *e, char *err)
{
	return bzimage_load(img, len, rq, &writer, e, err, 160);
}

static void test_loads_and_fills_zero_page(void **state)
{
	struct load_request rq = request();
	struct boot_entry e;
	char err[160] = "";
	const uint8_t *zp = ram + 0x7000;
	size_t len = make_bzimage(1);
	(void)state;
	ram_reset();
	assert_int_equal(load(len, &rq, &e, err), 0);
	/* 32-bit boot protocol entry: the kernel's load address, ESI = zero page, EBX/EBP/EDI = 0. */
	assert_int_equal(e.rip, 0x1000000);
	assert_int_equal(e.rsi, 0x7000);
	assert_int_equal(e.rax, 0);
	assert_int_equal(e.rbx, 0);
	assert_int_equal(e.cs, 0x10);
	assert_int_equal(e.ds, 0x18);
	assert_int_equal(e.gdt_base, 0x1000);
	assert_int_equal(e.gdt_limit, 31);
	assert_int_equal(get(ram + 0x1010, 8), 0x00CF9B000000FFFFull);
	assert_int_equal(get(ram + 0x1018, 8), 0x00CF93000000FFFFull);
	/* The kernel proper, from file offset (1 + 1) * 512. */
	assert_memory_equal(ram + 0x1000000, img + 1024, KERNEL_BYTES);
	/* The setup header copied, then the loader's fields. */
	assert_int_equal(get(zp + 0x1FE, 2), 0xAA55);
	assert_memory_equal(zp + 0x202, "HdrS", 4);
	assert_int_equal(get(zp + 0x258, 8), 0x1000000);
	assert_int_equal(zp[0x1EF], 0);                      /* sentinel */
	assert_int_equal(zp[0x210], 0xFF);                   /* type_of_loader */
	assert_int_equal(zp[0x211], 0x81);                   /* LOADED_HIGH | CAN_USE_HEAP */
	assert_int_equal(get(zp + 0x224, 2), 0xFE00);        /* heap_end_ptr */
	assert_int_equal(get(zp + 0x214, 4), 0x1000000);     /* code32_start */
	assert_int_equal(get(zp + 0x228, 4), 0x20000);       /* cmd_line_ptr */
	assert_string_equal((const char *)ram + 0x20000, "console=ttyS0 quiet");
	assert_int_equal(get(zp + 0x218, 4), 0x1FFD000);     /* ramdisk_image: (32M - 10000) page aligned down */
	assert_int_equal(get(zp + 0x21C, 4), 10000);         /* ramdisk_size */
	assert_memory_equal(ram + 0x1FFD000, initrd, sizeof(initrd));
	assert_int_equal(get(zp + 0x070, 8), 0xE0000);       /* acpi_rsdp_addr */
	assert_int_equal(zp[0x1E8], 5);                      /* e820_entries (the last the device MMIO window) */
	assert_int_equal(get(zp + 0x2D0, 8), 0);
	assert_int_equal(get(zp + 0x2D8, 8), 0x9FC00);
	assert_int_equal(get(zp + 0x2E0, 4), 1);
	assert_int_equal(get(zp + 0x2E4 + 0x00, 8), 0x9FC00);
	assert_int_equal(get(zp + 0x2E4 + 0x10, 4), 2);
	assert_int_equal(get(zp + 0x2F8, 8), 0xE0000);
	assert_int_equal(get(zp + 0x30C, 8), 0x100000);
	assert_int_equal(get(zp + 0x314, 8), 0x1F00000);
	assert_int_equal(get(zp + 0x31C, 4), 1);
	assert_int_equal(get(zp + 0x26C, 4), 0);             /* nothing past the header copied */
}

static void test_setup_sects_zero_means_four(void **state)
{
	struct load_request rq = request();
	struct boot_entry e;
	char err[160] = "";
	size_t len = make_bzimage(0);
	(void)state;
	ram_reset();
	assert_int_equal(load(len, &rq, &e, err), 0);
	assert_memory_equal(ram + 0x1000000, img + 5 * 512, KERNEL_BYTES);
}

static void test_placement(void **state)
{
	struct load_request rq = request();
	struct bzimage_plan p;
	char err[160] = "";
	size_t len = make_bzimage(1);
	(void)state;
	put(img + 0x258, 0x1001000, 8); /* relocatable: aligned up to 2 MiB */
	assert_int_equal(bzimage_check(img, len, &rq, &p, err, sizeof(err)), 0);
	assert_int_equal(p.kernel_gpa, 0x1200000);
	img[0x234] = 0;                 /* not relocatable: exactly there */
	assert_int_equal(bzimage_check(img, len, &rq, &p, err, sizeof(err)), 0);
	assert_int_equal(p.kernel_gpa, 0x1001000);
	put(img + 0x22C, 0x17FFFFF, 4); /* initrd_addr_max: the last byte it may use is below 24 MiB */
	assert_int_equal(bzimage_check(img, len, &rq, &p, err, sizeof(err)), 0);
	assert_int_equal(p.initrd_gpa, 0x17FD000);
	rq.initrd = NULL, rq.initrd_len = 0;
	assert_int_equal(bzimage_check(img, len, &rq, &p, err, sizeof(err)), 0);
	assert_int_equal(p.initrd_gpa, 0);
}

/* Each corruption must be refused with a message naming it, and nothing written. */
static void expect_refused(size_t len, const struct load_request *rq, const char *needle)
{
	struct boot_entry e;
	char err[160] = "";
	writes = 0;
	assert_int_equal(load(len, rq, &e, err), -1);
	assert_int_equal(writes, 0);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_corrupted_images(void **state)
{
	struct load_request rq = request();
	size_t len;
	(void)state;
	len = make_bzimage(1);
	expect_refused(0x100, &rq, "not a Linux bzImage"); /* cut before the signatures */
	expect_refused(0x220, &rq, "truncated");            /* cut inside the setup header */
	expect_refused(len - 1, &rq, "truncated");
	expect_refused(1000, &rq, "truncated");
	make_bzimage(1), img[0x1FF] = 0x55;
	expect_refused(len, &rq, "not a Linux bzImage");
	make_bzimage(1), img[0x205] = 'X';
	expect_refused(len, &rq, "not a Linux bzImage");
	make_bzimage(1), put(img + 0x206, 0x020B, 2);
	expect_refused(len, &rq, "2.12");
	make_bzimage(1), img[0x211] = 0;
	expect_refused(len, &rq, "LOADED_HIGH");
	make_bzimage(1), img[0x1F1] = 200;
	expect_refused(len, &rq, "truncated");
	make_bzimage(1), put(img + 0x1F4, 0x10000000, 4);
	expect_refused(len, &rq, "truncated");
	make_bzimage(1), put(img + 0x1F4, 0, 4);
	expect_refused(len, &rq, "truncated");
	make_bzimage(1), img[0x201] = 0x10;
	expect_refused(len, &rq, "setup header length");
	make_bzimage(1), put(img + 0x260, 4096, 4);
	expect_refused(len, &rq, "init_size");
	make_bzimage(1), put(img + 0x230, 0x300000, 4);
	expect_refused(len, &rq, "kernel_alignment");
	make_bzimage(1), put(img + 0x258, 0x2000000, 8);
	expect_refused(len, &rq, "give it more mem=");
	make_bzimage(1), put(img + 0x258, 0xFFFFFFFFFFFFF000ull, 8);
	expect_refused(len, &rq, "pref_address");
	make_bzimage(1), put(img + 0x258, 0x1E00000, 8);   /* init_size runs past 32 MiB */
	expect_refused(len, &rq, "give it more mem=");
	make_bzimage(1), put(img + 0x258, 0x80000, 8), img[0x234] = 0; /* below 1 MiB */
	expect_refused(len, &rq, "RAM up to 0x100000");
}

static void test_bad_requests(void **state)
{
	struct load_request rq = request();
	static uint8_t big[28u << 20];
	static char cmdline[4096];
	size_t len = make_bzimage(1);
	(void)state;
	memset(cmdline, 'a', 2048);
	rq.cmdline = cmdline;                    /* 2048 > cmdline_size 2047 */
	expect_refused(len, &rq, "command line");
	memset(cmdline, 0, sizeof(cmdline));
	memset(cmdline, 'a', 2047);
	writes = 0;
	struct boot_entry e;
	char err[160];
	assert_int_equal(load(len, &rq, &e, err), 0); /* exactly cmdline_size is fine */
	rq = request();
	rq.initrd = big, rq.initrd_len = sizeof(big); /* 28 MiB: 16 MiB + 4 MiB of kernel leave 12 */
	expect_refused(len, &rq, "initramfs");
	rq.initrd_len = 11u << 20;                     /* fits in 12 */
	assert_int_equal(load(len, &rq, &e, err), 0);
	put(img + 0x22C, 0x13FFFFF, 4);                /* initrd_addr_max just above the kernel's end */
	expect_refused(len, &rq, "initramfs");
	rq.ram_bytes = 8u << 20;
	expect_refused(make_bzimage(1), &rq, "8 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_and_fills_zero_page),
		cmocka_unit_test(test_setup_sects_zero_means_four),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_corrupted_images),
		cmocka_unit_test(test_bad_requests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
