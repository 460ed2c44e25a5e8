/* Which control-register values a guest may load (pure logic: checked before the backend applies them). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_CR_POLICY_H
#define HYPERVISOR_CR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* A MOV to CR0 the CPU itself would accept (else #GP, SDM Vol 3A 2.5 and MOV CR in Vol 2B). */
bool cr0_write_ok(uint64_t value, uint64_t cr4, uint64_t efer);
/* A MOV to CR4 with only features the guest is shown (no VMXE, SMXE, OSXSAVE, LA57) and no reserved bits. */
bool cr4_write_ok(uint64_t value, uint64_t cr0, uint64_t efer);
/*
 * A WRMSR to IA32_EFER: the guest owns SCE, LME and NXE; LMA is the processor's
 * (kept from `old`); every other bit, SVME included, is reserved for the guest,
 * and LME cannot change while CR0.PG is set. 0 and the new EFER in *out, or -1
 * for #GP (SDM Vol 4 Table 2-2, Vol 3A 10.8.5; APM Vol 2 3.1.7, 14.6.1).
 */
int efer_write_value(uint64_t old, uint64_t value, uint64_t cr0, uint64_t *out);

#endif
