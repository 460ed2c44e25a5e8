/* Guest extended state (x87, SSE, AVX, AVX-512, PKRU...): switched eagerly around every guest entry with XSAVE/XRSTOR. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_FPU_H
#define HYPERVISOR_FPU_H

#include <stdbool.h>
#include <stdint.h>

#define FPU_LEGACY_BYTES 512 /* the FXSAVE image, SDM Vol 1 10.5.1; the legacy region of an XSAVE area */

/* A vCPU's saved state: an XSAVE area (or an FXSAVE image without XSAVE), 64-byte aligned, heap-allocated. */
struct fpu_area {
	uint8_t *image;
	uint64_t xcr0;   /* what the guest loaded with XSETBV; 0 until then (the host's XCR0 stays loaded) */
};

struct vcpu;
struct cpuid_xsave;

/*
 * Once, on the BSP: the XCR0 Bulwark uses (every state component CPUID.(EAX=0Dh,
 * ECX=0) reports that is user state Bulwark switches) and the XSAVE area size for it.
 */
void fpu_probe(void);
/* On every CPU before it runs a guest: CR4.OSXSAVE and XCR0 set (SDM Vol 1 13.3), this CPU's own save area. */
int fpu_cpu_init(void);
/* The XCR0 in force while guests run (0 without XSAVE). */
uint64_t fpu_xcr0(void);

int fpu_alloc(struct fpu_area *a);
void fpu_free(struct fpu_area *a);
/* The state after reset: FCW 0x037F, MXCSR 0x1F80, every other component in its initial state (SDM Vol 3A 10.1.1). */
void fpu_reset(struct fpu_area *a);
/* Saves this CPU's own state and loads the guest's. Call with interrupts off, just before entry. */
void fpu_enter_guest(const struct fpu_area *guest);
/* Saves the guest's state and loads this CPU's own again. Call right after the exit. */
void fpu_leave_guest(struct fpu_area *guest);

/* What CPUID shows this vCPU of XSAVE (hypervisor/cpuid_policy.h); `need_cr4` reads its CR4.OSXSAVE. */
void fpu_cpuid_view(struct vcpu *v, bool need_cr4, struct cpuid_xsave *x);

#endif
