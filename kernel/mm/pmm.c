/* The physical frame allocator: a bitmap over the usable RAM of a sanitized memory map. */
/* SPDX-License-Identifier: MIT */
#include "kernel/mm/pmm.h"

#include "kernel/spinlock.h"

/*
 * One bit per 4 KiB frame from the lowest to the highest usable address;
 * a set bit is a frame that is allocated or may never be handed out (holes
 * and non-usable types between usable ranges, frame 0, the bitmap itself).
 * Which frames may ever be freed is answered by the copy of the usable
 * ranges kept in pmm_ranges, so a stray free of a firmware frame is refused.
 * Single-frame allocations resume from a next-fit hint, the way most
 * bitmap allocators (e.g. Linux's early bootmem) keep the common case short.
 */

#define PMM_SHIFT 12
#define PMM_MAX_RANGES BOOT_MMAP_MAX
/* Allocation starts here so low memory (AP trampolines, legacy DMA) lasts longest. */
#define PMM_LOW_LIMIT 0x100000ull

struct pmm_range {
	uint64_t first, end; /* frame numbers, [first, end) */
};

struct pmm_state {
	uint64_t *bitmap;
	uint64_t base;   /* frame number of bit 0 */
	uint64_t frames; /* bits in the bitmap */
	uint64_t hint;   /* bit index where the next search starts */
	uint64_t low_hint;
	uint64_t free_frames;
	uint64_t usable_frames;
	uint64_t total_bytes;
	uint64_t bitmap_first, bitmap_end; /* frame numbers holding the bitmap */
	size_t range_count;
	struct pmm_range ranges[PMM_MAX_RANGES];
};

static struct pmm_state pmm;
static struct spinlock pmm_lock = SPINLOCK_INIT;

static int bit_test(uint64_t i)
{
	return (int)((pmm.bitmap[i >> 6] >> (i & 63)) & 1);
}

static void bit_set(uint64_t i)
{
	pmm.bitmap[i >> 6] |= 1ull << (i & 63);
}

static void bit_clear(uint64_t i)
{
	pmm.bitmap[i >> 6] &= ~(1ull << (i & 63));
}

/* Index of the range holding frame number `f`, or -1. */
static long range_of(uint64_t f)
{
	size_t lo = 0, hi = pmm.range_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f < pmm.ranges[mid].first)
			hi = mid;
		else if (f >= pmm.ranges[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

/* Whether frame `f` may ever be given back: usable, not frame 0, not the bitmap. */
static int frame_freeable(uint64_t f)
{
	if (f == 0 || range_of(f) < 0)
		return 0;
	return f < pmm.bitmap_first || f >= pmm.bitmap_end;
}

/*
 * Copies the usable ranges out of `map`, which must be sanitized: every
 * entry sorted and disjoint from the others, usable ones page-aligned.
 * A map that is not is refused, since an overlap could hide a reserved frame.
 */
static int collect_ranges(const struct boot_mmap_entry *map, size_t count)
{
	uint64_t prev_end = 0;

	pmm.range_count = 0;
	pmm.total_bytes = 0;
	for (size_t i = 0; i < count; i++) {
		const struct boot_mmap_entry *e = &map[i];
		if (e->length > ~0ull - e->base || e->base < prev_end)
			return -1;
		if (e->length)
			prev_end = e->base + e->length;
		if (e->type != BOOT_MEM_RESERVED) /* RAM of any use; not MMIO or holes */
			pmm.total_bytes += e->length;
		if (e->type != BOOT_MEM_USABLE || e->length == 0)
			continue;
		if ((e->base | e->length) & (PMM_FRAME - 1))
			return -1;
		struct pmm_range r = { e->base >> PMM_SHIFT, (e->base + e->length) >> PMM_SHIFT };
		if (pmm.range_count == PMM_MAX_RANGES)
			return -1;
		pmm.ranges[pmm.range_count++] = r;
	}
	return pmm.range_count ? 0 : -1;
}

/* Finds `pages` frames for the bitmap: first fit at or above 1 MiB, else anywhere above frame 0. */
static int place_bitmap(uint64_t pages)
{
	for (int pass = 0; pass < 2; pass++) {
		uint64_t floor = pass == 0 ? PMM_LOW_LIMIT >> PMM_SHIFT : 1;
		for (size_t i = 0; i < pmm.range_count; i++) {
			uint64_t first = pmm.ranges[i].first < floor ? floor : pmm.ranges[i].first;
			if (first < pmm.ranges[i].end && pmm.ranges[i].end - first >= pages) {
				pmm.bitmap_first = first;
				pmm.bitmap_end = first + pages;
				return 0;
			}
		}
	}
	return -1;
}

/* Clears the bits of every usable frame, then sets frame 0 and the bitmap's own frames. */
static void mark_free_ranges(void)
{
	pmm.free_frames = pmm.usable_frames;
	for (size_t i = 0; i < pmm.range_count; i++)
		for (uint64_t f = pmm.ranges[i].first; f < pmm.ranges[i].end; f++)
			bit_clear(f - pmm.base);
	for (uint64_t f = pmm.bitmap_first; f < pmm.bitmap_end; f++)
		bit_set(f - pmm.base);
	pmm.free_frames -= pmm.bitmap_end - pmm.bitmap_first;
	if (pmm.base == 0) {
		bit_set(0);
		pmm.free_frames--;
	}
}

static uint64_t first_hint(void)
{
	uint64_t low = PMM_LOW_LIMIT >> PMM_SHIFT;

	return low > pmm.base ? (low - pmm.base < pmm.frames ? low - pmm.base : 0) : 0;
}

static int pmm_build(const struct boot_mmap_entry *map, size_t count,
		     void *(*phys_to_virt)(uint64_t))
{
	uint64_t words, pages;

	if (!map || !phys_to_virt || collect_ranges(map, count) < 0)
		return -1;
	pmm.base = pmm.ranges[0].first;
	pmm.frames = pmm.ranges[pmm.range_count - 1].end - pmm.base;
	pmm.usable_frames = 0;
	for (size_t i = 0; i < pmm.range_count; i++)
		pmm.usable_frames += pmm.ranges[i].end - pmm.ranges[i].first;
	words = (pmm.frames + 63) / 64;
	pages = (words * 8 + PMM_FRAME - 1) / PMM_FRAME;
	if (place_bitmap(pages) < 0)
		return -1;
	pmm.bitmap = phys_to_virt(pmm.bitmap_first << PMM_SHIFT);
	if (!pmm.bitmap)
		return -1;
	for (uint64_t w = 0; w < words; w++)
		pmm.bitmap[w] = ~0ull;
	mark_free_ranges();
	pmm.hint = pmm.low_hint = first_hint();
	return 0;
}

int pmm_init(const struct boot_mmap_entry *map, size_t count, void *(*phys_to_virt)(uint64_t))
{
	uint64_t flags = spin_lock_irqsave(&pmm_lock);
	int rc = pmm_build(map, count, phys_to_virt);

	if (rc < 0) {
		pmm.bitmap = NULL;
		pmm.range_count = 0;
		pmm.free_frames = pmm.usable_frames = pmm.total_bytes = 0;
	}
	spin_unlock_irqrestore(&pmm_lock, flags);
	return rc;
}

/* First free bit at or after `i`, or pmm.frames. Skips whole used words. */
static uint64_t find_free(uint64_t i)
{
	while (i < pmm.frames) {
		uint64_t w = ~pmm.bitmap[i >> 6] & (~0ull << (i & 63));
		if (w) {
			i = (i & ~63ull) + (uint64_t)__builtin_ctzll(w);
			return i < pmm.frames ? i : pmm.frames;
		}
		i = (i & ~63ull) + 64;
	}
	return pmm.frames;
}

/* First used bit in [i, i + n), or i + n if the run is free. */
static uint64_t find_used(uint64_t i, uint64_t n)
{
	for (uint64_t j = i; j < i + n; j++)
		if (bit_test(j))
			return j;
	return i + n;
}

/* Rounds bit index `i` up so its physical frame number is a multiple of `af`. */
static uint64_t align_bit(uint64_t i, uint64_t af)
{
	uint64_t f = pmm.base + i;

	return ((f + af - 1) & ~(af - 1)) - pmm.base;
}

/* Searches [from, pmm.frames) for `n` free frames aligned to `af`; pmm.frames if none. */
static uint64_t search(uint64_t from, uint64_t n, uint64_t af)
{
	uint64_t i = from;

	while (i < pmm.frames && pmm.frames - i >= n) {
		i = align_bit(find_free(i), af);
		if (i >= pmm.frames || pmm.frames - i < n)
			break;
		uint64_t used = find_used(i, n);
		if (used == i + n)
			return i;
		i = used + 1;
	}
	return pmm.frames;
}

static uint64_t alloc_locked(uint64_t n, uint64_t af)
{
	uint64_t i = search(pmm.hint, n, af);

	if (i == pmm.frames)
		i = search(0, n, af);
	if (i == pmm.frames)
		return 0;
	for (uint64_t j = i; j < i + n; j++)
		bit_set(j);
	pmm.free_frames -= n;
	pmm.hint = i + n < pmm.frames ? i + n : pmm.low_hint;
	return (pmm.base + i) << PMM_SHIFT;
}

uint64_t pmm_alloc(size_t count, uint64_t align)
{
	uint64_t flags, phys = 0;

	if (count == 0 || align < PMM_FRAME || (align & (align - 1)))
		return 0;
	flags = spin_lock_irqsave(&pmm_lock);
	if (pmm.bitmap && count <= pmm.free_frames)
		phys = alloc_locked(count, align >> PMM_SHIFT);
	spin_unlock_irqrestore(&pmm_lock, flags);
	return phys;
}

/* Whether every frame of [f, f + n) may be freed now. */
static int free_allowed(uint64_t f, uint64_t n)
{
	if (!pmm.bitmap || f < pmm.base || n > pmm.frames || f - pmm.base > pmm.frames - n)
		return 0;
	for (uint64_t j = f; j < f + n; j++)
		if (!frame_freeable(j) || !bit_test(j - pmm.base))
			return 0;
	return 1;
}

int pmm_free(uint64_t phys, size_t count)
{
	uint64_t flags, f = phys >> PMM_SHIFT;
	int rc = -1;

	if (count == 0 || (phys & (PMM_FRAME - 1)))
		return -1;
	flags = spin_lock_irqsave(&pmm_lock);
	if (free_allowed(f, count)) {
		for (uint64_t j = f; j < f + count; j++)
			bit_clear(j - pmm.base);
		pmm.free_frames += count;
		rc = 0;
	}
	spin_unlock_irqrestore(&pmm_lock, flags);
	return rc;
}

void pmm_get_stats(struct pmm_stats *out)
{
	uint64_t flags;

	if (!out)
		return;
	flags = spin_lock_irqsave(&pmm_lock);
	out->total_bytes = pmm.total_bytes;
	out->usable_bytes = pmm.usable_frames << PMM_SHIFT;
	out->free_bytes = pmm.free_frames << PMM_SHIFT;
	out->reserved_bytes = out->total_bytes - out->usable_bytes;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

int pmm_is_managed(uint64_t phys)
{
	uint64_t flags = spin_lock_irqsave(&pmm_lock);
	int managed = pmm.bitmap && range_of(phys >> PMM_SHIFT) >= 0;

	spin_unlock_irqrestore(&pmm_lock, flags);
	return managed;
}
