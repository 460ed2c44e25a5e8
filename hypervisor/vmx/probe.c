/* Reads what VT-x offers from IA32_FEATURE_CONTROL and the IA32_VMX_* capability MSRs. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include "hypervisor/virt_probe.h"
#include "hypervisor/vmx/vmx_msr.h"
#include "kernel/arch/x86.h"

/* Allowed-1 settings are the high 32 bits of a control capability MSR (SDM Vol 3D A.3). */
static bool allowed1(uint32_t msr, uint32_t bit)
{
	return (rdmsr(msr) >> 32) & (1u << bit);
}

void vmx_probe(struct virt_features *f)
{
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
	uint64_t basic = rdmsr(MSR_VMX_BASIC);
	bool true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	uint32_t proc = true_ctls ? MSR_VMX_TRUE_PROCBASED_CTLS : MSR_VMX_PROCBASED_CTLS;
	uint32_t pin = true_ctls ? MSR_VMX_TRUE_PINBASED_CTLS : MSR_VMX_PINBASED_CTLS;

	f->backend = VIRT_VMX;
	/* SDM Vol 3C 24.7: VMXON needs the lock bit and "VMX outside SMX" once locked. */
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		snprintf(f->reason, sizeof(f->reason), "VT-x is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMX); enable it in the firmware setup");
		return;
	}
	f->preemption_timer = allowed1(pin, 6);
	f->preemption_timer_shift = rdmsr(MSR_VMX_MISC) & 0x1f;
	if (allowed1(proc, 31)) { /* activate secondary controls */
		f->ept = allowed1(MSR_VMX_PROCBASED_CTLS2, 1);
		f->vpid = allowed1(MSR_VMX_PROCBASED_CTLS2, 5);
		f->unrestricted_guest = allowed1(MSR_VMX_PROCBASED_CTLS2, 7);
	}
	if (f->ept) {
		uint64_t cap = rdmsr(MSR_VMX_EPT_VPID_CAP);
		f->ept_2m = cap & (1ull << 16);
		f->ept_1g = cap & (1ull << 17);
		if (!(cap & (1ull << 6)) || !(cap & (1ull << 14)))
			f->ept = false; /* need 4-level walks and write-back EPT structures */
	}
	if (!f->ept) {
		snprintf(f->reason, sizeof(f->reason), "VT-x without usable EPT (4-level, write-back): Bulwark needs EPT");
		return;
	}
	f->available = true;
}
