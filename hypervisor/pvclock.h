/* The paravirtual clock's arithmetic (pure logic): the TSC scale a guest multiplies by, and what it reads. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_PVCLOCK_H
#define HYPERVISOR_PVCLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "include/bulwark/pvclock.h"

/* mul and shift such that ns = (tsc << shift, or >> -shift) * mul >> 32; false if hz is 0. */
bool pvclock_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);
/* What a guest computes from `t` at TSC value `tsc` (include/bulwark/pvclock.h). */
uint64_t pvclock_read(const struct pv_time_info *t, uint64_t tsc);
/* One VM-wide pair: time 0 at TSC `tsc0`, so every vCPU's copy gives the same time. */
void pvclock_fill(struct pv_time_info *t, uint64_t tsc0, uint64_t tsc_hz, bool stable);
/* The wall clock: Unix time in ns when the guest's time was 0. */
void pvclock_fill_wall(struct pv_wall_clock *w, int64_t boot_unix_ns);

#endif
