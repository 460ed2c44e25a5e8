/* The guest IDT: exceptions 0-31 either abandon a guarded attempt or are reported and stop the guest. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define IDT_VECTORS 32
#define GATE_INTR32 0x8e /* present, DPL 0, 32-bit interrupt gate: SDM Vol 3A 6.11 */
#define KERNEL_CS 0x08

struct idt_gate {
	uint16_t offset_lo, selector;
	uint8_t zero, type;
	uint16_t offset_hi;
} __attribute__((packed));

struct idt_desc {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

struct catch_buf {
	uint32_t ebx, esi, edi, ebp, esp, eip;
};

extern const uint32_t isr_table[IDT_VECTORS];
int catch_save(struct catch_buf *b) __attribute__((returns_twice));
void catch_throw(struct catch_buf *b, int value) __attribute__((noreturn));

static struct idt_gate idt[IDT_VECTORS];
static struct catch_buf *armed;

void idt_init(void)
{
	struct idt_desc d = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };

	for (int v = 0; v < IDT_VECTORS; v++)
		idt[v] = (struct idt_gate){ (uint16_t)isr_table[v], KERNEL_CS, 0, GATE_INTR32,
					    (uint16_t)(isr_table[v] >> 16) };
	__asm__ volatile("lidt %0" ::"m"(d));
}

/* Mnemonics from SDM Vol 3A Table 6-1. */
const char *exception_name(uint32_t vector)
{
	static const char *const names[] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
		"#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};

	return vector < sizeof(names) / sizeof(names[0]) ? names[vector] : "#reserved";
}

void exception_dispatch(struct exception_frame *f)
{
	struct catch_buf *b = armed;

	if (b) {
		armed = 0;
		catch_throw(b, (int)f->vector + 1);
	}
	gprintf("exception %s (vector %u) error=0x%x eip=0x%08x eflags=0x%x: guest stopped\n",
		exception_name(f->vector), f->vector, f->error, f->eip, f->eflags);
	halt_forever();
}

int run_guarded(guarded_fn fn, uint32_t arg, uint64_t *value)
{
	static struct catch_buf buf;
	int thrown = catch_save(&buf);

	if (thrown != 0)
		return thrown;
	armed = &buf;
	*value = fn(arg);
	armed = 0;
	return 0;
}
