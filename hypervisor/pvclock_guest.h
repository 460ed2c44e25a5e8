/* The paravirtual clock as a guest sees it: its two MSRs and whether its TSC is stable (include/bulwark/pvclock.h). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_PVCLOCK_GUEST_H
#define HYPERVISOR_PVCLOCK_GUEST_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* The host's TSC runs at one rate in every power state and on every CPU (CPUID.80000007H:EDX[8]). */
bool pvclock_tsc_stable(void);
/* PV_MSR_SYSTEM_TIME / PV_MSR_WALL_CLOCK: true if `msr` is one of them (value read or write taken). */
bool pvclock_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
/* False for a bad value (the guest gets #GP); *handled says whether `msr` is one of them. */
bool pvclock_msr_write(struct vcpu *v, uint32_t msr, uint64_t value, bool *handled);

#endif
