/* Per-CPU state and the list of CPUs found in the ACPI MADT. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 64
#define SMP_TIMER_HZ 100 /* every CPU's periodic LAPIC timer */

enum cpu_state { CPU_ABSENT = 0, CPU_OFFLINE, CPU_STARTING, CPU_ONLINE, CPU_FAILED, CPU_HALTED };

struct cpu_status {
	uint32_t index;   /* 0 = the bootstrap processor */
	uint32_t apic_id;
	uint32_t state;   /* enum cpu_state */
	bool bsp;
	uint64_t timer_ticks; /* LAPIC timer interrupts taken */
	uint64_t ipis;        /* IPIs answered */
	uint64_t console_irqs; /* COM1 receive interrupts: operator input woke this CPU */
	uint64_t nmis;        /* NMIs taken and dismissed (not a panic's) */
	uint16_t gdtr_limit;  /* GDTR and IDTR limits when the CPU last answered a ping (smp_ping_all) */
	uint16_t idtr_limit;
	uint64_t cr0;         /* CR0 when the CPU last answered a ping */
	uint64_t stack_bytes;      /* the CPU's kernel stack, and how much of it it has used at the deepest */
	uint64_t stack_used_bytes;
};

/* CPUs listed as enabled in the MADT (or 1 without ACPI). */
uint32_t smp_cpu_count(void);
uint32_t smp_online_count(void);
/* Copies the status of CPU `index`; returns 0, or -1 if index >= smp_cpu_count(). */
int smp_cpu_status(uint32_t index, struct cpu_status *out);
const char *cpu_state_name(uint32_t state);
/* Sends a test IPI to every other online CPU and waits for each answer; returns how many answered. */
uint32_t smp_ping_all(uint64_t timeout_us);
uint32_t this_cpu_index(void);
/* With interrupts disabled: HLT until an interrupt or until `ns` have passed; returns with
 * interrupts enabled and the periodic tick running again. */
void cpu_halt_for_ns(uint64_t ns);

#endif
