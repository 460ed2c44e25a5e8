/* The virtualization backend as seen from above: what the CPU offers and which backend runs. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VIRT_H
#define HYPERVISOR_VIRT_H

#include <stdbool.h>
#include <stdint.h>

enum virt_backend { VIRT_NONE = 0, VIRT_VMX, VIRT_SVM };

struct virt_features {
	uint32_t backend;  /* enum virt_backend */
	bool available;    /* the backend can run guests on this machine */
	char reason[120];  /* when !available: why no VM can run */
	/* VT-x, from the IA32_VMX_* capability MSRs (SDM Vol 3D appendix A) */
	bool ept, ept_2m, ept_1g, vpid, unrestricted_guest, preemption_timer;
	uint32_t preemption_timer_shift; /* timer ticks once per 2^shift TSC cycles */
	/* AMD-V, from CPUID 0x8000000A (APM Vol 2 15.4) */
	bool npt, nrip_save, decode_assists, vmcb_clean, pause_filter;
	uint32_t asids;
};

/* Reads CPUID and the capability MSRs on the bootstrap CPU; call once. */
void virt_probe(void);
const struct virt_features *virt_features_get(void);
const char *virt_backend_name(uint32_t backend);
/* One line for the banner and `info`: "VT-x (EPT, VPID, ...)" or the reason none is available. */
void virt_describe(char *buf, unsigned len);

#endif
