/* Host unit tests of the per-VM ACPI tables: parsed back with drivers/acpi, every field checked against ACPI 6.4. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/acpi/acpi.h"
#include "hypervisor/dev/acpi_build.h"
#include "hypervisor/dev/platform.h"

/*
 * Expected values are the spec's and the platform's literal numbers (ACPI
 * 6.4 section 5.2; the ports of the PC platform: PM block at 0x600, COM1
 * 0x3F8, IOAPIC 0xFEC00000, LAPIC 0xFEE00000), not the builder's constants.
 */
#define BASE 0xE0000ull
#define AREA 0x10000u /* the e820-reserved ACPI area */

static uint8_t mem[AREA];
static size_t built;

static const void *map(uint64_t phys, size_t len)
{
	if (phys < BASE || len > built || phys - BASE > built - len)
		return NULL; /* only the bytes acpi_build said it wrote */
	return mem + (phys - BASE);
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static const uint8_t *at(uint64_t phys)
{
	assert_true(phys >= BASE && phys < BASE + built);
	return mem + (phys - BASE);
}

static void build(uint32_t vcpus, struct acpi_info *info)
{
	char err[256];

	memset(mem, 0xa5, sizeof(mem));
	built = acpi_build(mem, sizeof(mem), BASE, vcpus);
	assert_true(built > 0 && built <= AREA);
	assert_int_equal(acpi_parse(BASE, map, info, err, sizeof(err)), 0);
	if (err[0])
		fail_msg("parser complained: %s", err);
}

/* The table the XSDT lists with signature `sig` (5.2.8). */
static const uint8_t *xsdt_table(const char *sig)
{
	const uint8_t *x = at(rd64(mem + 24));
	uint32_t n = (rd32(x + 4) - 36) / 8;

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *t = at(rd64(x + 36 + 8 * i));
		if (memcmp(t, sig, 4) == 0)
			return t;
	}
	fail_msg("%s not in the XSDT", sig);
	return NULL;
}

/* 5.2.5.3 RSDP and 5.2.8 XSDT. */
static void test_rsdp_and_xsdt(void **state)
{
	struct acpi_info info;
	const uint8_t *x;

	(void)state;
	build(2, &info);
	assert_memory_equal(mem, "RSD PTR ", 8);
	assert_int_equal(sum(mem, 20), 0);
	assert_int_equal(mem[15], 2);                /* revision 2: ACPI 2.0+ */
	assert_int_equal(rd32(mem + 20), 36);        /* Length */
	assert_int_equal(sum(mem, 36), 0);           /* extended checksum */
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem_id, "BULWRK");
	x = at(rd64(mem + 24));
	assert_memory_equal(x, "XSDT", 4);
	assert_int_equal(x[8], 1);                   /* XSDT revision 1 */
	assert_int_equal(rd32(x + 4), 36 + 2 * 8);
	assert_int_equal(info.table_count, 2);       /* FADT and MADT */
	assert_int_equal(BASE % 16, 0);
}

/* 5.2.12 MADT with 5.2.12.2/3/5/7 entries. */
static void check_madt(uint32_t vcpus)
{
	struct acpi_info info;
	const uint8_t *m, *e;

	build(vcpus, &info);
	assert_int_equal(info.lapic_address, 0xFEE00000);
	assert_true(info.has_8259);
	assert_int_equal(info.cpu_count, vcpus);
	for (uint32_t i = 0; i < vcpus; i++) {
		assert_int_equal(info.cpus[i].apic_id, i);
		assert_int_equal(info.cpus[i].acpi_uid, i);
		assert_true(info.cpus[i].enabled);
	}
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, vcpus); /* the id after the last vCPU */
	assert_int_equal(info.ioapics[0].address, 0xFEC00000);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.override_count, 2);
	assert_int_equal(info.overrides[0].source_irq, 0); /* the PIT: IRQ0 -> GSI2, bus-conforming */
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_int_equal(info.overrides[0].flags, 0);
	assert_int_equal(info.overrides[1].source_irq, 9); /* the SCI: GSI 9, active high (01), level (11 << 2) */
	assert_int_equal(info.overrides[1].gsi, 9);
	assert_int_equal(info.overrides[1].flags, 0x000D);
	m = xsdt_table("APIC");
	assert_int_equal(m[8], 5);                   /* MADT revision 5 (ACPI 6.4) */
	assert_int_equal(rd32(m + 4), 44 + 8 * vcpus + 12 + 10 + 10 + 6);
	e = m + rd32(m + 4) - 6;                     /* the Local APIC NMI entry comes last */
	assert_int_equal(e[0], 4);
	assert_int_equal(e[1], 6);
	assert_int_equal(e[2], 0xFF);                /* every processor */
	assert_int_equal(e[5], 1);                   /* LINT1 */
	assert_int_equal(m[44 + 1], 8);              /* the first entry is a Processor Local APIC */
	assert_int_equal(m[44 + 8 * vcpus], 1);      /* then the IOAPIC */
}

static void test_madt(void **state)
{
	(void)state;
	check_madt(1);
	check_madt(2);
	check_madt(8);
	check_madt(64); /* as many as drivers/acpi records (ACPI_MAX_CPUS) */
}

/* 5.2.9 FADT revision 6.4, 5.2.10 FACS. */
static void test_fadt_and_facs(void **state)
{
	struct acpi_info info;
	const uint8_t *f, *facs;
	uint32_t flags;

	(void)state;
	build(2, &info);
	assert_true(info.has_fadt);
	f = xsdt_table("FACP");
	assert_int_equal(rd32(f + 4), 276);
	assert_int_equal(f[8], 6);                    /* major version 6 */
	assert_int_equal(f[131], 4);                  /* minor version: 6.4 */
	assert_int_equal(rd16(f + 46), 9);            /* SCI_INT */
	assert_int_equal(rd32(f + 48), 0);            /* SMI_CMD: no legacy mode, ACPI always on */
	assert_int_equal(f[52] | f[53], 0);           /* ACPI_ENABLE / ACPI_DISABLE */
	assert_int_equal(rd32(f + 56), 0x600);        /* PM1a_EVT_BLK */
	assert_int_equal(rd32(f + 60), 0);            /* no PM1b */
	assert_int_equal(rd32(f + 64), 0x604);        /* PM1a_CNT_BLK */
	assert_int_equal(info.pm1a_cnt, 0x604);
	assert_int_equal(info.pm1b_cnt, 0);
	assert_int_equal(rd32(f + 72), 0);            /* no PM2 */
	assert_int_equal(rd32(f + 76), 0x608);        /* PM_TMR_BLK */
	assert_int_equal(rd32(f + 80), 0x620);        /* GPE0_BLK */
	assert_int_equal(f[88], 4);                   /* PM1_EVT_LEN */
	assert_int_equal(f[89], 2);                   /* PM1_CNT_LEN */
	assert_int_equal(f[91], 4);                   /* PM_TMR_LEN */
	assert_int_equal(f[92], 4);                   /* GPE0_BLK_LEN */
	assert_true(rd16(f + 96) > 100 && rd16(f + 98) > 1000); /* no C2, no C3 */
	assert_int_equal(f[108], 0x32);               /* CENTURY: CMOS index 0x32 */
	assert_int_equal(rd16(f + 109) & 0x2, 0);     /* no 8042 declared */
	assert_int_equal(rd16(f + 109) & 0x1, 1);     /* legacy devices (RTC, UART) */
	flags = rd32(f + 112);
	assert_int_equal(flags & (1u << 0), 1u << 0); /* WBINVD */
	assert_int_equal(flags & (1u << 4), 0);       /* PWR_BUTTON clear: a fixed-feature power button */
	assert_int_equal(flags & (1u << 8), 0);       /* TMR_VAL_EXT clear: 24-bit PM timer */
	assert_int_equal(flags & (1u << 10), 1u << 10); /* RESET_REG_SUP */
	assert_int_equal(flags & (1u << 20), 0);      /* not HW_REDUCED_ACPI */
	assert_true(info.has_reset_reg);
	assert_int_equal(info.reset_reg.space_id, 1); /* system I/O */
	assert_int_equal(info.reset_reg.bit_width, 8);
	assert_int_equal(info.reset_reg.address, 0xCF9);
	assert_int_equal(info.reset_value, 6);
	assert_int_equal(rd32(f + 40), rd64(f + 140)); /* DSDT == X_DSDT */
	assert_int_equal(info.dsdt, rd64(f + 140));
	/* X_ blocks: system I/O, widths = the legacy lengths in bits */
	assert_int_equal(f[148], 1);
	assert_int_equal(f[149], 32);
	assert_int_equal(rd64(f + 152), 0x600);
	assert_int_equal(f[172], 1);
	assert_int_equal(f[173], 16);
	assert_int_equal(rd64(f + 176), 0x604);
	assert_int_equal(f[208], 1);
	assert_int_equal(f[209], 32);
	assert_int_equal(rd64(f + 212), 0x608);
	assert_int_equal(f[220], 1);
	assert_int_equal(f[221], 32);
	assert_int_equal(rd64(f + 224), 0x620);
	assert_int_equal(rd64(f + 160) | rd64(f + 184) | rd64(f + 232), 0); /* no PM1b, no GPE1 */
	/* FACS: both pointers agree, 64-byte aligned, version 2 */
	assert_int_equal(rd32(f + 36), rd64(f + 132));
	assert_int_equal(rd32(f + 36) % 64, 0);
	facs = at(rd32(f + 36));
	assert_memory_equal(facs, "FACS", 4);
	assert_int_equal(rd32(facs + 4), 64);
	assert_int_equal(facs[32], 2);
	assert_int_equal(rd32(facs + 16), 0);         /* global lock free */
}

/* The DSDT from dsdt.asl: valid header and checksum, \_S5, the COM1 and RTC devices with their resources. */
static void test_dsdt(void **state)
{
	static const uint8_t pnp0501[] = { 0x0C, 0x41, 0xD0, 0x05, 0x01 }; /* DWordConst EisaId("PNP0501") */
	static const uint8_t pnp0b00[] = { 0x0C, 0x41, 0xD0, 0x0B, 0x00 }; /* EisaId("PNP0B00") */
	/* 6.4.2.5 IO descriptor: 0x47, decode16, min 0x3F8, max 0x3F8, align 1, length 8; 6.4.2.1 IRQ: mask 1 << 4 */
	static const uint8_t com1_io[] = { 0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08, 0x22, 0x10, 0x00 };
	static const uint8_t rtc_io[] = { 0x47, 0x01, 0x70, 0x00, 0x70, 0x00, 0x01, 0x02, 0x22, 0x00, 0x01 };
	struct acpi_info info;
	const uint8_t *d;
	uint32_t len;

	(void)state;
	build(2, &info);
	d = at(info.dsdt);
	len = rd32(d + 4);
	assert_memory_equal(d, "DSDT", 4);
	assert_int_equal(d[8], 2);                     /* 64-bit integers */
	assert_int_equal(sum(d, len), 0);
	assert_true(info.dsdt + len <= BASE + built);
	assert_true(info.has_s5);
	assert_int_equal(info.slp_typa, 5);
	assert_int_equal(info.slp_typb, 5);
	assert_non_null(memmem(d, len, pnp0501, sizeof(pnp0501)));
	assert_non_null(memmem(d, len, pnp0b00, sizeof(pnp0b00)));
	assert_non_null(memmem(d, len, com1_io, sizeof(com1_io)));
	assert_non_null(memmem(d, len, rtc_io, sizeof(rtc_io)));
}

/*
 * The eight virtio-mmio slots: "LNRO0005" devices whose _CRS hold a 32-bit
 * fixed memory range (ACPI 6.4 6.4.3.4: 0x86, length 9, read/write, base,
 * 4 KiB) at 0xFEB00000 + n * 0x1000 and one extended interrupt (6.4.3.6:
 * 0x89, length 6, flags 0x01 = consumer, level, active high, exclusive) on
 * GSI 16 + n, the same numbers as platform.h, which the device models use.
 */
static void test_dsdt_virtio_slots(void **state)
{
	static const uint8_t hid[] = { 0x0D, 'L', 'N', 'R', 'O', '0', '0', '0', '5', 0x00 }; /* String "LNRO0005" */
	struct acpi_info info;
	const uint8_t *d, *p;
	uint32_t len, found = 0;

	(void)state;
	build(2, &info);
	d = at(info.dsdt);
	len = rd32(d + 4);
	for (p = d; (p = memmem(p, len - (uint32_t)(p - d), hid, sizeof(hid))); p += sizeof(hid))
		found++;
	assert_int_equal(found, 8);
	assert_int_equal(PLAT_VIRTIO_MMIO_SLOTS, 8);
	for (uint32_t n = 0; n < 8; n++) {
		uint32_t base = 0xFEB00000u + n * 0x1000u, gsi = 16 + n;
		uint8_t mem32[12] = { 0x86, 0x09, 0x00, 0x01 }, irq[9] = { 0x89, 0x06, 0x00, 0x01, 0x01 };
		assert_int_equal(base, PLAT_VIRTIO_MMIO_BASE + n * PLAT_VIRTIO_MMIO_SLOT);
		assert_int_equal(gsi, PLAT_GSI_VIRTIO_FIRST + n);
		for (unsigned i = 0; i < 4; i++) {
			mem32[4 + i] = (uint8_t)(base >> (8 * i));
			mem32[8 + i] = (uint8_t)(0x1000u >> (8 * i));
			irq[5 + i] = (uint8_t)(gsi >> (8 * i));
		}
		p = memmem(d, len, mem32, sizeof(mem32));
		assert_non_null(p);
		assert_memory_equal(p + sizeof(mem32), irq, sizeof(irq)); /* the interrupt follows the memory range */
	}
}

/* Bad arguments: 0, and not one byte of the buffer written. */
static void test_bad_arguments(void **state)
{
	uint8_t small[512];
	size_t need;

	(void)state;
	memset(mem, 0xa5, sizeof(mem));
	assert_int_equal(acpi_build(mem, sizeof(mem), BASE, 0), 0);
	assert_int_equal(acpi_build(mem, sizeof(mem), BASE, ACPI_BUILD_MAX_VCPUS + 1), 0);
	assert_int_equal(acpi_build(mem, sizeof(mem), BASE + 8, 2), 0);        /* RSDP not 16-byte aligned */
	assert_int_equal(acpi_build(mem, sizeof(mem), 0xFFFFFF00ull, 2), 0);   /* would cross 4 GiB */
	assert_int_equal(acpi_build(NULL, sizeof(mem), BASE, 2), 0);
	for (size_t i = 0; i < sizeof(mem); i++)
		if (mem[i] != 0xa5)
			fail_msg("byte %zu written by a refused build", i);
	need = acpi_build(mem, sizeof(mem), BASE, 2);
	assert_true(need > sizeof(small));             /* so the next call must refuse */
	memset(small, 0x5a, sizeof(small));
	assert_int_equal(acpi_build(small, sizeof(small), BASE, 2), 0);
	for (size_t i = 0; i < sizeof(small); i++)
		assert_int_equal(small[i], 0x5a);
	assert_int_equal(acpi_build(mem, need, BASE, 2), need);     /* exactly enough */
	assert_int_equal(acpi_build(mem, need - 1, BASE, 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp_and_xsdt),
		cmocka_unit_test(test_madt),
		cmocka_unit_test(test_fadt_and_facs),
		cmocka_unit_test(test_dsdt),
		cmocka_unit_test(test_dsdt_virtio_slots),
		cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
