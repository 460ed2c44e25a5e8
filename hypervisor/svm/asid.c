/* Per-CPU ASID generations (pure logic). */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/svm/asid.h"

/*
 * The range starts used up, so the first assignment on a CPU opens a new
 * generation and flushes every ASID once: the TLB may still hold entries
 * tagged with guest ASIDs by whatever ran before (firmware, a previous boot;
 * APM Vol 2 15.16.1 leaves their contents undefined at VMRUN).
 */
void asid_space_init(struct asid_space *s, uint32_t hw_asids)
{
	s->limit = hw_asids;
	s->next = hw_asids;
	s->gen = 1;
}

enum asid_result asid_assign(struct asid_space *s, uint32_t *asid, uint64_t *gen)
{
	enum asid_result r = ASID_NEW;

	if (*gen == s->gen && *asid)
		return ASID_KEEP;
	if (s->limit < 2) { /* no guest ASID at all: run everything in ASID 1's place, flushing each time */
		*asid = 1;
		*gen = 0;
		return ASID_NEW_FLUSH_ALL;
	}
	if (s->next >= s->limit) {
		s->gen++;
		s->next = 1;
		r = ASID_NEW_FLUSH_ALL;
	}
	*asid = s->next++;
	*gen = s->gen;
	return r;
}
