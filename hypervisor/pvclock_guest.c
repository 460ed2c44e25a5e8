/* The paravirtual clock as a guest sees it: its two MSRs fill structures in the guest's RAM. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/pvclock_guest.h"
#include "drivers/rtc.h"
#include "hypervisor/gmem.h"
#include "hypervisor/pvclock.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/time.h"
#include "kernel/tsc_check.h"

/*
 * The stable bit promises that every vCPU's clock gives the same time (msr.rst: "the guest can
 * assume monotonicity across vCPUs"), so Linux then skips its cross-vCPU correction. Each vCPU
 * computes the VM's one time pair from the TSC of whichever physical CPU runs it, with no TSC
 * offset on either backend (neither enables TSC offsetting; a guest write of IA32_TSC is #GP,
 * msr.c), so the promise holds exactly when the physical CPUs' TSCs agree: the check made at SMP
 * bring-up (kernel/tsc_check.c).
 */
bool pvclock_tsc_stable(void)
{
	return tsc_synchronised();
}

/* Writes `len` bytes at `gpa` with the version odd meanwhile (msr.rst); false if not inside RAM. */
static bool publish(struct vm *vm, uint64_t gpa, void *obj, size_t len)
{
	uint8_t *dst = (gpa & 3) ? NULL : gmem_hva(vm, gpa, len);
	uint32_t *version = (uint32_t *)dst;

	if (!dst)
		return false;
	*(volatile uint32_t *)version = (*version + 1) | 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (size_t i = 4; i < len; i++)
		((volatile uint8_t *)dst)[i] = ((const uint8_t *)obj)[i];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint32_t *)version = *version + 1;
	return true;
}

bool pvclock_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	if (msr == PV_MSR_SYSTEM_TIME)
		*value = v->pv_system_time;
	else if (msr == PV_MSR_WALL_CLOCK)
		*value = v->vm->pv_wall_clock;
	else
		return false;
	return true;
}

bool pvclock_msr_write(struct vcpu *v, uint32_t msr, uint64_t value, bool *handled)
{
	struct vm *vm = v->vm;

	*handled = msr == PV_MSR_SYSTEM_TIME || msr == PV_MSR_WALL_CLOCK;
	if (msr == PV_MSR_SYSTEM_TIME) {
		struct pv_time_info t;

		if (value & 1) {
			/* One pair for the whole VM (time 0 at its start), so all vCPUs read the same clock. */
			pvclock_fill(&t, vm->pv_tsc0, time_tsc_hz(), pvclock_tsc_stable());
			if (!publish(vm, value & ~1ull, &t, sizeof(t)))
				return false;
		}
		v->pv_system_time = value;
	} else if (msr == PV_MSR_WALL_CLOCK) {
		struct pv_wall_clock w;
		struct pv_time_info t;

		pvclock_fill(&t, vm->pv_tsc0, time_tsc_hz(), false);
		pvclock_fill_wall(&w, rtc_wallclock_ns() - (int64_t)pvclock_read(&t, rdtsc()));
		if (!publish(vm, value, &w, sizeof(w)))
			return false;
		vm->pv_wall_clock = value;
	}
	return true;
}
