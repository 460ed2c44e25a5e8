/* Guest x87/SSE state: switched eagerly around every guest entry, since hypervisor C code uses SSE. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_FPU_H
#define HYPERVISOR_FPU_H

#include <stdint.h>

#define FPU_AREA_BYTES 512 /* the FXSAVE image, SDM Vol 1 10.5.1 */

struct fpu_area {
	uint8_t bytes[FPU_AREA_BYTES];
} __attribute__((aligned(16)));

/* The state after reset: FCW 0x037F, MXCSR 0x1F80, every register zero (SDM Vol 3A 10.1.1). */
void fpu_reset(struct fpu_area *a);
/* Saves this CPU's own state and loads the guest's. Call with interrupts off, just before entry. */
void fpu_enter_guest(const struct fpu_area *guest);
/* Saves the guest's state and loads this CPU's own again. Call right after the exit. */
void fpu_leave_guest(struct fpu_area *guest);

#endif
