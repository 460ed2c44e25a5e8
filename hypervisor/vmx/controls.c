/* Derives VMX controls from capability MSR values: never a hard-coded allowed bit (SDM Vol 3D A.3-A.5). */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include "hypervisor/vmx/controls.h"
#include "hypervisor/vmx/vmx_msr.h"

int vmx_adjust_controls(uint64_t cap_msr_value, uint32_t wanted, uint32_t *result)
{
	uint32_t allowed0 = (uint32_t)cap_msr_value;         /* must be 1 */
	uint32_t allowed1 = (uint32_t)(cap_msr_value >> 32); /* may be 1 */

	if (wanted & ~allowed1)
		return -1;
	*result = (wanted | allowed0) & allowed1;
	return 0;
}

uint32_t vmx_optional_controls(uint64_t cap_msr_value, uint32_t optional)
{
	return optional & (uint32_t)(cap_msr_value >> 32);
}

/* One control field: required bits must fit, optional ones are taken where allowed. */
static int derive_one(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *out,
		      const char *what, char *err, size_t errlen)
{
	uint32_t wanted = required | vmx_optional_controls(cap, optional);

	if (vmx_adjust_controls(cap, wanted, out) == 0)
		return 0;
	snprintf(err, errlen, "%s controls 0x%x not allowed (allowed-1 0x%x)", what,
		 required & ~(uint32_t)(cap >> 32), (uint32_t)(cap >> 32));
	return -1;
}

/* Secondary: EPT and unrestricted guest are required (guests start with paging off). */
static int derive_proc2(const struct vmx_caps *c, struct vmx_controls *o, char *err, size_t errlen)
{
	uint32_t allowed1 = (uint32_t)(c->proc2 >> 32);

	if (!(allowed1 & PROC2_UNRESTRICTED)) {
		snprintf(err, errlen, "no unrestricted guest (IA32_VMX_PROCBASED_CTLS2 bit 39): guests start with paging off and need it");
		return -1;
	}
	return derive_one(c->proc2, PROC2_EPT | PROC2_UNRESTRICTED,
			  PROC2_VPID | PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES,
			  &o->proc2, "secondary processor-based", err, errlen);
}

int vmx_derive_controls(const struct vmx_caps *c, bool long_mode_guest, struct vmx_controls *o, char *err, size_t errlen)
{
	bool t = c->basic & VMX_BASIC_TRUE_CTLS; /* SDM Vol 3D A.1: TRUE_* MSRs exist */
	uint32_t entry = ENTRY_CTL_LOAD_EFER | ENTRY_CTL_LOAD_PAT | (long_mode_guest ? ENTRY_CTL_IA32E_GUEST : 0);
	uint32_t exit = EXIT_CTL_HOST_64 | EXIT_CTL_SAVE_EFER | EXIT_CTL_LOAD_EFER | EXIT_CTL_SAVE_PAT | EXIT_CTL_LOAD_PAT;

	if (derive_one(t ? c->true_pin : c->pin, PIN_EXTINT_EXITING | PIN_NMI_EXITING, PIN_PREEMPTION_TIMER | PIN_VIRTUAL_NMIS,
		       &o->pin, "pin-based", err, errlen) ||
	    derive_one(t ? c->true_proc : c->proc, PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_SECONDARY,
		       0, &o->proc, "processor-based", err, errlen) ||
	    derive_proc2(c, o, err, errlen) ||
	    derive_one(t ? c->true_exit : c->exit, exit, 0, &o->exit, "VM-exit", err, errlen) ||
	    derive_one(t ? c->true_entry : c->entry, entry, 0, &o->entry, "VM-entry", err, errlen))
		return -1;
	/* Acknowledge-interrupt-on-exit stays off so the host takes the interrupt itself (SDM Vol 3C 28.2.2). */
	if (o->exit & EXIT_CTL_ACK_INTR) {
		snprintf(err, errlen, "the CPU forces acknowledge-interrupt-on-exit");
		return -1;
	}
	o->preemption_timer = o->pin & PIN_PREEMPTION_TIMER;
	/* Switched on only while the neutral layer waits for a window (vmx_vcpu.c), never derived on. */
	o->intr_window = vmx_optional_controls(t ? c->true_proc : c->proc, PROC_INTR_WINDOW) != 0;
	o->nmi_window = (o->pin & PIN_VIRTUAL_NMIS) && vmx_optional_controls(t ? c->true_proc : c->proc, PROC_NMI_WINDOW);
	return 0;
}
