/* The TSC-synchronisation check between physical CPUs: the comparison and the verdict (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/tsc_sync.h"

void tsc_sync_init(struct tsc_sync *s)
{
	memset(s, 0, sizeof(*s));
}

bool tsc_sync_note(struct tsc_sync *s, uint32_t cpu, uint64_t tsc)
{
	bool first = s->readings == 0, warp = !first && tsc < s->last;

	if (!first && cpu != s->last_cpu)
		s->cross++;
	if (warp) {
		s->warps++;
		if (s->last - tsc > s->worst_warp)
			s->worst_warp = s->last - tsc;
	}
	s->readings++;
	s->last_cpu = cpu;
	/* After a warp keep the larger reading as the bound, so one late TSC does not hide the next warp. */
	if (!warp)
		s->last = tsc;
	return warp;
}

enum tsc_verdict tsc_sync_pair_verdict(const struct tsc_sync *s, bool completed, uint64_t min_cross)
{
	if (s->warps)
		return TSC_WARPED;
	if (!completed)
		return TSC_UNCHECKED;
	if (s->cross < min_cross)
		return TSC_TOO_FEW;
	return TSC_SYNCHRONISED;
}

static int badness(enum tsc_verdict v)
{
	static const int rank[] = { [TSC_ONE_CPU] = 0, [TSC_SYNCHRONISED] = 1, [TSC_UNCHECKED] = 2,
				    [TSC_TOO_FEW] = 3, [TSC_WARPED] = 4 };
	return (unsigned)v < sizeof(rank) / sizeof(rank[0]) ? rank[v] : 2;
}

enum tsc_verdict tsc_verdict_worst(enum tsc_verdict a, enum tsc_verdict b)
{
	return badness(a) >= badness(b) ? a : b;
}

bool tsc_verdict_synchronised(enum tsc_verdict v)
{
	return v == TSC_ONE_CPU || v == TSC_SYNCHRONISED;
}

const char *tsc_verdict_name(enum tsc_verdict v)
{
	switch (v) {
	case TSC_ONE_CPU: return "synchronised (one CPU)";
	case TSC_SYNCHRONISED: return "synchronised";
	case TSC_WARPED: return "not synchronised (warp between CPUs)";
	case TSC_TOO_FEW: return "not synchronised (too few comparisons to tell)";
	case TSC_UNCHECKED: break;
	}
	return "not checked";
}
