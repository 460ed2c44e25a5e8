/* Normalising the firmware memory map: sort, page-clip, resolve overlaps, merge, carve reservations. */
/* SPDX-License-Identifier: MIT */
#include "kernel/mm/memmap.h"

#define MM_PAGE 4096ull
#define MM_PAGE_MASK (MM_PAGE - 1)
/* Highest representable page-aligned end; ends above it are clamped. */
#define MM_END_MAX (~0ull & ~MM_PAGE_MASK)

/*
 * Severity of each type when two ranges overlap: the higher rank wins.
 * Any non-usable type beats BOOT_MEM_USABLE. Among the others, memory the
 * hypervisor must never touch (bad RAM, device/firmware holes, ACPI NVS,
 * UEFI runtime) beats memory it keeps on purpose (its image, loader data,
 * ACPI tables), and within each group the type that is harder to recover
 * from wins:
 *   USABLE < ACPI_RECLAIM < BOOTLOADER < KERNEL < RUNTIME < ACPI_NVS
 *          < RESERVED < BAD
 * Unknown type values are treated as BOOT_MEM_RESERVED.
 */
static const uint8_t mm_rank[] = {
	[BOOT_MEM_USABLE] = 0,   [BOOT_MEM_ACPI_RECLAIM] = 1, [BOOT_MEM_BOOTLOADER] = 2,
	[BOOT_MEM_KERNEL] = 3,   [BOOT_MEM_RUNTIME] = 4,      [BOOT_MEM_ACPI_NVS] = 5,
	[BOOT_MEM_RESERVED] = 6, [BOOT_MEM_BAD] = 7,
};

static int mm_type_known(uint32_t type)
{
	return type >= BOOT_MEM_USABLE && type <= BOOT_MEM_KERNEL;
}

static uint8_t mm_rank_of(uint32_t type)
{
	return mm_type_known(type) ? mm_rank[type] : mm_rank[BOOT_MEM_RESERVED];
}

static uint64_t mm_end(const struct boot_mmap_entry *e)
{
	return e->base + e->length;
}

/* Clips one entry to pages; usable shrinks inward, anything else grows outward. */
static void mm_clip(struct boot_mmap_entry *e)
{
	uint64_t base = e->base, end;

	if (!mm_type_known(e->type))
		e->type = BOOT_MEM_RESERVED;
	e->reserved = 0;
	end = (e->length > ~0ull - base) ? ~0ull : base + e->length;
	if (e->type == BOOT_MEM_USABLE) {
		base = (base > MM_END_MAX) ? MM_END_MAX : (base + MM_PAGE_MASK) & ~MM_PAGE_MASK;
		end &= ~MM_PAGE_MASK;
	} else {
		base &= ~MM_PAGE_MASK;
		end = (end > MM_END_MAX) ? MM_END_MAX : (end + MM_PAGE_MASK) & ~MM_PAGE_MASK;
	}
	e->base = base;
	e->length = end > base ? end - base : 0;
}

static void mm_remove(struct boot_mmap_entry *map, size_t *count, size_t i)
{
	for (size_t j = i + 1; j < *count; j++)
		map[j - 1] = map[j];
	(*count)--;
}

/* Moves map[i] forward until the map is sorted again (its base grew). */
static void mm_sink(struct boot_mmap_entry *map, size_t count, size_t i)
{
	while (i + 1 < count && map[i].base > map[i + 1].base) {
		struct boot_mmap_entry t = map[i];
		map[i] = map[i + 1];
		map[i + 1] = t;
		i++;
	}
}

/* Inserts `e` keeping the map sorted; -1 if the map is full. */
static int mm_insert(struct boot_mmap_entry *map, size_t *count, size_t cap,
		     struct boot_mmap_entry e)
{
	size_t j;

	if (*count >= cap)
		return -1;
	for (j = *count; j > 0 && map[j - 1].base > e.base; j--)
		map[j] = map[j - 1];
	map[j] = e;
	(*count)++;
	return 0;
}

/*
 * Resolves the overlap of sorted neighbours a = map[i], b = map[i+1]
 * (a.base <= b.base < a.end). Returns 0, or -1 if a split needs a slot
 * the map does not have.
 */
static int mm_resolve(struct boot_mmap_entry *map, size_t *count, size_t cap, size_t i)
{
	struct boot_mmap_entry *a = &map[i], *b = &map[i + 1];
	uint64_t a_end = mm_end(a), b_end = mm_end(b);

	if (a->type == b->type) {
		a->length = (b_end > a_end ? b_end : a_end) - a->base;
		mm_remove(map, count, i + 1);
	} else if (mm_rank_of(a->type) >= mm_rank_of(b->type)) {
		if (b_end <= a_end) {
			mm_remove(map, count, i + 1);
		} else {
			b->base = a_end;
			b->length = b_end - a_end;
			mm_sink(map, *count, i + 1);
		}
	} else {
		struct boot_mmap_entry tail = *a;
		a->length = b->base - a->base;
		if (a_end > b_end) {
			tail.base = b_end;
			tail.length = a_end - b_end;
			if (mm_insert(map, count, cap, tail) < 0)
				return -1;
		}
		if (a->length == 0)
			mm_remove(map, count, i);
	}
	return 0;
}

static int mm_resolve_all(struct boot_mmap_entry *map, size_t *count, size_t cap)
{
	size_t i = 0;

	while (i + 1 < *count) {
		if (map[i + 1].base < mm_end(&map[i])) {
			if (mm_resolve(map, count, cap, i) < 0)
				return -1;
			if (i > 0)
				i--;
			continue;
		}
		i++;
	}
	return 0;
}

static size_t mm_merge_touching(struct boot_mmap_entry *map, size_t count)
{
	size_t i = 0;

	while (i + 1 < count) {
		if (map[i].type == map[i + 1].type && mm_end(&map[i]) == map[i + 1].base) {
			map[i].length += map[i + 1].length;
			mm_remove(map, &count, i + 1);
		} else {
			i++;
		}
	}
	return count;
}

/* On -1 the entries of `map` are left in an unspecified (but in-bounds) order. */
int memmap_sanitize(struct boot_mmap_entry *map, size_t count, size_t cap)
{
	size_t n = 0;

	if (!map || count > cap || cap > (size_t)0x7fffffff)
		return -1;
	for (size_t i = 0; i < count; i++) {
		mm_clip(&map[i]);
		if (map[i].length)
			map[n++] = map[i];
	}
	boot_mmap_sort(map, n);
	if (mm_resolve_all(map, &n, cap) < 0)
		return -1;
	return (int)mm_merge_touching(map, n);
}

/*
 * The range is added as a new entry and the map sanitized again, so the same
 * severity order applies: the range (grown outward to pages, holes included)
 * takes `type` wherever the old type ranks lower, and a more restrictive type
 * already there is kept. BOOT_MEM_USABLE and unknown types are refused: this
 * only ever takes memory away from the allocator.
 */
int memmap_reserve(struct boot_mmap_entry *map, size_t count, size_t cap,
		   uint64_t base, uint64_t length, uint32_t type)
{
	if (!map || count > cap || type == BOOT_MEM_USABLE || !mm_type_known(type))
		return -1;
	if (length == 0)
		return (int)count;
	if (count >= cap)
		return -1;
	map[count] = (struct boot_mmap_entry){ .base = base, .length = length, .type = type };
	return memmap_sanitize(map, count + 1, cap);
}

uint64_t memmap_total(const struct boot_mmap_entry *map, size_t count, uint32_t type)
{
	uint64_t sum = 0;

	for (size_t i = 0; map && i < count; i++)
		if (map[i].type == type)
			sum += map[i].length;
	return sum;
}

const char *memmap_type_name(uint32_t type)
{
	static const char *const names[] = {
		[BOOT_MEM_USABLE] = "usable",         [BOOT_MEM_RESERVED] = "reserved",
		[BOOT_MEM_ACPI_RECLAIM] = "acpi-reclaim", [BOOT_MEM_ACPI_NVS] = "acpi-nvs",
		[BOOT_MEM_BAD] = "bad",               [BOOT_MEM_BOOTLOADER] = "bootloader",
		[BOOT_MEM_RUNTIME] = "uefi-runtime",  [BOOT_MEM_KERNEL] = "kernel",
	};
	return mm_type_known(type) ? names[type] : "unknown";
}
