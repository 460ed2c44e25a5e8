/* VPID pool: a bitmap of the 65535 tags guests may use; VPID 0 stays the host's (SDM Vol 3C 26.2.1.1). */
/* SPDX-License-Identifier: MIT */

#include <stdbool.h>
#include "hypervisor/vmx/vpid.h"
#include "kernel/spinlock.h"

static uint64_t used[(VPID_MAX + 1) / 64];
static uint32_t count;
static uint32_t next_hint = 1;
static struct spinlock lock = SPINLOCK_INIT;

static bool vpid_taken(uint32_t v)
{
	return used[v / 64] & (1ull << (v % 64));
}

/* Round-robin from the last one handed out, so a freed tag is not reused at once. */
uint16_t vpid_alloc(void)
{
	uint64_t flags = spin_lock_irqsave(&lock);
	uint16_t found = 0;

	for (uint32_t i = 0; i < VPID_MAX && !found; i++) {
		uint32_t v = (next_hint - 1 + i) % VPID_MAX + 1;
		if (!vpid_taken(v)) {
			used[v / 64] |= 1ull << (v % 64);
			count++;
			found = (uint16_t)v;
			next_hint = v % VPID_MAX + 1;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
	return found;
}

void vpid_free(uint16_t vpid)
{
	uint64_t flags = spin_lock_irqsave(&lock);

	if (vpid && vpid_taken(vpid)) {
		used[vpid / 64] &= ~(1ull << (vpid % 64));
		count--;
	}
	spin_unlock_irqrestore(&lock, flags);
}

uint32_t vpid_in_use(void)
{
	return count;
}
