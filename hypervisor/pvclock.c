/* The paravirtual clock's arithmetic (pure logic). */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/pvclock.h"

#define NSEC_PER_SEC 1000000000ull

/*
 * The guest turns a TSC delta into ns as ((delta << shift) * mul) >> 32 (a negative shift shifts
 * right; msr.rst). So mul = 10^9 * 2^32 / (hz * 2^shift), which fits 32 bits with its top bit
 * set (the most precision) when hz * 2^shift lies in (10^9, 2 * 10^9].
 */
bool pvclock_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
	unsigned __int128 num = (unsigned __int128)NSEC_PER_SEC << 32, den;
	uint64_t scaled = tsc_hz;
	int s = 0;

	if (!tsc_hz)
		return false;
	while (scaled > 2 * NSEC_PER_SEC) {
		scaled >>= 1;
		s--;
	}
	while (scaled <= NSEC_PER_SEC && s < 31) {
		scaled <<= 1;
		s++;
	}
	if (s >= 0) {
		den = (unsigned __int128)tsc_hz << s;
	} else {
		den = tsc_hz;
		num <<= -s;
	}
	*mul = (uint32_t)(num / den);
	*shift = (int8_t)s;
	return true;
}

uint64_t pvclock_read(const struct pv_time_info *t, uint64_t tsc)
{
	uint64_t delta = tsc - t->tsc_timestamp;

	if (t->tsc_shift < 0)
		delta >>= -t->tsc_shift;
	else
		delta <<= t->tsc_shift;
	return t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

void pvclock_fill(struct pv_time_info *t, uint64_t tsc0, uint64_t tsc_hz, bool stable)
{
	uint32_t mul = 0;
	int8_t shift = 0;

	pvclock_scale(tsc_hz, &mul, &shift);
	t->pad0 = 0;
	t->tsc_timestamp = tsc0;
	t->system_time = 0;
	t->tsc_to_system_mul = mul;
	t->tsc_shift = shift;
	t->flags = stable ? PV_TIME_TSC_STABLE : 0;
	t->pad[0] = t->pad[1] = 0;
}

void pvclock_fill_wall(struct pv_wall_clock *w, int64_t boot_unix_ns)
{
	uint64_t ns = boot_unix_ns > 0 ? (uint64_t)boot_unix_ns : 0;

	w->sec = (uint32_t)(ns / NSEC_PER_SEC);
	w->nsec = (uint32_t)(ns % NSEC_PER_SEC);
}
