/* Address-space identifiers for guests: one per VM, 1..asids-1, reused after the VM is gone (APM Vol 2 15.16). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_ASID_H
#define HYPERVISOR_SVM_ASID_H

#include <stdint.h>
#include "kernel/spinlock.h"

#define ASID_POOL_MAX 4096u /* more than VM_MAX: the rest of a larger hardware range is unused */

struct asid_pool {
	struct spinlock lock;
	uint32_t limit;   /* ASIDs 1..limit-1 are handed out; 0 belongs to the host */
	uint32_t next;    /* where the search starts: recently freed ASIDs are reused last */
	uint64_t used[ASID_POOL_MAX / 64];
};

/* `hw_asids` is CPUID 8000000Ah EBX (APM Vol 3 E.4.9). */
void asid_pool_init(struct asid_pool *p, uint32_t hw_asids);
/* Returns a free ASID, or 0 when all are taken. */
uint32_t asid_alloc(struct asid_pool *p);
void asid_free(struct asid_pool *p, uint32_t asid);

#endif
