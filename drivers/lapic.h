/* The local APIC of each CPU, in x2APIC mode when the CPU has it, xAPIC otherwise. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_LAPIC_H
#define DRIVERS_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Enables this CPU's LAPIC (and x2APIC mode if `x2apic`), spurious vector set. */
void lapic_enable(bool x2apic, void *xapic_mmio);
uint32_t lapic_id(void);
/* LVT LINT1 = NMI on this CPU (the PC's NMI line). */
void lapic_lint1_nmi(void);
void lapic_eoi(void);
/* Periodic timer at `hz` on `vector`, calibrated against the TSC; returns the initial count of one period. */
uint32_t lapic_timer_start(uint32_t hz, uint8_t vector);
/* One interrupt on `vector` after `count` timer counts (the divider lapic_timer_start chose). */
void lapic_timer_oneshot(uint32_t count, uint8_t vector);
/* Back to periodic, one interrupt every `count` counts, the first `count` from now. */
void lapic_timer_periodic(uint32_t count, uint8_t vector);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi_all_but_self(void);
/* INIT-SIPI-SIPI to start an application processor at `start_page` * 4 KiB (SDM Vol 3A 9.4.4.1). */
void lapic_start_ap(uint32_t apic_id, uint8_t start_page);
bool lapic_x2apic_mode(void);

#endif
