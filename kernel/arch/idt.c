/* Builds the IDT shared by all CPUs and dispatches interrupts and exceptions. */
/* SPDX-License-Identifier: MIT */

#include <stddef.h>
#include "kernel/arch/idt.h"
#include "kernel/percpu.h"
#include "kernel/panic.h"

_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "isr.S pushes 15 registers first");
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "the CPU frame follows vector and error code");

/* 64-bit interrupt gate, SDM Vol 3A 6.14.1 figure 6-8. */
struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

extern const uint64_t isr_table[256];
static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler_t handlers[256];

static void set_gate(int vec, uint64_t addr, uint8_t ist)
{
	idt[vec] = (struct idt_gate){
		.offset_low = addr & 0xffff,
		.selector = SEL_KERNEL_CS,
		.ist = ist,
		.type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_high = addr >> 32,
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, isr_table[v], 0);
	set_gate(VEC_NMI, isr_table[VEC_NMI], IST_NMI);
	set_gate(VEC_DF, isr_table[VEC_DF], IST_DF);
	set_gate(VEC_MC, isr_table[VEC_MC], IST_MC);
}

void idt_load(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void irq_register(uint8_t vector, irq_handler_t handler)
{
	if (vector < 32)
		panic("irq_register: vector %u is an exception", vector);
	handlers[vector] = handler;
}

void trap_dispatch(struct trap_frame *tf)
{
	uint64_t v = tf->vector;

	if (v == VEC_NMI && panic_in_progress())
		panic_stop_this_cpu();
	/*
	 * Any other NMI (a platform error line, a watchdog, one a VM exit handed
	 * over) is counted and dismissed: the host carries on, as Linux does for
	 * an NMI nobody claims. Nothing here may take a lock the NMI interrupted.
	 */
	if (v == VEC_NMI) {
		this_cpu()->nmis++;
		return;
	}
	if (v < 32)
		panic_exception(tf);
	if (v < 256 && handlers[v]) {
		handlers[v](tf);
		return;
	}
	if (v != VEC_SPURIOUS)
		panic_exception(tf);
}
