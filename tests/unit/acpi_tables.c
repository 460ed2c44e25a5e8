/* Host unit tests of the ACPI parser on table bytes built here: RSDP, RSDT/XSDT, MADT, FADT, \_S5. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "drivers/acpi/acpi.h"

/*
 * Fake physical memory [MEM_BASE, MEM_BASE + MEM_SIZE). map() hands out a
 * copy of the requested bytes placed right before an inaccessible page, so a
 * parser that reads one byte past what it asked for crashes the test.
 */
#define MEM_BASE 0xe0000ull
#define MEM_SIZE 0x20000ull
#define RSDP_AT 0xe0000ull
#define RSDT_AT 0xe1000ull
#define XSDT_AT 0xe2000ull
#define MADT_AT 0xe3000ull
#define FADT_AT 0xe4000ull
#define DSDT_AT 0xe5000ull
#define HPET_AT 0xe6000ull
#define MCFG_AT 0xe7000ull
#define MADT2_AT 0xe8000ull
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t mem[MEM_SIZE];

struct guard {
	void *base;
	size_t size;
};
static struct guard guards[4096];
static size_t guard_count;
static unsigned long map_calls;

static const void *guarded_copy(const uint8_t *src, size_t len)
{
	size_t pages = (len + 4095) / 4096 + 1;
	uint8_t *base;

	if (guard_count == N(guards))
		fail_msg("too many map() calls");
	base = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(base != MAP_FAILED);
	assert_int_equal(mprotect(base + (pages - 1) * 4096, 4096, PROT_NONE), 0);
	memcpy(base + (pages - 1) * 4096 - len, src, len);
	guards[guard_count++] = (struct guard){ base, pages * 4096 };
	return base + (pages - 1) * 4096 - len;
}

static const void *fake_map(uint64_t phys, size_t len)
{
	map_calls++;
	if (phys < MEM_BASE || len > MEM_SIZE || phys - MEM_BASE > MEM_SIZE - len)
		return NULL;
	return guarded_copy(mem + (phys - MEM_BASE), len);
}

static void release_maps(void)
{
	for (size_t i = 0; i < guard_count; i++)
		munmap(guards[i].base, guards[i].size);
	guard_count = 0;
}

static struct acpi_info info;
static char err[512];

static int parse(uint64_t rsdp)
{
	int rc = acpi_parse(rsdp, fake_map, &info, err, sizeof(err));
	release_maps();
	return rc;
}

static uint8_t *at(uint64_t phys)
{
	return mem + (phys - MEM_BASE);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Sets the checksum byte at `at_off` so that `len` bytes sum to zero. */
static void fix_sum(uint8_t *p, size_t len, size_t at_off)
{
	p[at_off] = 0;
	p[at_off] = (uint8_t)(0x100 - sum(p, len));
}

static void seal(uint64_t phys)
{
	uint8_t *t = at(phys);
	uint32_t len = t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24;
	fix_sum(t, len, 9);
}

/* 5.2.6 header; the checksum is set by seal() once the body is written. */
static uint8_t *header(uint64_t phys, const char *sig, uint32_t len, uint8_t rev)
{
	uint8_t *t = at(phys);
	memset(t, 0, len < 0x1000 ? len : 0x1000);
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "BULWRK", 6);
	memcpy(t + 16, "TESTTBL ", 8);
	return t;
}

static void build_rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *r = at(RSDP_AT);
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BULWRK", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	fix_sum(r, 20, 8);
	if (rev >= 2) {
		put32(r + 20, 36);
		put64(r + 24, xsdt);
		fix_sum(r, 36, 32);
	}
}

static void build_root(uint64_t phys, int xsdt, const uint64_t *tables, size_t n)
{
	uint32_t w = xsdt ? 8 : 4;
	uint8_t *t = header(phys, xsdt ? "XSDT" : "RSDT", (uint32_t)(36 + n * w), 1);
	for (size_t i = 0; i < n; i++) {
		if (xsdt)
			put64(t + 36 + i * 8, tables[i]);
		else
			put32(t + 36 + i * 4, (uint32_t)tables[i]);
	}
	seal(phys);
}

static void build_madt(uint64_t phys, const uint8_t *entries, size_t n)
{
	uint8_t *t = header(phys, "APIC", (uint32_t)(44 + n), 4);
	put32(t + 36, 0xfee00000);
	put32(t + 40, 1); /* PCAT_COMPAT */
	memcpy(t + 44, entries, n);
	seal(phys);
}

#define LE2(x) (uint8_t)(x), (uint8_t)((x) >> 8)
#define LE4(x) LE2(x), LE2((x) >> 16)
#define LE8(x) LE4(x), LE4((uint64_t)(x) >> 32)
#define LAPIC(uid, id, fl) 0, 8, uid, id, LE4(fl)
#define IOAPIC(id, addr, gsi) 1, 12, id, 0, LE4(addr), LE4(gsi)
#define ISO(src, gsi, fl) 2, 10, 0, src, LE4(gsi), LE2(fl)
#define LAPIC_OVR(addr) 5, 12, 0, 0, LE8(addr)
#define X2APIC(id, fl, uid) 9, 16, 0, 0, LE4(id), LE4(fl), LE4(uid)

static const uint8_t std_madt[] = {
	LAPIC(0, 0, 1),
	LAPIC(1, 1, 1),
	LAPIC(2, 2, 0),           /* disabled, not online capable */
	LAPIC(3, 3, 2),           /* online capable */
	X2APIC(300, 1, 4),        /* beyond 8-bit APIC IDs */
	X2APIC(1, 1, 1),          /* same CPU listed again: ignored */
	4, 6, 0, 0, 0, 0,         /* NMI source: skipped */
	IOAPIC(2, 0xfec00000, 0),
	ISO(0, 2, 0),
	ISO(9, 9, 0x000d),
	LAPIC_OVR(0xfee00000ull),
};

struct fadt_opts {
	uint32_t len;
	uint32_t dsdt32;
	uint64_t x_dsdt;
	uint32_t pm1a, pm1b;
	uint8_t x_pm1a_space;
	uint64_t x_pm1a;
	uint32_t flags;
	uint8_t reset_space;
	uint64_t reset_addr;
	uint8_t reset_value;
};

static void build_fadt(const struct fadt_opts *o)
{
	uint8_t *t = header(FADT_AT, "FACP", o->len, 6);
	uint8_t body[300] = { 0 };
	put32(body + 40, o->dsdt32);
	put32(body + 64, o->pm1a);
	put32(body + 68, o->pm1b);
	put32(body + 112, o->flags);
	body[116] = o->reset_space;
	body[117] = 8;
	put64(body + 120, o->reset_addr);
	body[128] = o->reset_value;
	put64(body + 140, o->x_dsdt);
	body[172] = o->x_pm1a_space;
	body[173] = 16;
	put64(body + 176, o->x_pm1a);
	memcpy(t + 36, body + 36, o->len - 36);
	seal(FADT_AT);
}

static const struct fadt_opts std_fadt = {
	.len = 276, .dsdt32 = DSDT_AT, .x_dsdt = DSDT_AT, .pm1a = 0x604, .pm1b = 0,
	.x_pm1a_space = 1, .x_pm1a = 0x604, .flags = 1u << 10,
	.reset_space = 1, .reset_addr = 0xcf9, .reset_value = 0x06,
};

/* QEMU's encoding: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) after other names. */
static const uint8_t aml_qemu[] = {
	0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00,
	0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};

static void build_dsdt(uint64_t phys, const uint8_t *aml, size_t n)
{
	uint8_t *t = header(phys, "DSDT", (uint32_t)(36 + n), 2);
	memcpy(t + 36, aml, n);
	seal(phys);
}

static void build_hpet(uint32_t len)
{
	uint8_t *t = header(HPET_AT, "HPET", len, 1);
	put32(t + 36, 0x8086a201);
	t[40] = 0; /* memory */
	put64(t + 44, 0xfed00000);
	seal(HPET_AT);
}

static void build_mcfg(void)
{
	uint8_t *t = header(MCFG_AT, "MCFG", 44 + 32, 1);
	put64(t + 44, 0xc0000000);      /* segment 1 first */
	put16(t + 52, 1);
	t[55] = 0xff;
	put64(t + 60, 0xb0000000);      /* segment 0 */
	put16(t + 68, 0);
	t[71] = 0xff;
	seal(MCFG_AT);
}

/* A v2 RSDP, an XSDT with MADT/FADT/HPET/MCFG and an RSDT with a different one-CPU MADT. */
static int setup_std(void **state)
{
	(void)state;
	static const uint8_t one_cpu[] = { LAPIC(0, 7, 1) };
	const uint64_t x[] = { MADT_AT, FADT_AT, HPET_AT, MCFG_AT };
	const uint64_t r[] = { MADT2_AT, FADT_AT };

	memset(mem, 0, sizeof(mem));
	build_madt(MADT_AT, std_madt, sizeof(std_madt));
	build_madt(MADT2_AT, one_cpu, sizeof(one_cpu));
	build_fadt(&std_fadt);
	build_dsdt(DSDT_AT, aml_qemu, sizeof(aml_qemu));
	build_hpet(56);
	build_mcfg();
	build_root(XSDT_AT, 1, x, N(x));
	build_root(RSDT_AT, 0, r, N(r));
	build_rsdp(2, RSDT_AT, XSDT_AT);
	memset(&info, 0xa5, sizeof(info));
	strcpy(err, "stale");
	return 0;
}

static void test_v2_xsdt_full(void **state)
{
	(void)state;
	assert_int_equal(parse(RSDP_AT), 0);
	assert_string_equal(err, "");
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem_id, "BULWRK");
	assert_int_equal(info.table_count, 4);
	assert_int_equal(info.lapic_address, 0xfee00000);
	assert_true(info.has_8259);
	assert_int_equal(info.cpu_count, 5);
	const uint32_t ids[] = { 0, 1, 2, 3, 300 };
	const bool en[] = { true, true, false, false, true };
	const bool oc[] = { false, false, false, true, false };
	for (size_t i = 0; i < N(ids); i++) {
		assert_int_equal(info.cpus[i].apic_id, ids[i]);
		assert_int_equal(info.cpus[i].enabled, en[i]);
		assert_int_equal(info.cpus[i].online_capable, oc[i]);
	}
	assert_int_equal(info.cpus[4].acpi_uid, 4);
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, 2);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.override_count, 2);
	assert_int_equal(info.overrides[0].source_irq, 0);
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_int_equal(info.overrides[1].source_irq, 9);
	assert_int_equal(info.overrides[1].flags, 0xd);
	assert_true(info.has_fadt);
	assert_int_equal(info.pm1a_cnt, 0x604);
	assert_int_equal(info.pm1b_cnt, 0);
	assert_true(info.has_reset_reg);
	assert_int_equal(info.reset_reg.space_id, 1);
	assert_int_equal(info.reset_reg.address, 0xcf9);
	assert_int_equal(info.reset_value, 6);
	assert_int_equal(info.dsdt, DSDT_AT);
	assert_true(info.has_s5);
	assert_int_equal(info.slp_typa, 0);
	assert_int_equal(info.slp_typb, 0);
	assert_int_equal(info.hpet_address, 0xfed00000);
	assert_int_equal(info.mcfg_address, 0xb0000000);
}

static void test_v1_rsdt(void **state)
{
	(void)state;
	build_rsdp(0, RSDT_AT, 0);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.revision, 0);
	assert_int_equal(info.table_count, 2);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.cpus[0].apic_id, 7);
	assert_int_equal(info.ioapic_count, 0);
	assert_int_equal(info.hpet_address, 0);
	assert_true(info.has_fadt);
}

static void test_xsdt_bad_falls_back_to_rsdt(void **state)
{
	(void)state;
	at(XSDT_AT)[20] ^= 0x40;
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.cpus[0].apic_id, 7);
	assert_non_null(strstr(err, "XSDT at 0xe2000: bad checksum"));
}

static void test_rsdp_errors(void **state)
{
	(void)state;
	uint8_t *r = at(RSDP_AT);
	r[3] = 'X';
	assert_int_equal(parse(RSDP_AT), -1);
	assert_non_null(strstr(err, "signature"));

	build_rsdp(0, RSDT_AT, 0);
	r[16] ^= 1; /* v1 checksum now wrong */
	assert_int_equal(parse(RSDP_AT), -1);
	assert_non_null(strstr(err, "RSDP: bad checksum"));

	build_rsdp(2, RSDT_AT, XSDT_AT);
	r[24] ^= 1; /* only the extended checksum covers the XSDT address */
	assert_int_equal(parse(RSDP_AT), -1);
	assert_non_null(strstr(err, "extended checksum"));

	build_rsdp(2, RSDT_AT, XSDT_AT);
	put32(r + 20, 0x7fffffff);
	fix_sum(r, 36, 32);
	assert_int_equal(parse(RSDP_AT), -1);
	assert_non_null(strstr(err, "bad length"));

	build_rsdp(2, RSDT_AT, XSDT_AT);
	put32(r + 20, 20);
	fix_sum(r, 36, 32);
	assert_int_equal(parse(RSDP_AT), -1);

	assert_int_equal(parse(0x1000), -1); /* not mapped */
	assert_non_null(strstr(err, "not readable"));
	assert_int_equal(parse(0), -1);
	assert_int_equal(acpi_parse(RSDP_AT, NULL, &info, err, sizeof(err)), -1);
	assert_int_equal(acpi_parse(RSDP_AT, fake_map, NULL, NULL, 0), -1);
	release_maps();
}

/* A v2 RSDP in the last 20 bytes of memory: its extended part is unmapped. */
static void test_rsdp_at_end_of_memory(void **state)
{
	(void)state;
	uint64_t end = MEM_BASE + MEM_SIZE - 20;
	build_rsdp(2, RSDT_AT, XSDT_AT);
	memcpy(at(end), at(RSDP_AT), 20);
	assert_int_equal(parse(end), -1);
	assert_non_null(strstr(err, "extended part not readable"));
}

static void test_no_valid_root(void **state)
{
	(void)state;
	at(XSDT_AT)[0] = 'Y';
	at(RSDT_AT)[36] ^= 0xff;
	assert_int_equal(parse(RSDP_AT), -1);
	assert_non_null(strstr(err, "no valid RSDT or XSDT"));
	assert_non_null(strstr(err, "XSDT at 0xe2000: wrong signature"));
	assert_non_null(strstr(err, "RSDT at 0xe1000: bad checksum"));
}

static void test_bad_table_checksum_skipped(void **state)
{
	(void)state;
	at(MADT_AT)[50] ^= 0x10;
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 0);
	assert_int_equal(info.table_count, 3);
	assert_true(info.has_fadt);
	assert_non_null(strstr(err, "APIC at 0xe3000: bad checksum"));
}

static void test_table_length_past_memory(void **state)
{
	(void)state;
	build_hpet(56);
	put32(at(HPET_AT) + 4, 0x100000); /* claims 1 MiB: runs past mapped memory */
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.hpet_address, 0);
	assert_non_null(strstr(err, "HPET at 0xe6000: length past mapped memory"));

	put32(at(HPET_AT) + 4, 0xffffffff);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_non_null(strstr(err, "HPET at 0xe6000: bad length"));

	put32(at(HPET_AT) + 4, 12); /* shorter than its own header */
	assert_int_equal(parse(RSDP_AT), 0);
	assert_non_null(strstr(err, "HPET at 0xe6000: bad length"));
	assert_int_equal(info.table_count, 3);
}

static void test_root_entry_unmapped(void **state)
{
	(void)state;
	const uint64_t x[] = { 0x12345000, MADT_AT, 0, FADT_AT };
	build_root(XSDT_AT, 1, x, N(x));
	build_rsdp(2, RSDT_AT, XSDT_AT);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 5);
	assert_true(info.has_fadt);
	assert_int_equal(info.table_count, 2);
	assert_non_null(strstr(err, "at 0x12345000: header not readable"));
}

static void test_truncated_tables(void **state)
{
	(void)state;
	struct fadt_opts f = std_fadt;
	f.len = 60;
	build_fadt(&f);
	header(MADT_AT, "APIC", 40, 4);
	seal(MADT_AT);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_false(info.has_fadt);
	assert_false(info.has_s5);
	assert_int_equal(info.cpu_count, 0);
	assert_non_null(strstr(err, "FACP: table too short"));
	assert_non_null(strstr(err, "APIC: table too short"));
}

static void test_madt_zero_length_entry(void **state)
{
	(void)state;
	const uint8_t e[] = { LAPIC(0, 0, 1), 0, 0, 0, 0, 0, 0, 0, 0, LAPIC(1, 1, 1) };
	build_madt(MADT_AT, e, sizeof(e));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 1);
	assert_non_null(strstr(err, "length < 2"));

	const uint8_t e1[] = { LAPIC(0, 0, 1), 9, 1, LAPIC(1, 1, 1) };
	build_madt(MADT_AT, e1, sizeof(e1));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 1);
}

static void test_madt_entry_past_end(void **state)
{
	(void)state;
	const uint8_t e[] = { LAPIC(0, 0, 1), 1, 200, 5, 0, LE4(0xfec00000), LE4(0) };
	build_madt(MADT_AT, e, sizeof(e));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.ioapic_count, 0);
	assert_non_null(strstr(err, "runs past the table"));
	/* The last entry's type byte is the table's last byte. */
	const uint8_t e2[] = { LAPIC(0, 0, 1), 1 };
	build_madt(MADT_AT, e2, sizeof(e2));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 1);
}

static void test_madt_short_entries_skipped(void **state)
{
	(void)state;
	const uint8_t e[] = {
		0, 4, 0, 5,               /* LAPIC cut to 4 bytes */
		9, 8, 0, 0, LE4(400),     /* x2APIC cut to 8 bytes */
		5, 8, 0, 0, LE4(0x1000),  /* address override cut short */
		LAPIC(1, 1, 1),
	};
	build_madt(MADT_AT, e, sizeof(e));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.cpus[0].apic_id, 1);
	assert_int_equal(info.lapic_address, 0xfee00000);
	assert_non_null(strstr(err, "shorter than its type"));
}

static void test_madt_limits(void **state)
{
	(void)state;
	uint8_t e[80 * 8 + 10 * 12];
	size_t n = 0;
	for (uint32_t i = 0; i < 80; i++) {
		const uint8_t l[] = { LAPIC(i, i, 1) };
		memcpy(e + n, l, 8);
		n += 8;
	}
	for (uint32_t i = 0; i < 10; i++) {
		const uint8_t io[] = { IOAPIC(i, 0xfec00000 + i * 0x1000, i * 24) };
		memcpy(e + n, io, 12);
		n += 12;
	}
	build_madt(MADT_AT, e, n);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.cpu_count, ACPI_MAX_CPUS);
	assert_int_equal(info.cpus[63].apic_id, 63);
	assert_int_equal(info.ioapic_count, ACPI_MAX_IOAPICS);
	assert_non_null(strstr(err, "more CPUs"));
	assert_non_null(strstr(err, "more IOAPICs"));
}

static void test_madt_lapic_override(void **state)
{
	(void)state;
	const uint8_t e[] = { LAPIC(0, 0, 1), LAPIC_OVR(0x1fee00000ull) };
	build_madt(MADT_AT, e, sizeof(e));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.lapic_address, 0x1fee00000ull);
	const uint8_t e2[] = { LAPIC(0, 0, 1) };
	build_madt(MADT_AT, e2, sizeof(e2));
	put32(at(MADT_AT) + 36, 0xfee01000);
	put32(at(MADT_AT) + 40, 0);
	seal(MADT_AT);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.lapic_address, 0xfee01000);
	assert_false(info.has_8259);
}

static void test_fadt_without_reset_reg(void **state)
{
	(void)state;
	struct fadt_opts f = std_fadt;
	f.flags = 0; /* RESET_REG filled in, but RESET_REG_SUP clear */
	build_fadt(&f);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_true(info.has_fadt);
	assert_false(info.has_reset_reg);
	assert_int_equal(info.pm1a_cnt, 0x604);
}

static void test_fadt_acpi1(void **state)
{
	(void)state;
	struct fadt_opts f = std_fadt;
	f.len = 116; /* ACPI 1.0: no reset register, no X_ fields */
	f.pm1a = 0xb004;
	f.pm1b = 0xb044;
	build_fadt(&f);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.pm1a_cnt, 0xb004);
	assert_int_equal(info.pm1b_cnt, 0xb044);
	assert_false(info.has_reset_reg);
	assert_int_equal(info.dsdt, DSDT_AT);
	assert_true(info.has_s5);
}

static void test_fadt_x_fields(void **state)
{
	(void)state;
	struct fadt_opts f = std_fadt;
	f.dsdt32 = 0xdead0000;          /* X_DSDT wins */
	f.pm1a = 0x404;
	f.x_pm1a = 0x1804;              /* I/O space: used */
	build_fadt(&f);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.dsdt, DSDT_AT);
	assert_int_equal(info.pm1a_cnt, 0x1804);
	assert_true(info.has_s5);

	f.x_pm1a_space = 0;             /* memory space: fall back to PM1a_CNT_BLK */
	f.x_dsdt = 0;
	f.dsdt32 = DSDT_AT;
	build_fadt(&f);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.pm1a_cnt, 0x404);
	assert_int_equal(info.dsdt, DSDT_AT);

	f.x_pm1a_space = 1;
	f.x_pm1a = 0;                   /* absent: fall back */
	build_fadt(&f);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_int_equal(info.pm1a_cnt, 0x404);
}

static void test_dsdt_bad(void **state)
{
	(void)state;
	at(DSDT_AT)[40] ^= 1;
	assert_int_equal(parse(RSDP_AT), 0);
	assert_false(info.has_s5);
	assert_non_null(strstr(err, "DSDT at 0xe5000: bad checksum"));

	struct fadt_opts f = std_fadt;
	f.x_dsdt = HPET_AT; /* points at a table that is not a DSDT */
	build_fadt(&f);
	assert_int_equal(parse(RSDP_AT), 0);
	assert_false(info.has_s5);
	assert_non_null(strstr(err, "DSDT at 0xe6000: wrong signature"));
}

static void test_err_buffer_bounded(void **state)
{
	(void)state;
	char small[8];
	memset(small, 'x', sizeof(small));
	at(MADT_AT)[50] ^= 0x10;
	assert_int_equal(acpi_parse(RSDP_AT, fake_map, &info, small, sizeof(small)), 0);
	release_maps();
	assert_int_equal(strlen(small), 7);
	assert_int_equal(acpi_parse(RSDP_AT, fake_map, &info, NULL, 0), 0);
	release_maps();
}

/* --- \_S5 in its various encodings --- */

static int s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	const uint8_t *copy = guarded_copy(aml, len);
	int rc = acpi_find_s5(copy, len, a, b);
	release_maps();
	return rc;
}

#define S5_EXPECT(bytes, ea, eb)                                              \
	do {                                                                  \
		const uint8_t aml_[] = bytes;                                 \
		uint8_t a_ = 0xee, b_ = 0xee;                                 \
		assert_int_equal(s5(aml_, sizeof(aml_), &a_, &b_), 0);         \
		assert_int_equal(a_, ea);                                     \
		assert_int_equal(b_, eb);                                     \
	} while (0)

#define S5_REJECT(bytes)                                                      \
	do {                                                                  \
		const uint8_t aml_[] = bytes;                                 \
		uint8_t a_ = 0xee, b_ = 0xee;                                 \
		assert_int_equal(s5(aml_, sizeof(aml_), &a_, &b_), -1);        \
		assert_int_equal(a_, 0xee);                                   \
	} while (0)

#define B(...) { __VA_ARGS__ }
#define S5N 0x08, '_', 'S', '5', '_'

static void test_s5_encodings(void **state)
{
	(void)state;
	S5_EXPECT(B(S5N, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00), 0, 0);
	S5_EXPECT(B(S5N, 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00), 5, 5);
	S5_EXPECT(B(0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x07, 0x01), 7, 1);
	S5_EXPECT(B(0x08, 0x5e, 0x5e, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00), 1, 0);
	/* Two-byte PkgLength (lead 0x40 | low nibble, then 8 more bits) */
	S5_EXPECT(B(S5N, 0x12, 0x4b, 0x00, 0x02, 0x0b, 0x03, 0x00, 0x0c, 0x04, 0, 0, 0), 3, 4);
	/* One element only: SLP_TYPb = SLP_TYPa */
	S5_EXPECT(B(S5N, 0x12, 0x04, 0x01, 0x0a, 0x06), 6, 6);
	/* A method call to _S5_ and a string first, then the real definition */
	S5_EXPECT(B(0x14, 0x08, '_', 'S', '5', '_', 0x00, 0xa4, 0x00,
		    0x0d, '_', 'S', '5', '_', 0x00,
		    S5N, 0x12, 0x06, 0x04, 0x0a, 0x02, 0x0a, 0x03), 2, 3);
	/* QWord element */
	S5_EXPECT(B(S5N, 0x12, 0x0c, 0x02, 0x0e, 5, 0, 0, 0, 0, 0, 0, 0, 0x00), 5, 0);
}

static void test_s5_rejects(void **state)
{
	(void)state;
	S5_REJECT(B(0x00, 0x01, 0x02));
	S5_REJECT(B(S5N));                                   /* ends at the name */
	S5_REJECT(B(S5N, 0x12));                             /* no PkgLength */
	S5_REJECT(B(S5N, 0x12, 0x20, 0x02, 0x00, 0x00));     /* PkgLength past the buffer */
	S5_REJECT(B(S5N, 0x12, 0x02, 0x02, 0x0a, 0x05));     /* elements past the package */
	S5_REJECT(B(S5N, 0x12, 0x41));                       /* two-byte PkgLength cut */
	S5_REJECT(B(S5N, 0x12, 0xc0, 0x00));                 /* four-byte PkgLength cut */
	S5_REJECT(B(S5N, 0x12, 0x03, 0x00, 0x00));           /* zero elements */
	S5_REJECT(B(S5N, 0x12, 0x05, 0x02, 0x0a));           /* BytePrefix without its byte */
	S5_REJECT(B(S5N, 0x12, 0x06, 0x02, 0x0d, 'a', 0x00)); /* a string, not an integer */
	S5_REJECT(B(S5N, 0x0a, 0x05));                       /* not a package */
	S5_REJECT(B(0x10, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x00)); /* no NameOp */
	S5_REJECT(B('_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x00));       /* name at offset 0 */
	S5_REJECT(B(S5N, 0x12, 0x00, 0x02, 0x00, 0x00));     /* PkgLength 0 */
	S5_REJECT(B(S5N, 0x12, 0x70, 0x02, 0x00, 0x00));     /* reserved bits set */
	uint8_t a, b;
	assert_int_equal(acpi_find_s5(NULL, 10, &a, &b), -1);
	assert_int_equal(acpi_find_s5((const uint8_t *)"", 0, &a, &b), -1);
	assert_int_equal(acpi_find_s5((const uint8_t *)"_S5", 3, &a, &b), -1);
}

static void test_s5_in_parsed_dsdt(void **state)
{
	(void)state;
	const uint8_t aml[] = { 0x10, 0x05, 0x5c, 0x00, S5N, 0x12, 0x08, 0x04,
				0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
	build_dsdt(DSDT_AT, aml, sizeof(aml));
	assert_int_equal(parse(RSDP_AT), 0);
	assert_true(info.has_s5);
	assert_int_equal(info.slp_typa, 5);
	assert_int_equal(info.slp_typb, 5);
	build_dsdt(DSDT_AT, aml, 4); /* no _S5 at all */
	assert_int_equal(parse(RSDP_AT), 0);
	assert_false(info.has_s5);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Random corruption of a valid table set, checksums fixed up so the parsers see the garbage. */
static void test_fuzz_tables(void **state)
{
	(void)state;
	static const uint64_t tables[] = { XSDT_AT, MADT_AT, FADT_AT, DSDT_AT, HPET_AT, MCFG_AT };
	uint32_t seed = 777;
	for (int iter = 0; iter < 3000; iter++) {
		setup_std(NULL);
		uint64_t t = tables[lcg(&seed) % N(tables)];
		uint32_t len = at(t)[4] | at(t)[5] << 8;
		int flips = 1 + lcg(&seed) % 8;
		for (int k = 0; k < flips; k++) {
			uint32_t off = lcg(&seed) % (len + 8);
			at(t)[off] = (uint8_t)lcg(&seed);
		}
		if (lcg(&seed) % 4) {
			uint32_t newlen = at(t)[4] | at(t)[5] << 8 | at(t)[6] << 16 | (uint32_t)at(t)[7] << 24;
			if (newlen >= 10 && newlen <= MEM_SIZE - (t - MEM_BASE))
				seal(t);
		}
		if (t == FADT_AT || t == XSDT_AT) {
			build_rsdp(2, RSDT_AT, XSDT_AT);
		}
		int rc = parse(RSDP_AT);
		assert_true(rc == 0 || rc == -1);
		assert_true(info.cpu_count <= ACPI_MAX_CPUS);
		assert_true(info.ioapic_count <= ACPI_MAX_IOAPICS);
		assert_true(info.override_count <= ACPI_MAX_OVERRIDES);
		assert_true(strlen(err) < sizeof(err));
	}
}

static void test_fuzz_s5(void **state)
{
	(void)state;
	uint32_t seed = 99;
	uint8_t buf[64];
	int found = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = lcg(&seed) % sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(lcg(&seed) % 4 ? lcg(&seed) % 0x16 : lcg(&seed));
		if (len > 6) {
			size_t p = lcg(&seed) % (len - 5);
			memcpy(buf + p, (const uint8_t[]){ S5N, 0x12 }, 6);
		}
		uint8_t a, b;
		found += s5(buf, len, &a, &b) == 0;
	}
	assert_true(found > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_v2_xsdt_full, setup_std),
		cmocka_unit_test_setup(test_v1_rsdt, setup_std),
		cmocka_unit_test_setup(test_xsdt_bad_falls_back_to_rsdt, setup_std),
		cmocka_unit_test_setup(test_rsdp_errors, setup_std),
		cmocka_unit_test_setup(test_rsdp_at_end_of_memory, setup_std),
		cmocka_unit_test_setup(test_no_valid_root, setup_std),
		cmocka_unit_test_setup(test_bad_table_checksum_skipped, setup_std),
		cmocka_unit_test_setup(test_table_length_past_memory, setup_std),
		cmocka_unit_test_setup(test_root_entry_unmapped, setup_std),
		cmocka_unit_test_setup(test_truncated_tables, setup_std),
		cmocka_unit_test_setup(test_madt_zero_length_entry, setup_std),
		cmocka_unit_test_setup(test_madt_entry_past_end, setup_std),
		cmocka_unit_test_setup(test_madt_short_entries_skipped, setup_std),
		cmocka_unit_test_setup(test_madt_limits, setup_std),
		cmocka_unit_test_setup(test_madt_lapic_override, setup_std),
		cmocka_unit_test_setup(test_fadt_without_reset_reg, setup_std),
		cmocka_unit_test_setup(test_fadt_acpi1, setup_std),
		cmocka_unit_test_setup(test_fadt_x_fields, setup_std),
		cmocka_unit_test_setup(test_dsdt_bad, setup_std),
		cmocka_unit_test_setup(test_err_buffer_bounded, setup_std),
		cmocka_unit_test(test_s5_encodings),
		cmocka_unit_test(test_s5_rejects),
		cmocka_unit_test_setup(test_s5_in_parsed_dsdt, setup_std),
		cmocka_unit_test(test_fuzz_tables),
		cmocka_unit_test(test_fuzz_s5),
	};
	return cmocka_run_group_tests_name("acpi_tables", tests, NULL, NULL);
}
