/* A bitmap of guest ASIDs shared by every CPU (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/svm/asid.h"

void asid_pool_init(struct asid_pool *p, uint32_t hw_asids)
{
	memset(p, 0, sizeof(*p));
	p->limit = hw_asids < ASID_POOL_MAX ? hw_asids : ASID_POOL_MAX;
	p->next = 1;
}

static int asid_test_and_set(struct asid_pool *p, uint32_t a)
{
	uint64_t bit = 1ull << (a % 64);

	if (p->used[a / 64] & bit)
		return 0;
	p->used[a / 64] |= bit;
	return 1;
}

/* Round-robin from `next`, so an ASID just freed is the last one reused (fewer stale TLB entries). */
uint32_t asid_alloc(struct asid_pool *p)
{
	uint32_t found = 0;

	spin_lock(&p->lock);
	for (uint32_t n = 1; n < p->limit && !found; n++) {
		uint32_t a = p->next;
		p->next = a + 1 < p->limit ? a + 1 : 1;
		if (asid_test_and_set(p, a))
			found = a;
	}
	spin_unlock(&p->lock);
	return found;
}

void asid_free(struct asid_pool *p, uint32_t asid)
{
	if (asid == 0 || asid >= p->limit)
		return;
	spin_lock(&p->lock);
	p->used[asid / 64] &= ~(1ull << (asid % 64));
	spin_unlock(&p->lock);
}
