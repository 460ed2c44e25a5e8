/* Per-CPU data: reached through GS; each CPU has its own GDT, TSS and stacks. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/smp.h"

#define KERNEL_STACK_SIZE (32 * 1024)
#define IST_STACK_SIZE (16 * 1024)

/* GDT selectors, identical on every CPU. */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_TSS 0x18

/* Task-state segment, SDM Vol 3A 8.7 figure 8-11. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct percpu {
	struct percpu *self; /* at GS:0 */
	uint32_t index;
	uint32_t apic_id;
	volatile uint32_t state; /* enum cpu_state */
	volatile uint64_t timer_ticks;
	uint32_t timer_count; /* LAPIC timer counts in one period of the SMP_TIMER_HZ tick */
	volatile uint64_t ipis;
	volatile uint64_t console_irqs; /* COM1 receive interrupts taken (the console CPU's) */
	volatile uint64_t nmis;   /* NMIs taken outside a panic (hardware, watchdogs, one that arrived in a guest) */
	volatile uint16_t gdtr_limit, idtr_limit; /* as SGDT/SIDT read them when this CPU last answered a ping */
	volatile uint64_t cr0;                    /* CR0 at that ping */
	uint64_t gdt[5] __attribute__((aligned(16))); /* null, code, data, TSS (two slots) */
	struct tss64 tss __attribute__((aligned(16)));
	uint8_t *stack_top;      /* kernel stack this CPU runs on: [stack_base, stack_top), zeroed before first use */
	uint8_t *stack_base;
	uint8_t *ist_top[3];     /* NMI, #DF, #MC */
	void *arch;              /* the virtualization backend's per-CPU state */
};

_Static_assert(offsetof(struct percpu, self) == 0, "GS:0 must hold the self pointer");

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

struct percpu *percpu_get(uint32_t index);
/* Allocates and installs GDT, TSS and GS for the CPU running this code. */
void percpu_setup(struct percpu *cpu);
struct percpu *percpu_alloc(uint32_t index, uint32_t apic_id);
/* The bootstrap CPU keeps the stack it booted on (entry.S): its bounds replace the allocated one's. */
void percpu_use_boot_stack(struct percpu *p);
/* Bytes of its kernel stack a CPU has written so far: its deepest use since boot (stacks start zeroed). */
size_t percpu_stack_used(const struct percpu *p);

#endif
