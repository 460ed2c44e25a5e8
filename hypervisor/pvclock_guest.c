/* The paravirtual clock as a guest sees it: its two MSRs fill structures in the guest's RAM. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/pvclock_guest.h"
#include "drivers/rtc.h"
#include "hypervisor/gmem.h"
#include "hypervisor/pvclock.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/time.h"

#define CPUID_APM_EDX_INVARIANT_TSC (1u << 8) /* CPUID 80000007H EDX[8]: SDM Vol 2A, APM Vol 3 E.4.6 */

bool pvclock_tsc_stable(void)
{
	static int stable = -1;

	if (stable < 0)
		stable = cpuid(0x80000000, 0).eax >= 0x80000007 &&
			 (cpuid(0x80000007, 0).edx & CPUID_APM_EDX_INVARIANT_TSC);
	return stable;
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
