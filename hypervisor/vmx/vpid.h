/* VPID allocation: one tag per vCPU, 1..65535, reused after destroy (SDM Vol 3C 29.1). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VPID_H
#define HYPERVISOR_VMX_VPID_H

#include <stdint.h>

#define VPID_MAX 0xffffu

/* A free VPID (never 0, which is the host's), or 0 when all are in use. */
uint16_t vpid_alloc(void);
/* Returns a VPID to the pool; 0 and unallocated values are ignored. */
void vpid_free(uint16_t vpid);
/* VPIDs in use (for tests and statistics). */
uint32_t vpid_in_use(void);

#endif
