/* The TSC-synchronisation check run at SMP bring-up: CPUs take turns reading the TSC under one lock. */
/* SPDX-License-Identifier: MIT */

#include "kernel/tsc_check.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"

#define CPUID_APM_EDX_INVARIANT_TSC (1u << 8) /* CPUID 80000007H EDX[8]: SDM Vol 2A (CPUID), APM Vol 3 E.4.6 */

/*
 * Comparisons between the two CPUs a pair needs, and a bound on one CPU's turns (so a partner
 * that stops taking turns cannot hold the other). Under an emulator a turn costs microseconds:
 * a pair takes well under a second.
 */
#define CHECK_CROSS 2000u
#define CHECK_MAX_TURNS 200000u
#define MEET_TIMEOUT_NS 3000000000ull /* the time the bootstrap CPU gives an AP to start (smp.c) */

static struct spinlock lock = SPINLOCK_INIT;
static struct tsc_sync pair;
static volatile uint32_t arrived, finished;
static struct tsc_check_result result = { .verdict = TSC_ONE_CPU };

void tsc_check_prepare(void)
{
	tsc_sync_init(&pair);
	__atomic_store_n(&arrived, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&finished, 0, __ATOMIC_SEQ_CST);
}

/* Both CPUs arrive before either takes a turn; false if the partner did not come in time. */
static bool meet(void)
{
	uint64_t deadline = time_ns() + MEET_TIMEOUT_NS;

	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < 2 && time_ns() < deadline)
		cpu_relax();
	return __atomic_load_n(&arrived, __ATOMIC_SEQ_CST) >= 2;
}

static void take_turns(uint32_t cpu)
{
	for (uint32_t turns = 0;; turns++) {
		uint64_t flags = spin_lock_irqsave(&lock);
		bool done = pair.cross >= CHECK_CROSS || pair.warps || turns >= CHECK_MAX_TURNS;

		if (!done)
			tsc_sync_note(&pair, cpu, rdtsc());
		spin_unlock_irqrestore(&lock, flags);
		if (done)
			break;
		cpu_relax(); /* lets the partner take the lock: the turns should alternate */
	}
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
}

void tsc_check_ap(uint32_t cpu_index)
{
	if (meet())
		take_turns(cpu_index);
}

void tsc_check_bsp(void)
{
	uint64_t deadline;
	enum tsc_verdict v;

	if (meet()) {
		take_turns(0);
		deadline = time_ns() + MEET_TIMEOUT_NS;
		while (__atomic_load_n(&finished, __ATOMIC_SEQ_CST) < 2 && time_ns() < deadline)
			cpu_relax();
	}
	v = tsc_sync_pair_verdict(&pair, __atomic_load_n(&finished, __ATOMIC_SEQ_CST) >= 2, CHECK_CROSS);
	result.verdict = tsc_verdict_worst(result.verdict == TSC_ONE_CPU ? TSC_SYNCHRONISED : result.verdict, v);
	result.cross += pair.cross;
	result.warps += pair.warps;
	if (pair.worst_warp > result.worst_warp)
		result.worst_warp = pair.worst_warp;
	if (!tsc_verdict_synchronised(v))
		log_warn("tsc: %s against the bootstrap CPU (%llu comparisons, worst warp %llu ticks): "
			 "guests' clocks not marked stable", tsc_verdict_name(v),
			 (unsigned long long)pair.cross, (unsigned long long)pair.worst_warp);
}

void tsc_check_get(struct tsc_check_result *out)
{
	*out = result;
	/* Reported, not relied on: invariance is about the rate, not about agreement between CPUs. */
	out->invariant = cpuid(0x80000000, 0).eax >= 0x80000007 &&
			 (cpuid(0x80000007, 0).edx & CPUID_APM_EDX_INVARIANT_TSC);
}

bool tsc_synchronised(void)
{
	return tsc_verdict_synchronised(result.verdict);
}
