/* The TSC-synchronisation check between physical CPUs: the comparison and the verdict (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_TSC_SYNC_H
#define KERNEL_TSC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * CPUs take turns under one lock: each reads its TSC and hands the reading to tsc_sync_note().
 * A reading below the last one taken (by any CPU, under the same lock, so strictly later in
 * time) is a warp: the two TSCs disagree by more than the lock's hand-over. Only readings that
 * follow another CPU's count as comparisons between CPUs (`cross`); the check means something
 * only when it made enough of them.
 */
struct tsc_sync {
	uint64_t last;       /* the last reading, 0 before the first */
	uint32_t last_cpu;   /* who took it */
	uint64_t readings;
	uint64_t cross;      /* readings that followed another CPU's */
	uint64_t warps;
	uint64_t worst_warp; /* the largest step backwards seen, in TSC ticks */
};

enum tsc_verdict {
	TSC_UNCHECKED = 0,   /* the check has not run (or did not complete) */
	TSC_ONE_CPU,         /* a single CPU: nothing to compare, one TSC */
	TSC_SYNCHRONISED,    /* no warp in at least the required comparisons between CPUs */
	TSC_WARPED,          /* a warp was seen */
	TSC_TOO_FEW,         /* too few comparisons between CPUs to say */
};

void tsc_sync_init(struct tsc_sync *s);
/* Records CPU `cpu`'s reading `tsc`, taken under the check's lock; true if it is a warp. */
bool tsc_sync_note(struct tsc_sync *s, uint32_t cpu, uint64_t tsc);
/*
 * One pair's verdict (the bootstrap CPU against another): `completed` says whether both took their
 * turns to the end, `min_cross` how many comparisons between the two the check needs.
 */
enum tsc_verdict tsc_sync_pair_verdict(const struct tsc_sync *s, bool completed, uint64_t min_cross);
/* The machine's verdict from two partial ones: the worse (warped > too few > unchecked > synchronised > one CPU). */
enum tsc_verdict tsc_verdict_worst(enum tsc_verdict a, enum tsc_verdict b);
/* Only these two let the guests' clocks be declared stable. */
bool tsc_verdict_synchronised(enum tsc_verdict v);
const char *tsc_verdict_name(enum tsc_verdict v);

#endif
