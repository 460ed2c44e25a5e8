/* Which control-register values a guest may load (pure logic: checked before the backend applies them). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_CR_POLICY_H
#define HYPERVISOR_CR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* A MOV to CR0 the CPU itself would accept (else #GP, SDM Vol 3A 2.5 and MOV CR in Vol 2B). */
bool cr0_write_ok(uint64_t value, uint64_t cr4, uint64_t efer);
/* A MOV to CR4 with only features the guest is shown (no VMXE, SMXE, LA57, PKE) and no reserved bits. */
bool cr4_write_ok(uint64_t value, uint64_t cr0, uint64_t efer);

/* CR4 bits the guest may own in hardware (VT-x guest/host mask 0); the rest must exit. */
uint64_t cr4_guest_owned(void);

/* An XCR0 value XSETBV may load: architecturally valid and within `offered` (the XCR0 bits CPUID shows). */
bool xcr0_write_ok(uint64_t value, uint64_t offered);

#endif
