/* hostile, part 6: a triple fault: an empty IDT, then INT3 (#BP -> #GP -> #DF -> shutdown). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "hostile.h"

struct idt_desc {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static uint64_t triple_fault(uint32_t unused)
{
	static const struct idt_desc empty = { 0, 0 };

	(void)unused;
	__asm__ volatile("lidt %0; int3" ::"m"(empty) : "memory");
	return 0;
}

void attack_triple_fault(void)
{
	attempt(triple_fault, 0, "triple fault (empty IDT, int3)");
	idt_init(); /* only reached if the machine survived */
}
