/* Guest page-table walk (none, 32-bit, PAE, 4-level paging) reading every entry through the VM's RAM. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/emul/gwalk.h"

/* Control bits, SDM Vol 3A 2.5 and 2.2.1. */
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LMA (1ull << 10)

/* Paging-structure entries, SDM Vol 3A 4.3 (tables 4-4 to 4-6), 4.4.2 (4-8 to 4-11), 4.5.4 (4-15 to 4-20). */
#define PTE_P 0x1ull
#define PTE_PS 0x80ull
#define ADDR_52 0x000ffffffffff000ull  /* bits 51:12: MAXPHYADDR is at most 52 */

#define PAGE 0x1000ull

static int fail(struct gwalk_fault *f, int err, int level, uint64_t gpa, uint64_t entry)
{
	f->err = err;
	f->level = level;
	f->entry_gpa = gpa;
	f->entry = entry;
	return -1;
}

/* Reads an entry of `size` bytes (4 or 8) at gpa. */
static int entry_at(const struct gwalk_ram *ram, uint64_t gpa, unsigned size, int level, uint64_t *e,
		    struct gwalk_fault *f)
{
	const uint8_t *p = ram->map(ram->ctx, gpa, size);

	if (!p)
		return fail(f, GWALK_OUTSIDE_RAM, level, gpa, 0);
	*e = 0;
	memcpy(e, p, size); /* x86 is little-endian */
	if (!(*e & PTE_P))
		return fail(f, GWALK_NOT_PRESENT, level, gpa, *e);
	return 0;
}

/* 32-bit paging, SDM Vol 3A 4.3: 4-byte entries, PDE bits 31:22 index, PTE 21:12; 4 MiB pages with CR4.PSE (PSE-36 bits 20:13). */
static int walk32(const struct gwalk_ram *ram, const struct vcpu_regs *r, uint32_t la, uint64_t *gpa,
		  struct gwalk_fault *f)
{
	uint64_t pde, pte, at = (r->cr3 & 0xfffff000ull) + ((la >> 22) << 2);

	if (entry_at(ram, at, 4, 2, &pde, f))
		return -1;
	if ((pde & PTE_PS) && (r->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000ull) | ((pde >> 13) & 0xffull) << 32 | (la & 0x3fffff);
		return 0;
	}
	at = (pde & 0xfffff000ull) + (((la >> 12) & 0x3ff) << 2);
	if (entry_at(ram, at, 4, 1, &pte, f))
		return -1;
	*gpa = (pte & 0xfffff000ull) | (la & 0xfff);
	return 0;
}

/*
 * PAE (SDM Vol 3A 4.4) and 4-level paging (4.5): 8-byte entries, 9 index bits a
 * level. PAE starts at the 4 PDPTEs at CR3 bits 31:5 (indexed by bits 31:30),
 * where PS is not a page size; 4-level at the PML4 at CR3 bits 51:12.
 */
static int walk64(const struct gwalk_ram *ram, const struct vcpu_regs *r, uint64_t la, bool pae, uint64_t *gpa,
		  struct gwalk_fault *f)
{
	int level = pae ? 3 : 4;
	uint64_t e, at;

	if (pae)
		at = (r->cr3 & 0xffffffe0ull) + ((la >> 30) & 3) * 8;
	else
		at = (r->cr3 & ADDR_52) + ((la >> 39) & 0x1ff) * 8;
	for (;;) {
		if (entry_at(ram, at, 8, level, &e, f))
			return -1;
		if (level == 1 || ((e & PTE_PS) && (level == 2 || (level == 3 && !pae)))) {
			uint64_t span = 1ull << (12 + 9 * (level - 1)); /* 4 KiB, 2 MiB, 1 GiB */
			*gpa = (e & ADDR_52 & ~(span - 1)) | (la & (span - 1));
			return 0;
		}
		level--;
		at = (e & ADDR_52) + ((la >> (12 + 9 * (level - 1))) & 0x1ff) * 8;
	}
}

int gwalk_translate(const struct gwalk_ram *ram, const struct vcpu_regs *r, uint64_t la, uint64_t *gpa,
		    struct gwalk_fault *f)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->linear = la;
	if (!(r->cr0 & CR0_PG)) {
		*gpa = la & 0xffffffffull;
	} else if (r->efer & EFER_LMA) {
		if (r->cr4 & CR4_LA57)
			return fail(f, GWALK_UNSUPPORTED, 5, r->cr3, 0);
		if ((uint64_t)((int64_t)(la << 16) >> 16) != la) /* SDM Vol 3A 3.3.7.1 */
			return fail(f, GWALK_NON_CANONICAL, 4, 0, 0);
		if ((err = walk64(ram, r, la, false, gpa, f)))
			return err;
	} else if (r->cr4 & CR4_PAE) {
		if ((err = walk64(ram, r, la & 0xffffffffull, true, gpa, f)))
			return err;
	} else if ((err = walk32(ram, r, (uint32_t)la, gpa, f))) {
		return err;
	}
	return 0;
}

size_t gwalk_fetch(const struct gwalk_ram *ram, const struct vcpu_regs *r, uint64_t la, uint64_t la_mask,
		   uint8_t *buf, size_t want, struct gwalk_fault *f)
{
	uint64_t gpa;
	size_t got = 0;

	la &= la_mask;

	while (got < want) {
		size_t chunk = PAGE - (la & (PAGE - 1));
		const uint8_t *p;

		if (chunk > want - got)
			chunk = want - got;
		if (gwalk_translate(ram, r, la, &gpa, f))
			return got;
		if (!(p = ram->map(ram->ctx, gpa, chunk))) {
			fail(f, GWALK_OUTSIDE_RAM, 0, gpa, 0);
			return got;
		}
		memcpy(buf + got, p, chunk);
		got += chunk;
		la = (la + chunk) & la_mask;
	}
	return got;
}

const char *gwalk_err_name(int err)
{
	switch (err) {
	case GWALK_OK: return "ok";
	case GWALK_NOT_PRESENT: return "page-table entry not present";
	case GWALK_OUTSIDE_RAM: return "address outside the VM's RAM";
	case GWALK_NON_CANONICAL: return "non-canonical address";
	case GWALK_UNSUPPORTED: return "5-level paging is not supported";
	default: return "?";
	}
}
