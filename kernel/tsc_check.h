/* The TSC-synchronisation check run at SMP bring-up, and what it decided for the guests' clocks. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_TSC_CHECK_H
#define KERNEL_TSC_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/tsc_sync.h"

/*
 * Bring-up runs one check per application processor, against the bootstrap CPU, before that AP
 * goes online: the bootstrap CPU calls tsc_check_prepare() before it sends INIT-SIPI-SIPI and
 * tsc_check_bsp() after; the AP calls tsc_check_ap() once its LAPIC is set up.
 */
void tsc_check_prepare(void);
void tsc_check_bsp(void);
void tsc_check_ap(uint32_t cpu_index);

struct tsc_check_result {
	enum tsc_verdict verdict; /* the worst over all pairs; TSC_ONE_CPU until an AP is checked */
	bool invariant;           /* CPUID 80000007H EDX[8] */
	uint64_t cross;           /* comparisons between CPUs, all pairs */
	uint64_t warps;
	uint64_t worst_warp;      /* TSC ticks */
};

void tsc_check_get(struct tsc_check_result *out);
/* True when every online CPU's TSC was found synchronised with the bootstrap CPU's (or there is one CPU). */
bool tsc_synchronised(void);

#endif
