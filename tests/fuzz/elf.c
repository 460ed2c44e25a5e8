/* Fuzz harness of the guest ELF loader: any bytes as an image, into 4 MiB of guest RAM. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/load/elf.h"
#include "tests/fuzz/fuzz.h"

#define RAM_SIZE (4u << 20)

static uint8_t *ram;

/* The loader promises to have checked every range against ram_size before it writes. */
static void copy(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	(void)ctx;
	FUZZ_CHECK(gpa <= RAM_SIZE && n <= RAM_SIZE - gpa);
	memcpy(ram + gpa, src, n);
}

static void zero(void *ctx, uint64_t gpa, size_t n)
{
	(void)ctx;
	FUZZ_CHECK(gpa <= RAM_SIZE && n <= RAM_SIZE - gpa);
	memset(ram + gpa, 0, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct guest_writer w = { copy, zero, NULL };
	uint64_t entry = ~0ull;
	char err[128];

	if (!ram)
		ram = malloc(RAM_SIZE);
	FUZZ_CHECK(ram);
	err[0] = '\0';
	if (elf_load_guest(data, size, RAM_SIZE, &w, &entry, err, sizeof(err)) == 0)
		FUZZ_CHECK(entry < RAM_SIZE);
	else
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
	return 0;
}
