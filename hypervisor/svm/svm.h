/* The AMD-V backend's own state: per CPU, per VM and per vCPU, and the entry stub. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_SVM_H
#define HYPERVISOR_SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/slat.h"
#include "hypervisor/vm.h"
#include "hypervisor/svm/vmcb.h"
#include "hypervisor/svm/asid.h"

#define MSR_VM_CR 0xc0010114       /* APM Vol 2 15.30.1 */
#define VM_CR_SVMDIS (1ull << 4)
#define MSR_VM_HSAVE_PA 0xc0010117 /* APM Vol 2 15.30.4 */

/* Per physical CPU, at this_cpu()->arch once cpu_enable ran there. */
struct svm_cpu {
	uint64_t hsave_pa;      /* host save area VMRUN writes (APM Vol 2 15.5.2) */
	uint64_t host_vmcb_pa;  /* VMSAVE/VMLOAD of host FS, GS, TR, LDTR, syscall MSRs */
	uint64_t last_vmcb_pa;  /* the VMCB run last here: clean bits are only valid for it */
	bool flush_by_asid;     /* CPUID 8000000Ah EDX[6], APM Vol 3 E.4.9 */
	bool vmcb_clean, nrip_save;
	struct asid_space asids; /* this CPU's ASIDs, handed to vCPUs in generations */
};

/* Per VM, at vm->arch. */
struct svm_vm {
	struct slat npt;
	volatile uint64_t tlb_gen; /* bumped by every map/unmap: vCPUs flush when it moved */
	uint64_t iopm_pa, msrpm_pa;
};

/* Per vCPU, at v->arch. */
struct svm_vcpu {
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	uint64_t tlb_gen;       /* generation last flushed for */
	uint32_t asid;          /* its ASID on last_cpu while asid_gen is that CPU's generation */
	uint64_t asid_gen;
	int32_t last_cpu;       /* -1 before the first run */
	uint32_t dirty;         /* clean bits to clear: state the backend changed */
	uint64_t pending_event; /* EVENTINJ from inject_exception */
	uint64_t reinject;      /* EXITINTINFO: an event whose delivery an exit interrupted */
	bool virq;              /* an external interrupt waits in V_IRQ for the guest to take it (svm_intr.c) */
	bool flush_asid;        /* the guest's CR4 changed behind its back: flush its TLB at the next entry */
	uint64_t exit_rip;      /* RIP at the last exit: a skipped instruction ends its interrupt shadow */
	bool nmi_blocked;       /* an injected NMI's handler runs: no NMI until its IRET (APM Vol 2 15.20) */
	bool iret_seen;         /* the IRET intercept hit at iret_rip: NMIs unblock once RIP moved past it */
	uint64_t iret_rip;
};

/* The vCPU half of svm_ops (svm_vcpu.c). */
int svm_vcpu_init(struct vcpu *v);
void svm_vcpu_destroy(struct vcpu *v);
int svm_vcpu_run(struct vcpu *v, uint64_t slice_tsc, struct vm_exit *e);
void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
void svm_read_state(struct vcpu *v);

/* Page helpers on the frame allocator: zeroed, 4 KiB aligned, contiguous. */
uint64_t svm_alloc_pages(uint32_t count);
void svm_free_pages(uint64_t pa, uint32_t count);

/*
 * Exits the backend finishes itself (EFER and PAT writes). Returns true
 * if `e` was set to EXIT_NONE.
 */
bool svm_exit_local(struct vcpu *v, struct svm_vcpu *sv, struct vm_exit *e);

/*
 * Exits whose details the CPU did not give (svm_fetch.c): without nRIP-save
 * the real length of a prefixed instruction, and for a CR4 write the MOV's
 * source register, both read from the guest's bytes at CS:RIP.
 */
void svm_exit_fetch_decode(struct vcpu *v, const struct vmcb *vmcb, bool nrip_save, struct vm_exit *e);

/*
 * Interrupt delivery (svm_intr.c): the svm_ops entries of the same names,
 * the interrupt shadow at entry, and the VINTR and IRET exits, which it
 * finishes (the VINTR exit becomes EXIT_INTR_WINDOW, IRET EXIT_NONE).
 */
bool svm_event_allowed(struct vcpu *v, bool nmi);
void svm_inject_event(struct vcpu *v, uint8_t vector, bool nmi);
void svm_request_window(struct vcpu *v, bool nmi);
void svm_intr_entry(const struct vcpu *v, struct svm_vcpu *sv);
void svm_intr_exit(struct svm_vcpu *sv, struct vm_exit *e);
/* Posts external interrupt `vector` as V_IRQ for the guest to take when it can (svm_intr.c). */
void svm_post_virq(struct svm_vcpu *sv, uint8_t vector);

/* svm_run.S: VMSAVE host, VMLOAD guest, VMRUN, VMSAVE guest, VMLOAD host, with GIF clear around it. */
void svm_vmrun(struct vcpu_regs *regs, uint64_t vmcb_pa, uint64_t host_vmcb_pa);

#endif
