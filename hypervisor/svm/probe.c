/* Reads what AMD-V offers from VM_CR and CPUID 8000000Ah. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include "hypervisor/virt_probe.h"
#include "kernel/arch/x86.h"

#define MSR_VM_CR 0xc0010114
#define VM_CR_SVMDIS (1u << 4) /* APM Vol 2 15.30.1 */

void svm_probe(struct virt_features *f)
{
	struct cpuid_regs r;

	f->backend = VIRT_SVM;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		snprintf(f->reason, sizeof(f->reason), "AMD-V is disabled by the firmware (VM_CR.SVMDIS); enable SVM in the firmware setup");
		return;
	}
	if (cpuid(0x80000000, 0).eax < 0x8000000a) {
		snprintf(f->reason, sizeof(f->reason), "AMD-V without CPUID leaf 8000000Ah");
		return;
	}
	/* APM Vol 3 E.4.9: EBX = number of ASIDs; EDX = SVM features. */
	r = cpuid(0x8000000a, 0);
	f->asids = r.ebx;
	f->npt = r.edx & (1u << 0);
	f->nrip_save = r.edx & (1u << 3);
	f->vmcb_clean = r.edx & (1u << 5);
	f->decode_assists = r.edx & (1u << 7);
	f->pause_filter = r.edx & (1u << 10);
	if (!f->npt) {
		snprintf(f->reason, sizeof(f->reason), "AMD-V without nested paging (NPT): Bulwark needs NPT");
		return;
	}
	f->available = true;
}
