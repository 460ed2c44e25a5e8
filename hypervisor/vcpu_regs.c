/* Access to guest general registers by their x86 encoding number. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/vcpu_regs.h"
#include "hypervisor/vcpu_regs_asm.h"

#define GPR_AT(field, off) _Static_assert(offsetof(struct vcpu_regs, field) == (off), "vcpu_regs_asm.h: " #field)
GPR_AT(rax, GPR_RAX);
GPR_AT(rbx, GPR_RBX);
GPR_AT(rcx, GPR_RCX);
GPR_AT(rdx, GPR_RDX);
GPR_AT(rsi, GPR_RSI);
GPR_AT(rdi, GPR_RDI);
GPR_AT(rbp, GPR_RBP);
GPR_AT(r8, GPR_R8);
GPR_AT(r9, GPR_R9);
GPR_AT(r10, GPR_R10);
GPR_AT(r11, GPR_R11);
GPR_AT(r12, GPR_R12);
GPR_AT(r13, GPR_R13);
GPR_AT(r14, GPR_R14);
GPR_AT(r15, GPR_R15);

/* SDM Vol 2A 2.1.5 table 2-2: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15. */
uint64_t *vcpu_gpr(struct vcpu_regs *r, unsigned x86_index)
{
	switch (x86_index & 15) {
	case 0: return &r->rax;
	case 1: return &r->rcx;
	case 2: return &r->rdx;
	case 3: return &r->rbx;
	case 4: return &r->rsp;
	case 5: return &r->rbp;
	case 6: return &r->rsi;
	case 7: return &r->rdi;
	case 8: return &r->r8;
	case 9: return &r->r9;
	case 10: return &r->r10;
	case 11: return &r->r11;
	case 12: return &r->r12;
	case 13: return &r->r13;
	case 14: return &r->r14;
	default: return &r->r15;
	}
}
