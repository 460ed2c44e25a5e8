/* Host unit tests of the UEFI loader's pure logic: ELF checks, memory-map conversion, page tables, names. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/efi/elf_check.h"
#include "boot/efi/mmap_convert.h"
#include "boot/efi/pt_build.h"
#include "boot/efi/text.h"
#include "bulwark/layout.h"

/* ---- ELF ---------------------------------------------------------------- */

#define IMG_SIZE 0x3000u
#define IMG_STUB_OFF 0x1000u
#define IMG_HIGH_OFF 0x2000u

struct test_image {
	uint8_t bytes[IMG_SIZE];
};

static struct elf64_phdr *img_phdr(struct test_image *img, uint32_t i)
{
	return (struct elf64_phdr *)(img->bytes + sizeof(struct elf64_ehdr) +
				     i * sizeof(struct elf64_phdr));
}

static struct elf64_ehdr *img_ehdr(struct test_image *img)
{
	return (struct elf64_ehdr *)img->bytes;
}

/* A low identity stub at KERNEL_LINK_PHYS and a high segment 4 KiB above, with bss. */
static void img_build(struct test_image *img)
{
	struct elf64_ehdr *eh = img_ehdr(img);

	memset(img, 0, sizeof(*img));
	memcpy(eh->e_ident, "\x7f" "ELF\x02\x01\x01", 7);
	eh->e_type = ELF_ET_EXEC;
	eh->e_machine = ELF_EM_X86_64;
	eh->e_version = 1;
	eh->e_entry = KERNEL_LINK_BASE + 0x1010;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(struct elf64_phdr);
	eh->e_phnum = 3;
	*img_phdr(img, 0) = (struct elf64_phdr){ .p_type = ELF_PT_LOAD, .p_offset = IMG_STUB_OFF,
						 .p_vaddr = KERNEL_LINK_PHYS,
						 .p_paddr = KERNEL_LINK_PHYS, .p_filesz = 0x100,
						 .p_memsz = 0x1000 };
	*img_phdr(img, 1) = (struct elf64_phdr){ .p_type = ELF_PT_LOAD, .p_offset = IMG_HIGH_OFF,
						 .p_vaddr = KERNEL_LINK_BASE + 0x1000,
						 .p_paddr = KERNEL_LINK_PHYS + 0x1000,
						 .p_filesz = 0x1000, .p_memsz = 0x3000 };
	*img_phdr(img, 2) = (struct elf64_phdr){ .p_type = 0x6474e551 }; /* PT_GNU_STACK */
	memset(img->bytes + IMG_STUB_OFF, 0x11, 0x1000);
	memset(img->bytes + IMG_HIGH_OFF, 0x22, 0x1000);
}

static const char *img_check(struct test_image *img, uint64_t size)
{
	struct elf_plan plan;
	const char *why;

	if (elf_check_kernel(img->bytes, size, &plan, &why) == 0)
		return NULL;
	assert_non_null(why);
	return why;
}

static void test_elf_accepts_kernel(void **state)
{
	struct test_image img;
	struct elf_plan plan;
	const char *why;

	(void)state;
	img_build(&img);
	assert_int_equal(elf_check_kernel(img.bytes, IMG_SIZE, &plan, &why), 0);
	assert_null(why);
	assert_int_equal(plan.load_count, 2);
	assert_int_equal(plan.span, 0x4000);
	assert_int_equal(plan.entry, KERNEL_LINK_BASE + 0x1010);
}

static void test_elf_rejects_headers(void **state)
{
	struct test_image img;

	(void)state;
	img_build(&img);
	assert_non_null(img_check(&img, 10));
	img.bytes[1] = 'X';
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img.bytes[4] = 1; /* ELFCLASS32 */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img.bytes[5] = 2; /* big endian */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_machine = 3;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_type = 3; /* ET_DYN */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_phentsize = 32;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_phnum = 0;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_phnum = 1000;
	assert_non_null(img_check(&img, IMG_SIZE));
}

static void test_elf_rejects_phdrs_outside_file(void **state)
{
	struct test_image img;

	(void)state;
	img_build(&img);
	img_ehdr(&img)->e_phoff = IMG_SIZE - 100;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_phoff = UINT64_MAX - 10;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	assert_non_null(img_check(&img, sizeof(struct elf64_ehdr) + 100));
}

static void test_elf_rejects_bad_segments(void **state)
{
	struct test_image img;

	(void)state;
	img_build(&img);
	img_phdr(&img, 1)->p_offset = IMG_SIZE;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 1)->p_offset = UINT64_MAX - 0x10; /* offset + filesz wraps */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 1)->p_filesz = 0x1001; /* runs past the file */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 0)->p_memsz = 0x10; /* filesz > memsz */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 0)->p_paddr = img_phdr(&img, 0)->p_vaddr = 0x100000;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 1)->p_memsz = UINT64_MAX; /* wraps */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 1)->p_memsz = ELF_KERNEL_SPAN_MAX + 1;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 1)->p_vaddr += 0x1000; /* vaddr and paddr disagree */
	assert_non_null(img_check(&img, IMG_SIZE));
}

static void test_elf_rejects_overlap_and_bad_entry(void **state)
{
	struct test_image img;

	(void)state;
	img_build(&img);
	img_phdr(&img, 0)->p_memsz = 0x1001;
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_entry = KERNEL_LINK_PHYS; /* the low stub is not an entry */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_ehdr(&img)->e_entry = KERNEL_LINK_BASE + 0x2800; /* in bss */
	assert_non_null(img_check(&img, IMG_SIZE));
	img_build(&img);
	img_phdr(&img, 0)->p_type = 0;
	img_phdr(&img, 1)->p_type = 0;
	assert_non_null(img_check(&img, IMG_SIZE));
}

static void test_elf_load_copies_and_zeroes(void **state)
{
	struct test_image img;
	uint8_t *dest = malloc(0x4000);

	(void)state;
	assert_non_null(dest);
	img_build(&img);
	memset(dest, 0xAA, 0x4000);
	elf_load_segments(img.bytes, dest);
	assert_int_equal(dest[0], 0x11);
	assert_int_equal(dest[0xff], 0x11);
	assert_int_equal(dest[0x100], 0);
	assert_int_equal(dest[0xfff], 0);
	assert_int_equal(dest[0x1000], 0x22);
	assert_int_equal(dest[0x1fff], 0x22);
	assert_int_equal(dest[0x2000], 0);
	assert_int_equal(dest[0x3fff], 0);
	free(dest);
}

/* ---- memory map --------------------------------------------------------- */

#define MAP_MAX 700u

struct test_map {
	struct efi_mem_desc_raw d[MAP_MAX];
	uint32_t n;
};

static void map_add(struct test_map *m, uint32_t type, uint64_t base, uint64_t pages)
{
	m->d[m->n++] = (struct efi_mem_desc_raw){ .type = type, .phys_start = base,
						  .num_pages = pages };
}

static int map_convert(struct test_map *m, uint64_t kb, uint64_t ke,
		       struct boot_mmap_entry *out, uint32_t max, uint32_t *count)
{
	return mmap_convert(m->d, m->n * sizeof(m->d[0]), sizeof(m->d[0]), kb, ke, out, max,
			    count);
}

static void test_mmap_types(void **state)
{
	static const uint32_t want[] = {
		[EFI_RAW_RESERVED] = BOOT_MEM_RESERVED,
		[EFI_RAW_LOADER_CODE] = BOOT_MEM_BOOTLOADER,
		[EFI_RAW_LOADER_DATA] = BOOT_MEM_BOOTLOADER,
		[EFI_RAW_BS_CODE] = BOOT_MEM_USABLE,
		[EFI_RAW_BS_DATA] = BOOT_MEM_USABLE,
		[EFI_RAW_RT_CODE] = BOOT_MEM_RUNTIME,
		[EFI_RAW_RT_DATA] = BOOT_MEM_RUNTIME,
		[EFI_RAW_CONVENTIONAL] = BOOT_MEM_USABLE,
		[EFI_RAW_UNUSABLE] = BOOT_MEM_BAD,
		[EFI_RAW_ACPI_RECLAIM] = BOOT_MEM_ACPI_RECLAIM,
		[EFI_RAW_ACPI_NVS] = BOOT_MEM_ACPI_NVS,
		[EFI_RAW_MMIO] = BOOT_MEM_RESERVED,
		[EFI_RAW_MMIO_PORT] = BOOT_MEM_RESERVED,
		[EFI_RAW_PAL_CODE] = BOOT_MEM_RESERVED,
		[EFI_RAW_PERSISTENT] = BOOT_MEM_RESERVED,
		[EFI_RAW_UNACCEPTED] = BOOT_MEM_RESERVED,
	};

	(void)state;
	for (uint32_t t = 0; t < sizeof(want) / sizeof(want[0]); t++)
		assert_int_equal(mmap_type_from_efi(t), want[t]);
	assert_int_equal(mmap_type_from_efi(0x80000001u), BOOT_MEM_RESERVED);
	assert_int_equal(mmap_type_from_efi(0x70000000u), BOOT_MEM_RESERVED);
}

static void test_mmap_sorts_and_merges(void **state)
{
	static struct test_map m;
	struct boot_mmap_entry out[8];
	uint32_t count;

	(void)state;
	m.n = 0;
	map_add(&m, EFI_RAW_BS_DATA, 0x3000, 1);
	map_add(&m, EFI_RAW_CONVENTIONAL, 0x0, 2);
	map_add(&m, EFI_RAW_BS_CODE, 0x2000, 1);
	map_add(&m, EFI_RAW_ACPI_NVS, 0x10000, 1);
	map_add(&m, EFI_RAW_CONVENTIONAL, 0x20000, 1); /* a hole before it: not merged */
	assert_int_equal(map_convert(&m, 0, 0, out, 8, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(out[0].base, 0);
	assert_int_equal(out[0].length, 0x4000);
	assert_int_equal(out[0].type, BOOT_MEM_USABLE);
	assert_int_equal(out[1].type, BOOT_MEM_ACPI_NVS);
	assert_int_equal(out[2].base, 0x20000);
}

static void test_mmap_marks_kernel(void **state)
{
	static struct test_map m;
	struct boot_mmap_entry out[8];
	uint32_t count;

	(void)state;
	m.n = 0;
	map_add(&m, EFI_RAW_CONVENTIONAL, 0x100000, 0x100);  /* [1 MiB, 2 MiB) */
	map_add(&m, EFI_RAW_LOADER_DATA, 0x200000, 0x10);    /* the kernel's pages */
	map_add(&m, EFI_RAW_LOADER_DATA, 0x210000, 0x10);    /* other loader data */
	map_add(&m, EFI_RAW_CONVENTIONAL, 0x220000, 0x1e0);
	assert_int_equal(map_convert(&m, 0x200000, 0x205000, out, 8, &count), 0);
	assert_int_equal(count, 4);
	assert_int_equal(out[0].type, BOOT_MEM_USABLE);
	assert_int_equal(out[1].base, 0x200000);
	assert_int_equal(out[1].length, 0x5000);
	assert_int_equal(out[1].type, BOOT_MEM_KERNEL);
	assert_int_equal(out[2].base, 0x205000);
	assert_int_equal(out[2].length, 0x1b000);
	assert_int_equal(out[2].type, BOOT_MEM_BOOTLOADER);
	assert_int_equal(out[3].base, 0x220000);
}

static void test_mmap_kernel_inside_one_entry(void **state)
{
	static struct test_map m;
	struct boot_mmap_entry out[8];
	uint32_t count;

	(void)state;
	m.n = 0;
	map_add(&m, EFI_RAW_LOADER_DATA, 0x0, 0x1000); /* 16 MiB */
	assert_int_equal(map_convert(&m, 0x400000, 0x600000, out, 8, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(out[0].length, 0x400000);
	assert_int_equal(out[1].type, BOOT_MEM_KERNEL);
	assert_int_equal(out[2].base, 0x600000);
	assert_int_equal(out[2].length, 0xa00000);
}

static void test_mmap_wide_descriptors(void **state)
{
	uint8_t raw[3 * 48];
	struct boot_mmap_entry out[4];
	uint32_t count;

	(void)state;
	memset(raw, 0x5a, sizeof(raw));
	for (uint32_t i = 0; i < 3; i++) {
		struct efi_mem_desc_raw d = { .type = i == 1 ? EFI_RAW_MMIO : EFI_RAW_CONVENTIONAL,
					      .phys_start = i * 0x1000ull, .num_pages = 1 };
		memcpy(raw + i * 48, &d, sizeof(d));
	}
	assert_int_equal(mmap_convert(raw, sizeof(raw), 48, 0, 0, out, 4, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(out[1].type, BOOT_MEM_RESERVED);
	assert_int_equal(mmap_highest_end(raw, sizeof(raw), 48), 0x3000);
}

static void test_mmap_refuses_malformed(void **state)
{
	static struct test_map m;
	struct boot_mmap_entry out[4];
	uint32_t count = 99;

	(void)state;
	m.n = 0;
	map_add(&m, EFI_RAW_CONVENTIONAL, 0xfffffffffffff000ull, 2); /* wraps */
	assert_int_equal(map_convert(&m, 0, 0, out, 4, &count), -1);
	assert_int_equal(count, 0);
	assert_int_equal(mmap_highest_end(m.d, sizeof(m.d[0]), sizeof(m.d[0])), 0);
	assert_int_equal(mmap_convert(m.d, sizeof(m.d[0]), 16, 0, 0, out, 4, &count), -1);
	assert_int_equal(mmap_convert(NULL, 0, sizeof(m.d[0]), 0, 0, out, 4, &count), -1);
}

static void test_mmap_capacity(void **state)
{
	static struct test_map m;
	static struct boot_mmap_entry out[BOOT_MMAP_MAX];
	uint32_t count;

	(void)state;
	m.n = 0;
	for (uint32_t i = 0; i < 600; i++) /* contiguous, one type: merges into one */
		map_add(&m, i % 2 ? EFI_RAW_BS_CODE : EFI_RAW_CONVENTIONAL, i * 0x1000ull, 1);
	assert_int_equal(map_convert(&m, 0, 0, out, BOOT_MMAP_MAX, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(out[0].length, 600 * 0x1000ull);
	m.n = 0;
	for (uint32_t i = 0; i < 600; i++) /* alternating types: cannot fit */
		map_add(&m, i % 2 ? EFI_RAW_ACPI_NVS : EFI_RAW_CONVENTIONAL, i * 0x1000ull, 1);
	assert_int_equal(map_convert(&m, 0, 0, out, BOOT_MMAP_MAX, &count), -1);
}

/* ---- page tables -------------------------------------------------------- */

/* Walks the tables like the MMU (SDM Vol 3A 4.5); returns -1 when VA is not mapped. */
static int64_t pt_translate(uint64_t cr3, uint64_t va)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)cr3;
	static const int shifts[] = { 39, 30, 21 };

	for (int level = 0; level < 3; level++) {
		uint64_t e = table[(va >> shifts[level]) & 511];

		if (!(e & PTE_PRESENT))
			return -1;
		if (level > 0 && (e & PTE_LARGE)) {
			uint64_t mask = (1ull << shifts[level]) - 1;

			return (int64_t)((e & PTE_ADDR_MASK & ~mask) | (va & mask));
		}
		table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
	}
	return -1; /* no 4 KiB pages are built */
}

static uint64_t pt_build_test(const struct pt_layout *l, struct pt_pool *pool)
{
	uint32_t pages = pt_pages_needed(l);
	uint64_t cr3 = 0;

	assert_true(pages > 0);
	pool->pages = aligned_alloc(4096, (size_t)pages * 4096);
	assert_non_null(pool->pages);
	pool->capacity = pages;
	pool->used = 0;
	assert_int_equal(pt_build(pool, l, &cr3), 0);
	assert_true(pool->used <= pages);
	return cr3;
}

static void test_pt_identity_and_kernel(void **state)
{
	struct pt_layout l = { .identity_end = 0x20000000, .kernel_phys_base = 0x1000000,
			       .kernel_span = 0x300000, .use_1g = 0 };
	struct pt_pool pool;
	uint64_t cr3;

	(void)state;
	assert_int_equal(pt_pages_needed(&l), 1 + 1 + 4 + 1 + 2);
	cr3 = pt_build_test(&l, &pool);
	assert_int_equal(pt_translate(cr3, 0), 0);
	assert_int_equal(pt_translate(cr3, 0x12345678), 0x12345678);
	assert_int_equal(pt_translate(cr3, 0xffffffff), 0xffffffff);
	assert_int_equal(pt_translate(cr3, 0x100000000ull), -1);
	assert_int_equal(pt_translate(cr3, KERNEL_LINK_BASE), 0x1000000);
	assert_int_equal(pt_translate(cr3, KERNEL_LINK_BASE + 0x2fffff), 0x12fffff);
	assert_int_equal(pt_translate(cr3, KERNEL_VIRT_BASE), 0x1000000 - KERNEL_LINK_PHYS);
	assert_int_equal(pt_translate(cr3, KERNEL_LINK_BASE + 0x400000), -1);
	assert_int_equal(pt_translate(cr3, HHDM_BASE), -1);
	free(pool.pages);
}

static void test_pt_large_machine(void **state)
{
	struct pt_layout l = { .identity_end = 0x400000001ull, .kernel_phys_base = 0x200000,
			       .kernel_span = 0x40000000, .use_1g = 0 };
	struct pt_pool pool;
	uint64_t cr3;

	(void)state;
	cr3 = pt_build_test(&l, &pool); /* 17 GiB rounded up, 2 MiB pages throughout */
	assert_int_equal(pt_translate(cr3, 0x400000000ull), 0x400000000ull);
	assert_int_equal(pt_translate(cr3, 0x43fffffffull), 0x43fffffffull);
	assert_int_equal(pt_translate(cr3, 0x440000000ull), -1);
	assert_int_equal(pt_translate(cr3, KERNEL_LINK_BASE + 0x3fffffff), 0x401fffff);
	free(pool.pages);
	l.use_1g = 1;
	cr3 = pt_build_test(&l, &pool);
	assert_int_equal(pt_translate(cr3, 0x43fffffffull), 0x43fffffffull);
	assert_int_equal(pt_translate(cr3, 0x3ffffffffull), 0x3ffffffffull);
	assert_int_equal(pt_translate(cr3, 0x1000), 0x1000);
	free(pool.pages);
}

static void test_pt_refuses_bad_layout(void **state)
{
	struct pt_layout l = { .identity_end = 0x100000000ull, .kernel_phys_base = 0x201000,
			       .kernel_span = 0x1000, .use_1g = 0 };
	uint64_t page[512] __attribute__((aligned(4096)));
	struct pt_pool pool = { .pages = page, .capacity = 1, .used = 0 };
	uint64_t cr3;

	(void)state;
	assert_int_equal(pt_pages_needed(&l), 0); /* not 2 MiB aligned */
	l.kernel_phys_base = 0x200000;
	l.kernel_span = 0x40000001; /* over 1 GiB */
	assert_int_equal(pt_pages_needed(&l), 0);
	l.kernel_span = 0x1000;
	l.identity_end = PT_IDENTITY_LIMIT + 1;
	assert_int_equal(pt_pages_needed(&l), 0);
	l.identity_end = 0x100000000ull;
	assert_int_equal(pt_build(&pool, &l, &cr3), -1); /* pool too small */
}

/* ---- names and the command line ---------------------------------------- */

static void test_text_module_names(void **state)
{
	static const uint16_t plain[] = { 'h', 'e', 'l', 'l', 'o', '.', 'e', 'l', 'f', 0 };
	static const uint16_t odd[] = { 'a', ' ', 'b', 0x00e9, '/', 0 };
	static const uint16_t empty[] = { 0 };
	uint16_t long_name[100];
	char out[BOOT_MODULE_NAME_MAX];

	(void)state;
	assert_int_equal(text_module_name(plain, out, sizeof(out)), TEXT_NAME_OK);
	assert_string_equal(out, "hello.elf");
	assert_int_equal(text_module_name(odd, out, sizeof(out)), TEXT_NAME_CHANGED);
	assert_string_equal(out, "a_b__");
	assert_int_equal(text_module_name(empty, out, sizeof(out)), TEXT_NAME_EMPTY);
	assert_int_equal(text_module_name(NULL, out, sizeof(out)), TEXT_NAME_EMPTY);
	for (uint32_t i = 0; i < 99; i++)
		long_name[i] = 'x';
	long_name[99] = 0;
	assert_int_equal(text_module_name(long_name, out, sizeof(out)), TEXT_NAME_CHANGED);
	assert_int_equal(strlen(out), BOOT_MODULE_NAME_MAX - 1);
}

static void test_text_first_line(void **state)
{
	static const char crlf[] = "\xef\xbb\xbf" "console=ttyS0\tquiet  \r\nsecond\n";
	static const char ctl[] = "a\x01" "b\x7f" "c\xc3\xa9" "d";
	char out[BOOT_CMDLINE_MAX];
	char small[8];
	char big[400];

	(void)state;
	assert_int_equal(text_first_line((const uint8_t *)crlf, sizeof(crlf) - 1, out,
					 sizeof(out)), 0);
	assert_string_equal(out, "console=ttyS0 quiet");
	text_first_line((const uint8_t *)ctl, sizeof(ctl) - 1, out, sizeof(out));
	assert_string_equal(out, "abcd");
	text_first_line((const uint8_t *)"x", 0, out, sizeof(out));
	assert_string_equal(out, "");
	assert_int_equal(text_first_line((const uint8_t *)"0123456789", 10, small,
					 sizeof(small)), 1);
	assert_string_equal(small, "0123456");
	memset(big, 'k', sizeof(big));
	assert_int_equal(text_first_line((const uint8_t *)big, sizeof(big), out, sizeof(out)), 1);
	assert_int_equal(strlen(out), BOOT_CMDLINE_MAX - 1);
	text_copy(small, sizeof(small), "a long loader name");
	assert_string_equal(small, "a long ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_accepts_kernel),
		cmocka_unit_test(test_elf_rejects_headers),
		cmocka_unit_test(test_elf_rejects_phdrs_outside_file),
		cmocka_unit_test(test_elf_rejects_bad_segments),
		cmocka_unit_test(test_elf_rejects_overlap_and_bad_entry),
		cmocka_unit_test(test_elf_load_copies_and_zeroes),
		cmocka_unit_test(test_mmap_types),
		cmocka_unit_test(test_mmap_sorts_and_merges),
		cmocka_unit_test(test_mmap_marks_kernel),
		cmocka_unit_test(test_mmap_kernel_inside_one_entry),
		cmocka_unit_test(test_mmap_wide_descriptors),
		cmocka_unit_test(test_mmap_refuses_malformed),
		cmocka_unit_test(test_mmap_capacity),
		cmocka_unit_test(test_pt_identity_and_kernel),
		cmocka_unit_test(test_pt_large_machine),
		cmocka_unit_test(test_pt_refuses_bad_layout),
		cmocka_unit_test(test_text_module_names),
		cmocka_unit_test(test_text_first_line),
	};

	return cmocka_run_group_tests_name("efi_loader", tests, NULL, NULL);
}
