/* The paravirtual EOI a guest may use instead of the APIC's EOI register (include/bulwark/pvclock.h). */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/pv_eoi.h"
#include "hypervisor/dev/lapic.h"
#include "hypervisor/gmem.h"
#include "hypervisor/vm.h"
#include "include/bulwark/pvclock.h"

#define PV_EOI_ADDR_MASK (~3ull)

/* The guest's word, or NULL if the MSR is off (its address was checked when it was written). */
static volatile uint32_t *word_of(struct vcpu *v)
{
	if (!(v->pv_eoi_msr & PV_EOI_ENABLE))
		return NULL;
	return (volatile uint32_t *)gmem_hva(v->vm, v->pv_eoi_msr & PV_EOI_ADDR_MASK, sizeof(uint32_t));
}

bool pv_eoi_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	if (msr != PV_MSR_EOI)
		return false;
	*value = v->pv_eoi_msr;
	return true;
}

bool pv_eoi_msr_write(struct vcpu *v, uint32_t msr, uint64_t value, bool *handled)
{
	*handled = msr == PV_MSR_EOI;
	if (!*handled)
		return true;
	if (value & PV_EOI_RESERVED)
		return false;
	if ((value & PV_EOI_ENABLE) && !gmem_hva(v->vm, value & PV_EOI_ADDR_MASK, sizeof(uint32_t)))
		return false; /* msr.rst: the word must be in guest RAM */
	v->pv_eoi_msr = value;
	v->pv_eoi_offered = false; /* written in an exit handler: after pv_eoi_after_exit, before the next offer */
	return true;
}

/*
 * msr.rst: the hypervisor modifies only bit 0 and only while the vCPU does not run, so the guest
 * tests and clears it with one instruction and no lock. The bit is offered for one run at a time:
 * set here when the vector in service may have its EOI deferred, taken back at the next exit.
 */
void pv_eoi_before_entry(struct vcpu *v, struct vlapic *l)
{
	volatile uint32_t *w = word_of(v);

	if (!w || !vlapic_eoi_may_be_deferred(l))
		return;
	*w |= PV_EOI_SKIP;
	v->pv_eoi_offered = true;
}

void pv_eoi_after_exit(struct vcpu *v, struct vlapic *l)
{
	volatile uint32_t *w = word_of(v);
	uint32_t was;

	if (!v->pv_eoi_offered || !w)
		return;
	v->pv_eoi_offered = false;
	was = *w;
	if (was & PV_EOI_SKIP)
		*w = was & ~PV_EOI_SKIP; /* not used: the guest must write the EOI register after all */
	else
		vlapic_eoi(l); /* the guest cleared it: its EOI, of the vector in service when it was offered */
}
