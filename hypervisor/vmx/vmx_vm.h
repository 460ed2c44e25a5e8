/* Per-VM and per-CPU VT-x state shared by the files of the VMX backend. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_VM_H
#define HYPERVISOR_VMX_VMX_VM_H

#include <stdint.h>
#include "hypervisor/slat.h"
#include "hypervisor/vmx/controls.h"
#include "kernel/spinlock.h"

struct vm;

struct vmx_vm {
	struct slat ept;
	uint64_t eptp;
	volatile uint64_t ept_gen; /* bumped on every change; vCPUs INVEPT before entry when it moved */
	struct spinlock lock;
};

struct vmx_cpu {
	uint64_t vmxon_pa;
	uint64_t current_vmcs; /* VMCS this CPU has loaded, or 0 */
	struct vmx_vcpu *msr_owner; /* whose SYSCALL MSRs this CPU holds (vmx_local.c) */
};

/* Capability MSRs, read at cpu_enable (identical on every CPU). */
extern struct vmx_caps vmx_caps;

/* This CPU's VT-x state, or NULL before cpu_enable succeeded here. */
struct vmx_cpu *vmx_this_cpu(void);
/* Invalidates guest-physical mappings derived from `eptp` on this CPU (single-context if supported). */
void vmx_invept(uint64_t eptp);

int vmx_vm_init(struct vm *vm);
void vmx_vm_destroy(struct vm *vm);
int vmx_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot);
int vmx_unmap(struct vm *vm, uint64_t gpa, uint64_t size);
uint64_t vmx_table_bytes(struct vm *vm);

#endif
