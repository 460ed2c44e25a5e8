/* What the console needs from the kernel beyond the subsystem headers; the kernel implements these. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_HOST_API_H
#define KERNEL_CONSOLE_HOST_API_H

#include <stdint.h>

/* How this boot arrived: "UEFI" or "Multiboot2" (from struct boot_info.boot_path). */
const char *kernel_boot_path_name(void);
/* The loader that started us (struct boot_info.loader_name), "" if unknown. */
const char *kernel_loader_name(void);

struct kernel_heap_stats {
	uint64_t size_bytes; /* the heap's region (what _sbrk may hand out in all) */
	uint64_t arena_bytes; /* taken from the region so far (newlib mallinfo().arena) */
	uint64_t used_bytes;  /* in allocated blocks (newlib mallinfo().uordblks) */
};
void kernel_heap_stats(struct kernel_heap_stats *out);

#endif
