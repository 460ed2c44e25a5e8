/* SMP bring-up interface used by kernel_main and panic. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SMP_INTERNAL_H
#define KERNEL_SMP_INTERNAL_H

#include <stdint.h>
#include "drivers/acpi/acpi.h"

/* Sets up the bootstrap CPU's per-CPU block and LAPIC. */
void smp_init_bsp(const struct acpi_info *acpi, uint64_t trampoline_phys);
/* Starts every enabled CPU of the MADT; returns how many came online (BSP included). */
uint32_t smp_start_aps(void);
/* Stops every other CPU (panic path): NMI, they halt. Returns how many reported halted within 100 ms. */
uint32_t smp_stop_others(void);

#endif
