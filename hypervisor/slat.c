/* The shared 4-level second-level table builder behind EPT and NPT; entry encodings come from a struct slat_format. */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/slat.h"

/*
 * Both EPT (SDM Vol 3C 29.3.2) and NPT (APM Vol 2 15.25.5, same walk as long
 * mode paging, APM Vol 2 5.3) translate a 48-bit address through four tables
 * of 512 eight-byte entries, indexed by address bits 47:39, 38:30, 29:21 and
 * 20:12. Levels here are numbered 4 (PML4) down to 1 (page table); a level-2
 * entry (page directory) may be a 2 MiB leaf. 1 GiB leaves are never made.
 *
 * Invariant kept by every function: no table other than the root is empty;
 * a table that loses its last entry is freed and its parent entry cleared.
 */

#define SLAT_ENTRIES 512u
#define SLAT_PAGE 0x1000ull
#define SLAT_LARGE 0x200000ull
#define SLAT_TOP_LEVEL 4
#define SLAT_PD_LEVEL 2
/* Permission bits the builder accepts: GMEM_R | GMEM_W | GMEM_X of virt_ops.h. */
#define SLAT_PROT_R 0x1u
#define SLAT_PROT_W 0x2u
#define SLAT_PROT_ALL 0x7u

static uint64_t level_span(int level)
{
	return 1ull << (12 + 9 * (level - 1));
}

static uint32_t level_index(uint64_t gpa, int level)
{
	return (uint32_t)((gpa >> (12 + 9 * (level - 1))) & (SLAT_ENTRIES - 1));
}

static uint64_t *table_at(const struct slat *s, uint64_t hpa)
{
	return (uint64_t *)s->mem.to_virt(s->mem.ctx, hpa);
}

static uint64_t *child_table(const struct slat *s, uint64_t entry)
{
	return table_at(s, entry & s->fmt->addr_mask);
}

static uint64_t table_alloc(struct slat *s)
{
	uint64_t hpa = s->mem.alloc_page(s->mem.ctx);

	if (hpa != 0)
		s->table_pages++;
	return hpa;
}

static void table_free(struct slat *s, uint64_t hpa)
{
	s->mem.free_page(s->mem.ctx, hpa);
	s->table_pages--;
}

static bool table_empty(const struct slat *s, const uint64_t *t)
{
	for (uint32_t i = 0; i < SLAT_ENTRIES; i++)
		if (s->fmt->present(t[i]))
			return false;
	return true;
}

static bool is_large_leaf(const struct slat *s, uint64_t entry, int level)
{
	return level == SLAT_PD_LEVEL && s->fmt->large(entry);
}

/* End of the level-`level` region holding gpa, clipped to `end`. */
static uint64_t region_end(uint64_t gpa, int level, uint64_t end)
{
	uint64_t span = level_span(level);
	uint64_t next = (gpa & ~(span - 1)) + span;

	return next < end ? next : end;
}

static bool format_valid(const struct slat_format *f)
{
	return f && f->table_entry && f->leaf_entry && f->present && f->large && f->prot &&
	       (f->addr_mask & (SLAT_PAGE - 1)) == 0 && f->addr_mask != 0;
}

static bool mem_valid(const struct slat_mem *m)
{
	return m && m->alloc_page && m->free_page && m->to_virt;
}

int slat_init(struct slat *s, const struct slat_format *fmt, const struct slat_mem *mem)
{
	if (!s || !format_valid(fmt) || !mem_valid(mem))
		return -1;
	s->fmt = fmt;
	s->mem = *mem;
	s->table_pages = 0;
	s->small_only = false;
	s->root = table_alloc(s);
	return s->root ? 0 : -1;
}

static bool slat_ready(const struct slat *s)
{
	return s && s->fmt && s->root != 0;
}

/* 4 KiB aligned, non-empty, no wrap-around, below SLAT_GPA_LIMIT. */
static bool gpa_range_valid(uint64_t gpa, uint64_t size)
{
	if (size == 0 || (gpa | size) & (SLAT_PAGE - 1))
		return false;
	if (gpa >= SLAT_GPA_LIMIT || size > SLAT_GPA_LIMIT - gpa)
		return false;
	return true;
}

/* The host range must fit the entry's address field (addr_mask) without wrapping. */
static bool hpa_range_valid(const struct slat *s, uint64_t hpa, uint64_t size)
{
	uint64_t last;

	if (hpa & (SLAT_PAGE - 1) || hpa + size < hpa)
		return false;
	last = hpa + size - 1;
	return ((last & ~(SLAT_PAGE - 1)) & ~s->fmt->addr_mask) == 0;
}

/*
 * A leaf needs read permission to be anything: write without read is an EPT
 * misconfiguration (SDM Vol 3C 29.3.3.1) and NPT cannot express it (APM Vol 2
 * 15.25.5: every present entry is readable).
 */
static bool prot_valid(uint32_t prot)
{
	return (prot & ~SLAT_PROT_ALL) == 0 && (prot & SLAT_PROT_R) != 0;
}

/* Replaces a 2 MiB leaf by a page table holding the same 512 mappings. */
static int split_large(struct slat *s, uint64_t *entry)
{
	uint64_t base = *entry & s->fmt->addr_mask & ~(SLAT_LARGE - 1);
	uint32_t prot = s->fmt->prot(*entry);
	uint64_t pt_hpa = table_alloc(s);
	uint64_t *pt;

	if (pt_hpa == 0)
		return -1;
	pt = table_at(s, pt_hpa);
	for (uint32_t i = 0; i < SLAT_ENTRIES; i++)
		pt[i] = s->fmt->leaf_entry(base + i * SLAT_PAGE, prot, false);
	*entry = s->fmt->table_entry(pt_hpa);
	return 0;
}

/* Frees the table under a non-leaf entry and everything below it (depth <= 3). */
static void free_subtree(struct slat *s, uint64_t entry, int level)
{
	uint64_t *t = child_table(s, entry);

	if (level - 1 > 1)
		for (uint32_t i = 0; i < SLAT_ENTRIES; i++)
			if (s->fmt->present(t[i]) && !is_large_leaf(s, t[i], level - 1))
				free_subtree(s, t[i], level - 1);
	table_free(s, entry & s->fmt->addr_mask);
}

/* Makes *entry (at `level` > 1) point to a table: allocates or splits as needed. */
static int ensure_table(struct slat *s, uint64_t *entry, int level)
{
	uint64_t hpa;

	if (is_large_leaf(s, *entry, level))
		return split_large(s, entry);
	if (s->fmt->present(*entry))
		return 0;
	hpa = table_alloc(s);
	if (hpa == 0)
		return -1;
	*entry = s->fmt->table_entry(hpa);
	return 0;
}

/* After a failed or partial operation: drops the table under *entry if it holds nothing. */
static void prune_child(struct slat *s, uint64_t *entry, int level)
{
	if (!s->fmt->present(*entry) || is_large_leaf(s, *entry, level))
		return;
	if (table_empty(s, child_table(s, *entry))) {
		table_free(s, *entry & s->fmt->addr_mask);
		*entry = 0;
	}
}

static void set_large_leaf(struct slat *s, uint64_t *entry, uint64_t hpa, uint32_t prot)
{
	if (s->fmt->present(*entry) && !is_large_leaf(s, *entry, SLAT_PD_LEVEL))
		free_subtree(s, *entry, SLAT_PD_LEVEL);
	*entry = s->fmt->leaf_entry(hpa, prot, true);
}

static bool fits_large(const struct slat *s, uint64_t gpa, uint64_t hpa, uint64_t end)
{
	return !s->small_only && ((gpa | hpa) & (SLAT_LARGE - 1)) == 0 && end - gpa >= SLAT_LARGE;
}

/* Maps [gpa, end) inside table t at `level`; hpa follows gpa. Recursion depth <= 4. */
static int map_level(struct slat *s, uint64_t *t, int level, uint64_t gpa, uint64_t hpa,
		     uint64_t end, uint32_t prot)
{
	while (gpa < end) {
		uint64_t next = region_end(gpa, level, end);
		uint64_t *e = &t[level_index(gpa, level)];
		int rc = 0;

		if (level == 1)
			*e = s->fmt->leaf_entry(hpa, prot, false);
		else if (level == SLAT_PD_LEVEL && fits_large(s, gpa, hpa, next))
			set_large_leaf(s, e, hpa, prot);
		else if (ensure_table(s, e, level) != 0)
			return -1;
		else
			rc = map_level(s, child_table(s, *e), level - 1, gpa, hpa, next, prot);
		if (rc != 0) {
			prune_child(s, e, level);
			return -1;
		}
		hpa += next - gpa;
		gpa = next;
	}
	return 0;
}

int slat_map(struct slat *s, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot)
{
	if (!slat_ready(s) || !gpa_range_valid(gpa, size) || !hpa_range_valid(s, hpa, size) ||
	    !prot_valid(prot))
		return -1;
	return map_level(s, table_at(s, s->root), SLAT_TOP_LEVEL, gpa, hpa, gpa + size, prot);
}

/* Unmaps [gpa, end) inside the region one entry covers; frees the child table if it empties. */
static int unmap_entry(struct slat *s, uint64_t *e, int level, uint64_t gpa, uint64_t end);

static int unmap_level(struct slat *s, uint64_t *t, int level, uint64_t gpa, uint64_t end)
{
	while (gpa < end) {
		uint64_t next = region_end(gpa, level, end);

		if (unmap_entry(s, &t[level_index(gpa, level)], level, gpa, next) != 0)
			return -1;
		gpa = next;
	}
	return 0;
}

static int unmap_entry(struct slat *s, uint64_t *e, int level, uint64_t gpa, uint64_t end)
{
	bool whole = end - gpa == level_span(level);
	int rc;

	if (!s->fmt->present(*e))
		return 0;
	if (level == 1 || (whole && is_large_leaf(s, *e, level))) {
		*e = 0;
		return 0;
	}
	if (is_large_leaf(s, *e, level) && split_large(s, e) != 0)
		return -1;
	rc = unmap_level(s, child_table(s, *e), level - 1, gpa, end);
	prune_child(s, e, level);
	return rc;
}

int slat_unmap(struct slat *s, uint64_t gpa, uint64_t size)
{
	if (!slat_ready(s) || !gpa_range_valid(gpa, size))
		return -1;
	return unmap_level(s, table_at(s, s->root), SLAT_TOP_LEVEL, gpa, gpa + size);
}

int slat_lookup(const struct slat *s, uint64_t gpa, uint64_t *hpa, uint32_t *prot, uint64_t *page_size)
{
	const uint64_t *t;

	if (!slat_ready(s) || gpa >= SLAT_GPA_LIMIT)
		return -1;
	t = table_at(s, s->root);
	for (int level = SLAT_TOP_LEVEL; level >= 1; level--) {
		uint64_t e = t[level_index(gpa, level)];
		uint64_t span = level_span(level);

		if (!s->fmt->present(e))
			return -1;
		if (level == 1 || is_large_leaf(s, e, level)) {
			if (hpa)
				*hpa = (e & s->fmt->addr_mask & ~(span - 1)) | (gpa & (span - 1));
			if (prot)
				*prot = s->fmt->prot(e);
			if (page_size)
				*page_size = span;
			return 0;
		}
		t = child_table(s, e);
	}
	return -1;
}

void slat_destroy(struct slat *s)
{
	uint64_t *root;

	if (!slat_ready(s))
		return;
	root = table_at(s, s->root);
	for (uint32_t i = 0; i < SLAT_ENTRIES; i++)
		if (s->fmt->present(root[i]))
			free_subtree(s, root[i], SLAT_TOP_LEVEL);
	table_free(s, s->root);
	s->root = 0;
}
