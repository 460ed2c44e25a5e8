/* ACPI table parsing: RSDP, RSDT/XSDT, MADT, FADT, HPET and MCFG, all bounds-checked. */
/* SPDX-License-Identifier: MIT */
#include "drivers/acpi/acpi.h"

#include <string.h>

/*
 * Every table is read through the caller's map(phys, len), which returns a
 * readable pointer to `len` bytes or NULL. The parser never reads a byte it
 * did not ask map() for: the header is mapped first, its length is bounded,
 * then the whole table is mapped and checksummed before any field is used.
 * Offsets below are from ACPI 6.5.
 */

#define ACPI_HDR_LEN 36u               /* 5.2.6 System Description Table Header */
#define ACPI_MAX_TABLE_LEN (16u << 20) /* no real table comes near; DSDTs are ~100 KiB */
#define ACPI_MAX_ENTRIES 1024u         /* RSDT/XSDT entries looked at */
#define RSDP_V1_LEN 20u                /* 5.2.5.3 RSDP structure */
#define RSDP_V2_MIN_LEN 36u
#define RSDP_MAX_LEN 4096u

struct acpi_ctx {
	const void *(*map)(uint64_t phys, size_t len);
	struct acpi_info *out;
	char *err;
	size_t errlen;
	uint32_t full; /* which MADT arrays overflowed, so each is reported once */
};


static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Appends `s` to the error text, separating messages with "; ". */
static void err_add(struct acpi_ctx *c, const char *s)
{
	size_t n;

	if (!c->err || c->errlen == 0)
		return;
	n = strnlen(c->err, c->errlen - 1);
	if (n && n + 2 < c->errlen) {
		memcpy(c->err + n, "; ", 2);
		n += 2;
	}
	while (*s && n + 1 < c->errlen)
		c->err[n++] = *s++;
	c->err[n] = '\0';
}

enum { FULL_CPUS = 1, FULL_IOAPICS = 2, FULL_OVERRIDES = 4 };

/* Reports a full array the first time it overflows. */
static void err_full(struct acpi_ctx *c, uint32_t which, const char *msg)
{
	if (!(c->full & which))
		err_add(c, msg);
	c->full |= which;
}

/* Appends "SIG at 0xADDR: why" for a table that is skipped. */
static void err_table(struct acpi_ctx *c, const char *sig, uint64_t phys, const char *why)
{
	char buf[96], *p = buf;
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 4; i++)
		*p++ = (sig[i] >= 0x20 && sig[i] < 0x7f) ? sig[i] : '?';
	memcpy(p, " at 0x", 6);
	p += 6;
	for (int sh = 60; sh >= 0; sh -= 4)
		if ((phys >> sh) || sh == 0)
			*p++ = hex[(phys >> sh) & 15];
	*p++ = ':';
	*p++ = ' ';
	while (*why && p < buf + sizeof(buf) - 1)
		*p++ = *why++;
	*p = '\0';
	err_add(c, buf);
}

/*
 * Maps and validates the table at `phys` (5.2.6): header readable, length in
 * [ACPI_HDR_LEN, ACPI_MAX_TABLE_LEN], whole table readable, checksum zero,
 * signature `want` if not NULL. Returns the table, or NULL after naming it in err.
 */
static const uint8_t *table_get(struct acpi_ctx *c, uint64_t phys, const char *want, uint32_t *len)
{
	const uint8_t *h, *t;
	char sig[4];

	memcpy(sig, want ? want : "????", 4);
	if (phys == 0 || !(h = c->map(phys, ACPI_HDR_LEN))) {
		err_table(c, sig, phys, "header not readable");
		return NULL;
	}
	memcpy(sig, h, 4);
	if (want && memcmp(h, want, 4) != 0) {
		err_table(c, want, phys, "wrong signature");
		return NULL;
	}
	*len = rd32(h + 4);
	if (*len < ACPI_HDR_LEN || *len > ACPI_MAX_TABLE_LEN) {
		err_table(c, sig, phys, "bad length");
		return NULL;
	}
	if (!(t = c->map(phys, *len))) {
		err_table(c, sig, phys, "length past mapped memory");
		return NULL;
	}
	if (sum8(t, *len) != 0) {
		err_table(c, sig, phys, "bad checksum");
		return NULL;
	}
	return t;
}

/* Records a CPU unless its APIC ID is already known (firmware may list both LAPIC and x2APIC). */
static void madt_add_cpu(struct acpi_ctx *c, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	struct acpi_info *o = c->out;

	for (uint32_t i = 0; i < o->cpu_count; i++)
		if (o->cpus[i].apic_id == apic_id)
			return;
	if (o->cpu_count == ACPI_MAX_CPUS) {
		err_full(c, FULL_CPUS, "APIC: more CPUs than ACPI_MAX_CPUS, rest ignored");
		return;
	}
	o->cpus[o->cpu_count++] = (struct acpi_cpu){
		.apic_id = apic_id,
		.acpi_uid = uid,
		.enabled = flags & 1,
		.online_capable = (flags >> 1) & 1,
	};
}

static void madt_add_ioapic(struct acpi_ctx *c, const uint8_t *e)
{
	struct acpi_info *o = c->out;

	if (o->ioapic_count == ACPI_MAX_IOAPICS) {
		err_full(c, FULL_IOAPICS, "APIC: more IOAPICs than ACPI_MAX_IOAPICS, rest ignored");
		return;
	}
	o->ioapics[o->ioapic_count++] = (struct acpi_ioapic){
		.id = e[2], .address = rd32(e + 4), .gsi_base = rd32(e + 8),
	};
}

static void madt_add_override(struct acpi_ctx *c, const uint8_t *e)
{
	struct acpi_info *o = c->out;

	if (o->override_count == ACPI_MAX_OVERRIDES) {
		err_full(c, FULL_OVERRIDES, "APIC: more overrides than ACPI_MAX_OVERRIDES, rest ignored");
		return;
	}
	o->overrides[o->override_count++] = (struct acpi_override){
		.source_irq = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8),
	};
}

/* Minimum length of each interrupt controller structure we read (5.2.12.2-5.2.12.12). */
static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case 0: return 8;   /* 5.2.12.2 Processor Local APIC */
	case 1: return 12;  /* 5.2.12.3 I/O APIC */
	case 2: return 10;  /* 5.2.12.5 Interrupt Source Override */
	case 5: return 12;  /* 5.2.12.8 Local APIC Address Override */
	case 9: return 16;  /* 5.2.12.12 Processor Local x2APIC */
	default: return 2;
	}
}

static void madt_entry(struct acpi_ctx *c, const uint8_t *e)
{
	switch (e[0]) {
	case 0: madt_add_cpu(c, e[3], e[2], rd32(e + 4)); break;
	case 1: madt_add_ioapic(c, e); break;
	case 2: madt_add_override(c, e); break;
	case 5: c->out->lapic_address = rd64(e + 4); break;
	case 9: madt_add_cpu(c, rd32(e + 4), rd32(e + 12), rd32(e + 8)); break;
	default: break;
	}
}

/*
 * 5.2.12 MADT: local APIC address at 36, flags at 40 (bit 0 PCAT_COMPAT),
 * then entries of {type, length, ...} up to the table's length. A length
 * below 2 stops the walk (it could never advance); an entry running past the
 * table or shorter than its type needs is reported and not read.
 */
static void parse_madt(struct acpi_ctx *c, const uint8_t *t, uint32_t len)
{
	uint32_t off = 44;
	int lapic_override = 0;

	if (len < 44) {
		err_add(c, "APIC: table too short");
		return;
	}
	c->out->has_8259 = rd32(t + 40) & 1;
	while (off + 2 <= len) {
		const uint8_t *e = t + off;
		if (e[1] < 2) {
			err_add(c, "APIC: entry with length < 2, walk stopped");
			return;
		}
		if (e[1] > len - off) {
			err_add(c, "APIC: entry runs past the table, walk stopped");
			return;
		}
		if (e[1] < madt_min_len(e[0]))
			err_add(c, "APIC: entry shorter than its type, skipped");
		else
			madt_entry(c, e);
		lapic_override |= e[1] >= 12 && e[0] == 5;
		off += e[1];
	}
	if (!lapic_override)
		c->out->lapic_address = rd32(t + 36);
}

/* A generic address structure, 5.2.3.2. */
static struct acpi_gas read_gas(const uint8_t *p)
{
	return (struct acpi_gas){
		.space_id = p[0], .bit_width = p[1], .bit_offset = p[2],
		.access_size = p[3], .address = rd64(p + 4),
	};
}

/* A PM1 control port: the X_ GAS when present and in I/O space, else the 32-bit block. */
static uint32_t fadt_pm1_port(const uint8_t *t, uint32_t len, uint32_t legacy_off, uint32_t x_off)
{
	if (len >= x_off + 12) {
		struct acpi_gas g = read_gas(t + x_off);
		if (g.address && g.space_id == 1 && g.address <= 0xffff)
			return (uint32_t)g.address;
	}
	return len >= legacy_off + 4 ? rd32(t + legacy_off) : 0;
}

/*
 * 5.2.9 FADT: DSDT at 40, PM1a_CNT_BLK 64, PM1b_CNT_BLK 68, Flags 112
 * (bit 10 RESET_REG_SUP), RESET_REG 116, RESET_VALUE 128, X_DSDT 140,
 * X_PM1a_CNT_BLK 172, X_PM1b_CNT_BLK 184. Fields past the table's length
 * (older revisions are shorter) are treated as absent.
 */
static void parse_fadt(struct acpi_ctx *c, const uint8_t *t, uint32_t len)
{
	struct acpi_info *o = c->out;

	if (len < 72) {
		err_add(c, "FACP: table too short");
		return;
	}
	o->has_fadt = true;
	o->pm1a_cnt = fadt_pm1_port(t, len, 64, 172);
	o->pm1b_cnt = fadt_pm1_port(t, len, 68, 184);
	if (len >= 129 && (rd32(t + 112) & (1u << 10))) {
		o->reset_reg = read_gas(t + 116);
		o->reset_value = t[128];
		o->has_reset_reg = o->reset_reg.address != 0;
	}
	o->dsdt = (len >= 148 && rd64(t + 140)) ? rd64(t + 140) : rd32(t + 40);
}

/* IA-PC HPET spec 3.2.4: the event timer block's GAS starts at offset 40. */
static void parse_hpet(struct acpi_ctx *c, const uint8_t *t, uint32_t len)
{
	if (len < 52) {
		err_add(c, "HPET: table too short");
		return;
	}
	if (t[40] == 0) /* memory space */
		c->out->hpet_address = rd64(t + 44);
}

/* PCI Firmware spec 4.1.2 MCFG: 16-byte allocations from offset 44; segment at +8. */
static void parse_mcfg(struct acpi_ctx *c, const uint8_t *t, uint32_t len)
{
	for (uint32_t off = 44; off + 16 <= len; off += 16)
		if (rd16(t + off + 8) == 0) {
			c->out->mcfg_address = rd64(t + off);
			return;
		}
}

static void parse_dsdt(struct acpi_ctx *c)
{
	uint32_t len;
	const uint8_t *t = table_get(c, c->out->dsdt, "DSDT", &len);

	if (!t)
		return;
	c->out->has_s5 = acpi_find_s5(t + ACPI_HDR_LEN, len - ACPI_HDR_LEN, &c->out->slp_typa,
				      &c->out->slp_typb) == 0;
}

/* Validates one table the root table points at and hands it to its parser; first one wins. */
static void parse_table(struct acpi_ctx *c, uint64_t phys, uint32_t *seen)
{
	static const struct {
		char sig[5];
		void (*parse)(struct acpi_ctx *, const uint8_t *, uint32_t);
	} parsers[] = {
		{ "APIC", parse_madt }, { "FACP", parse_fadt },
		{ "HPET", parse_hpet }, { "MCFG", parse_mcfg },
	};
	uint32_t len;
	const uint8_t *t = table_get(c, phys, NULL, &len);

	if (!t)
		return;
	c->out->table_count++;
	for (uint32_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (memcmp(t, parsers[i].sig, 4) == 0 && !(*seen & (1u << i))) {
			*seen |= 1u << i;
			parsers[i].parse(c, t, len);
		}
}

/* 5.2.7 RSDT (4-byte entries) / 5.2.8 XSDT (8-byte entries). Returns -1 if the root is bad. */
static int parse_root(struct acpi_ctx *c, uint64_t phys, int xsdt)
{
	uint32_t len, n, width = xsdt ? 8 : 4, seen = 0;
	const uint8_t *t = table_get(c, phys, xsdt ? "XSDT" : "RSDT", &len);
	uint64_t entries[64];

	if (!t)
		return -1;
	n = (len - ACPI_HDR_LEN) / width;
	if (n > ACPI_MAX_ENTRIES)
		n = ACPI_MAX_ENTRIES;
	/* map() may reuse its window, so copy a batch of addresses out before mapping tables. */
	for (uint32_t base = 0; base < n; base += 64) {
		uint32_t batch = n - base < 64 ? n - base : 64;
		if (!(t = c->map(phys, len))) {
			err_table(c, xsdt ? "XSDT" : "RSDT", phys, "unmapped during the walk");
			return 0;
		}
		for (uint32_t i = 0; i < batch; i++) {
			const uint8_t *p = t + ACPI_HDR_LEN + (base + i) * width;
			entries[i] = xsdt ? rd64(p) : rd32(p);
		}
		for (uint32_t i = 0; i < batch; i++)
			parse_table(c, entries[i], &seen);
	}
	return 0;
}

/*
 * 5.2.5.3 RSDP: "RSD PTR ", checksum over the first 20 bytes; revision >= 2
 * adds Length (at 20), XsdtAddress (at 24) and an extended checksum over Length.
 * Returns the revision, or -1.
 */
static int parse_rsdp(struct acpi_ctx *c, uint64_t phys, uint64_t *rsdt, uint64_t *xsdt)
{
	const uint8_t *r = phys ? c->map(phys, RSDP_V1_LEN) : NULL;
	uint8_t rev;
	uint32_t len;

	if (!r)
		return err_add(c, "RSDP: not readable"), -1;
	if (memcmp(r, "RSD PTR ", 8) != 0)
		return err_add(c, "RSDP: bad signature"), -1;
	if (sum8(r, RSDP_V1_LEN) != 0)
		return err_add(c, "RSDP: bad checksum"), -1;
	rev = r[15];
	memcpy(c->out->oem_id, r + 9, 6);
	c->out->oem_id[6] = '\0';
	*rsdt = rd32(r + 16);
	*xsdt = 0;
	if (rev < 2)
		return rev;
	if (!(r = c->map(phys, RSDP_V2_MIN_LEN)))
		return err_add(c, "RSDP: extended part not readable"), -1;
	len = rd32(r + 20);
	if (len < RSDP_V2_MIN_LEN || len > RSDP_MAX_LEN || !(r = c->map(phys, len)))
		return err_add(c, "RSDP: bad length"), -1;
	if (sum8(r, len) != 0)
		return err_add(c, "RSDP: bad extended checksum"), -1;
	*xsdt = rd64(r + 24);
	return rev;
}

int acpi_parse(uint64_t rsdp, const void *(*map)(uint64_t phys, size_t len),
	       struct acpi_info *out, char *err, size_t errlen)
{
	struct acpi_ctx c = { .map = map, .out = out, .err = err, .errlen = errlen };
	uint64_t rsdt, xsdt;
	int rev;

	if (err && errlen)
		err[0] = '\0';
	if (!out || !map)
		return err_add(&c, "acpi_parse: no output or map function"), -1;
	memset(out, 0, sizeof(*out));
	rev = parse_rsdp(&c, rsdp, &rsdt, &xsdt);
	if (rev < 0)
		return -1;
	out->revision = (uint8_t)rev;
	if (!(xsdt && parse_root(&c, xsdt, 1) == 0) && parse_root(&c, rsdt, 0) < 0)
		return err_add(&c, "no valid RSDT or XSDT"), -1;
	if (out->has_fadt)
		parse_dsdt(&c);
	return 0;
}
