/* The kernel heap: a run of frames from the allocator, handed to newlib through _sbrk. */
/* SPDX-License-Identifier: MIT */

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "kernel/mm/heap.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/spinlock.h"
#include "kernel/console/host_api.h"

static uint8_t *heap_base;
static uint64_t heap_len, heap_brk;
static struct spinlock heap_lock = SPINLOCK_INIT;

int heap_init(uint64_t bytes)
{
	uint64_t phys;

	bytes = (bytes + PMM_FRAME - 1) & ~(uint64_t)(PMM_FRAME - 1);
	phys = pmm_alloc(bytes / PMM_FRAME, PAGE_SIZE_2M);
	if (!phys)
		return -1;
	heap_base = phys_to_virt(phys);
	heap_len = bytes;
	return 0;
}

uint64_t heap_size(void)
{
	return heap_len;
}

uint64_t heap_brk_bytes(void)
{
	return heap_brk;
}

/*
 * newlib's mallocr.c is built with its own `struct mallinfo` of ten ints,
 * while <malloc.h> declares size_t fields: read the ints the library wrote.
 */
static uint64_t malloc_bytes_in_use(void)
{
	struct mallinfo mi = mallinfo();
	int raw[10];

	memcpy(raw, &mi, sizeof(raw));
	return raw[7] > 0 ? (uint64_t)raw[7] : 0; /* uordblks */
}

uint64_t heap_in_use(void)
{
	return malloc_bytes_in_use();
}

void kernel_heap_stats(struct kernel_heap_stats *out)
{
	out->size_bytes = heap_len;
	out->arena_bytes = heap_brk;
	out->used_bytes = malloc_bytes_in_use();
}

void *_sbrk(ptrdiff_t incr);
void *sbrk(ptrdiff_t incr) __attribute__((alias("_sbrk")));
void *_sbrk(ptrdiff_t incr)
{
	uint64_t flags = spin_lock_irqsave(&heap_lock);
	void *old = (void *)-1;

	if ((incr >= 0 && heap_brk + (uint64_t)incr <= heap_len) ||
	    (incr < 0 && (uint64_t)-incr <= heap_brk)) {
		old = heap_base + heap_brk;
		heap_brk += incr;
	} else {
		errno = ENOMEM;
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return old;
}
