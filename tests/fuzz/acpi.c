/* Fuzz harness of the ACPI table parser: the input is a window of firmware memory with the RSDP at its start. */
/* SPDX-License-Identifier: MIT */

#include <stdbool.h>
#include <string.h>
#include "drivers/acpi/acpi.h"
#include "drivers/ioapic_route.h"
#include "tests/fuzz/fuzz.h"

/*
 * Input: one flags byte, then the bytes of physical memory from WINDOW_BASE.
 *   bit 0: repair checksums as tables are mapped, so mutations reach the table
 *          parsers instead of stopping at the checksum (ACPI 6.5 5.2.5.3, 5.2.6)
 *   bit 1: also run the \_S5 finder on the whole window as AML
 * map() hands out a fresh heap copy of exactly the bytes asked for, so ASan
 * catches the parser reading one byte more than it mapped.
 */
#define WINDOW_BASE 0xe0000ull
#define MAPS_MAX 8192
#define FIX_CHECKSUMS 1
#define FIND_S5 2

static uint8_t *mem;
static size_t mem_len;
static bool fix_checksums;
static void *maps[MAPS_MAX];
static size_t nmaps;

static uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Sets the byte at `at` so that bytes [0, len) of `p` sum to zero. */
static void fix(uint8_t *p, size_t len, size_t at)
{
	p[at] = 0;
	p[at] = (uint8_t)(0x100 - sum8(p, len));
}

/* RSDP: checksum at 8 over 20 bytes, extended checksum at 32 over Length. A table: checksum at 9 over Length. */
static void repair(uint64_t off, size_t len)
{
	uint8_t *p = mem + off;

	if (off == 0 && len >= 20 && memcmp(p, "RSD PTR ", 8) == 0) {
		fix(p, 20, 8);
		if (len >= 36 && len == rd32(p + 20))
			fix(p, len, 32);
	} else if (len >= 36 && len == rd32(p + 4)) {
		fix(p, len, 9);
	}
}

static const void *map(uint64_t phys, size_t len)
{
	uint8_t *copy;

	FUZZ_CHECK(nmaps < MAPS_MAX);
	if (phys < WINDOW_BASE || len > mem_len || phys - WINDOW_BASE > mem_len - len)
		return NULL;
	if (fix_checksums)
		repair(phys - WINDOW_BASE, len);
	copy = malloc(len ? len : 1);
	FUZZ_CHECK(copy);
	memcpy(copy, mem + (phys - WINDOW_BASE), len);
	maps[nmaps++] = copy;
	return copy;
}

static void check_info(const struct acpi_info *o)
{
	FUZZ_CHECK(o->cpu_count <= ACPI_MAX_CPUS);
	FUZZ_CHECK(o->ioapic_count <= ACPI_MAX_IOAPICS);
	FUZZ_CHECK(o->override_count <= ACPI_MAX_OVERRIDES);
	FUZZ_CHECK(memchr(o->oem_id, '\0', sizeof(o->oem_id)));
	for (uint32_t i = 0; i < o->cpu_count; i++)
		for (uint32_t j = i + 1; j < o->cpu_count; j++)
			FUZZ_CHECK(o->cpus[i].apic_id != o->cpus[j].apic_id);
	FUZZ_CHECK(!o->has_s5 || o->has_fadt);
	/* Every ISA IRQ routes to a listed I/O APIC whose range starts at or below its GSI, or not at all. */
	for (uint8_t irq = 0; irq < 16; irq++) {
		struct ioapic_route r;
		if (ioapic_isa_route(o, irq, &r) < 0)
			continue;
		FUZZ_CHECK(r.ioapic < o->ioapic_count);
		uint32_t base = o->ioapics[r.ioapic].gsi_base, gsi = base + r.pin;
		FUZZ_CHECK(gsi >= base);
		for (uint32_t i = 0; i < o->ioapic_count; i++) /* none nearer below the GSI */
			FUZZ_CHECK(!(o->ioapics[i].gsi_base <= gsi && o->ioapics[i].gsi_base > base));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	char err[256];
	int rc;

	if (size < 1)
		return 0;
	fix_checksums = data[0] & FIX_CHECKSUMS;
	mem_len = size - 1;
	mem = malloc(mem_len ? mem_len : 1);
	FUZZ_CHECK(mem);
	memcpy(mem, data + 1, mem_len);
	nmaps = 0;
	memset(err, 'x', sizeof(err));
	rc = acpi_parse(WINDOW_BASE, map, &info, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)));
	FUZZ_CHECK(rc == 0 || err[0]);
	if (rc == 0)
		check_info(&info);
	if (data[0] & FIND_S5) {
		uint8_t a, b;
		acpi_find_s5(mem, mem_len, &a, &b);
	}
	for (size_t i = 0; i < nmaps; i++)
		free(maps[i]);
	free(mem);
	return 0;
}
