/* The vCPU half of the VT-x ops table (vmx_vcpu.c). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_VCPU_H
#define HYPERVISOR_VMX_VMX_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/exit.h"

struct vcpu;

/* Shared bitmaps (vmx.c). */
extern uint8_t vmx_io_bitmap_a[], vmx_io_bitmap_b[], vmx_msr_bitmap[];
/* A zeroed page stamped with the VMCS revision identifier, or 0. */
uint64_t vmx_alloc_region(void);

/* Preconditions: called on the CPU the vCPU is pinned to, with cpu_enable done there. */
int vmx_vcpu_init(struct vcpu *v);
void vmx_vcpu_destroy(struct vcpu *v);
int vmx_vcpu_run(struct vcpu *v, uint64_t slice_tsc, struct vm_exit *exit);
void vmx_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
void vmx_read_state(struct vcpu *v);
bool vmx_event_allowed(struct vcpu *v, bool nmi);
void vmx_inject_event(struct vcpu *v, uint8_t vector, bool nmi);
void vmx_request_window(struct vcpu *v, bool nmi);

#endif
