/* The paravirtual EOI a guest may use instead of the APIC's EOI register (include/bulwark/pvclock.h). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_PV_EOI_H
#define HYPERVISOR_PV_EOI_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vlapic;

/* PV_MSR_EOI: true if `msr` is it (value read). */
bool pv_eoi_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
/* False for a bad value (the guest gets #GP: reserved bit, or a word not in its RAM); *handled says whether `msr` is it. */
bool pv_eoi_msr_write(struct vcpu *v, uint32_t msr, uint64_t value, bool *handled);
/* Just before an entry, with the platform lock held: offers the guest to skip the EOI of the vector in service. */
void pv_eoi_before_entry(struct vcpu *v, struct vlapic *l);
/* Just after an exit, before its handler, with the platform lock held: the EOI the guest signalled by clearing the bit. */
void pv_eoi_after_exit(struct vcpu *v, struct vlapic *l);

#endif
