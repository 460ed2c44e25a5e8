/* Chooses the virtualization backend from CPUID at boot and describes what it offers. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>
#include "hypervisor/virt.h"
#include "hypervisor/virt_probe.h"
#include "hypervisor/fpu.h"
#include "hypervisor/guest_context.h"
#include "hypervisor/virt_ops.h"
#include "kernel/cpu.h"

static struct virt_features features;

const struct virt_features *virt_features_get(void)
{
	return &features;
}

const char *virt_backend_name(uint32_t backend)
{
	switch (backend) {
	case VIRT_VMX: return "VT-x";
	case VIRT_SVM: return "AMD-V";
	default: return "none";
	}
}

void virt_probe(void)
{
	const struct cpu_info *cpu = cpu_info_get();

	memset(&features, 0, sizeof(features));
	if (cpu->has_vmx)
		vmx_probe(&features);
	else if (cpu->has_svm)
		svm_probe(&features);
	else
		snprintf(features.reason, sizeof(features.reason),
			 "this CPU has neither VT-x nor AMD-V (CPUID.1:ECX[5] and CPUID.80000001h:ECX[2] clear)");
	if (features.available) {
		fpu_probe();
		guest_context_probe();
	}
}

static void add(char *buf, unsigned len, bool on, const char *name)
{
	size_t n = strlen(buf);
	if (on && n + 1 < len)
		snprintf(buf + n, len - n, "%s%s", buf[n - 1] == '(' ? "" : ", ", name);
}

void virt_describe(char *buf, unsigned len)
{
	const struct virt_features *f = &features;

	if (!f->available) {
		snprintf(buf, len, "none: %s; VMs cannot run", f->reason);
		return;
	}
	snprintf(buf, len, "%s (", virt_backend_name(f->backend));
	if (f->backend == VIRT_VMX) {
		add(buf, len, f->ept, "EPT");
		add(buf, len, f->ept_2m, "EPT 2M pages");
		add(buf, len, f->vpid, "VPID");
		add(buf, len, f->unrestricted_guest, "unrestricted guest");
		add(buf, len, f->preemption_timer, "preemption timer");
	} else {
		char asids[32];
		snprintf(asids, sizeof(asids), "%u ASIDs", f->asids);
		add(buf, len, f->npt, "NPT");
		add(buf, len, true, asids);
		add(buf, len, f->nrip_save, "nrip-save");
		add(buf, len, f->decode_assists, "decode assists");
		add(buf, len, f->vmcb_clean, "VMCB clean bits");
		add(buf, len, f->pause_filter, "pause filter");
	}
	size_t n = strlen(buf);
	if (n + 1 < len)
		snprintf(buf + n, len - n, ")");
}

/* The backends link in as they are built; a missing one reads as NULL. */
extern const struct virt_ops vmx_ops __attribute__((weak));
extern const struct virt_ops svm_ops __attribute__((weak));

const struct virt_ops *virt_ops_get(void)
{
	if (!features.available)
		return NULL;
	if (features.backend == VIRT_VMX)
		return &vmx_ops;
	if (features.backend == VIRT_SVM)
		return &svm_ops;
	return NULL;
}
