/* The one interface between the arch-neutral hypervisor and a backend (vmx/ or svm/). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VIRT_OPS_H
#define HYPERVISOR_VIRT_OPS_H

#include <stdint.h>
#include "hypervisor/exit.h"

struct vm;
struct vcpu;

/* Second-level mapping permissions. */
#define GMEM_R 0x1u
#define GMEM_W 0x2u
#define GMEM_X 0x4u
#define GMEM_RWX (GMEM_R | GMEM_W | GMEM_X)

struct virt_ops {
	const char *name;
	/* On every CPU, once, before any vCPU runs there (VMXON; EFER.SVME + host save area). 0 or -1. */
	int (*cpu_enable)(void);
	/* Per-VM state: the second-level page-table root (EPT/NPT) and its tag (VPID/ASID pool use). */
	int (*vm_init)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm); /* frees every table page */
	/* Maps guest-physical [gpa, gpa+size) to host-physical hpa (4 KiB aligned; 2 MiB pages where both are aligned). */
	int (*map)(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot);
	int (*unmap)(struct vm *vm, uint64_t gpa, uint64_t size);
	/* Bytes of second-level table pages this VM uses. */
	uint64_t (*table_bytes)(struct vm *vm);
	/* Allocates the VMCS/VMCB and loads v->regs as the initial state. Called on the CPU the vCPU is pinned to. */
	int (*vcpu_init)(struct vcpu *v);
	void (*vcpu_destroy)(struct vcpu *v);
	/*
	 * Runs the vCPU with interrupts off until it exits, for at most `slice_tsc`
	 * TSC cycles. Before: v->regs GPRs, rsp, rip, rflags are loaded into the
	 * guest; after: they hold the guest's values, and `exit` says why it stopped.
	 * Returns 0, or -1 if the vCPU cannot run on this CPU at all (logged).
	 */
	int (*vcpu_run)(struct vcpu *v, uint64_t slice_tsc, struct vm_exit *exit);
	/* Queues an exception for the next entry (SDM Vol 3C 27.6, APM Vol 2 15.20). */
	void (*inject_exception)(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
	/*
	 * Interrupt delivery, driven by hypervisor/intr.c before each entry, on the
	 * vCPU's CPU with interrupts off. event_allowed: nothing is queued for the
	 * next entry yet and the guest can take an external interrupt now
	 * (RFLAGS.IF, no STI/MOV SS shadow) or an NMI (no NMI blocking either).
	 * inject_event queues external interrupt `vector` (or an NMI) for the next
	 * entry, only after event_allowed said yes. request_window makes the guest
	 * exit with EXIT_INTR_WINDOW as soon as it could take one; that exit ends
	 * the request. SDM Vol 3C 25.6.2, 25.8.3, 26.6; APM Vol 2 15.20, 15.21.
	 */
	bool (*event_allowed)(struct vcpu *v, bool nmi);
	void (*inject_event)(struct vcpu *v, uint8_t vector, bool nmi);
	void (*request_window)(struct vcpu *v, bool nmi);
	/* Reads the whole state (control registers, segments) into v->regs. */
	void (*read_state)(struct vcpu *v);
};

/* The backend chosen at boot (virt_probe), or NULL when no VM can run. */
const struct virt_ops *virt_ops_get(void);

extern const struct virt_ops vmx_ops;
extern const struct virt_ops svm_ops;

#endif
