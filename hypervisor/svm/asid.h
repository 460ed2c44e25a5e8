/* Address-space identifiers for guests, handed out per CPU in generations (APM Vol 2 15.16). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_ASID_H
#define HYPERVISOR_SVM_ASID_H

#include <stdint.h>

/*
 * Each CPU hands its ASIDs 1..limit-1 to the vCPUs that run there, one per
 * vCPU per generation. When they run out, the generation moves on, every
 * vCPU's ASID becomes stale and the whole TLB is flushed once: so any number
 * of VMs share a small hardware range (QEMU offers 16), as KVM does.
 */
struct asid_space {
	uint32_t limit;  /* CPUID 8000000Ah EBX: ASIDs 0..limit-1 exist, 0 is the host's */
	uint32_t next;
	uint64_t gen;    /* never 0: a vCPU with generation 0 has no ASID yet */
};

enum asid_result {
	ASID_KEEP = 0,       /* the vCPU's ASID is still its own */
	ASID_NEW,            /* a fresh ASID from this generation: nothing to flush */
	ASID_NEW_FLUSH_ALL,  /* a new generation began: flush every ASID (TLB_CONTROL 1) */
};

void asid_space_init(struct asid_space *s, uint32_t hw_asids);
/* Checks (or renews) the ASID a vCPU holds on this CPU; *asid and *gen are the vCPU's. */
enum asid_result asid_assign(struct asid_space *s, uint32_t *asid, uint64_t *gen);

#endif
