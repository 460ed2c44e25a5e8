/* Random numbers from the CPU: RDSEED, then RDRAND, then (logged as weak) the TSC. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stdbool.h>
#include <stdint.h>

/* 64 random bits from RDSEED or RDRAND; false when the CPU has neither or they keep failing. */
bool random_hw_u64(uint64_t *out);
/* random_hw_u64(), or when that fails a TSC-derived value (fine for TCP ports, not for secrets). */
uint64_t random_u64(void);

#endif
