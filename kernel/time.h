/* Monotonic time since boot, from the calibrated TSC. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

uint64_t time_ns(void);
void time_delay_us(uint64_t us);
uint64_t time_tsc_hz(void);
/* Calibrates the TSC against the PIT; called once by the bootstrap CPU. */
void time_init(void);

#endif
