/* Architectural guest register state, in one neutral form both backends read and write. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VCPU_REGS_H
#define HYPERVISOR_VCPU_REGS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A segment register with its hidden part. `attr` uses the VMX access-rights
 * layout (SDM Vol 3C 25.4.1 table 25-2): bits 3:0 type, 4 S, 6:5 DPL, 7 P,
 * 12 AVL, 13 L, 14 D/B, 15 G, 16 unusable. The SVM backend converts to the
 * VMCB's 12-bit form (APM Vol 2 15.5.1).
 */
struct vcpu_seg {
	uint16_t sel;
	uint32_t limit;
	uint32_t attr;
	uint64_t base;
};

#define SEG_ATTR_UNUSABLE (1u << 16)

struct vcpu_dtable {
	uint64_t base;
	uint32_t limit;
};

/*
 * General registers come first and in this order: the backends' entry stubs
 * save and load them at these offsets (checked by _Static_assert there).
 */
struct vcpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rsp, rip, rflags;
	uint64_t cr0, cr2, cr3, cr4, efer;
	struct vcpu_seg cs, ds, es, fs, gs, ss, tr, ldtr;
	struct vcpu_dtable gdtr, idtr;
};

#define VCPU_REGS_GPR_BYTES (15 * 8)
_Static_assert(offsetof(struct vcpu_regs, rsp) == VCPU_REGS_GPR_BYTES, "GPRs are a prefix of vcpu_regs");

/* Index of a general register as x86 encodes it (ModRM reg field, CR-access exit GPR number). */
uint64_t *vcpu_gpr(struct vcpu_regs *r, unsigned x86_index);

#endif
