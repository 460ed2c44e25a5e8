/* Guest entry and exit for AMD-V: host state around VMRUN, guest GPRs in and out of struct vcpu_regs. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/svm/svm_run_offsets.h"

	.text
	.code64

/*
 * void svm_vmrun(struct vcpu_regs *regs, uint64_t vmcb_pa, uint64_t host_vmcb_pa)
 *
 * Called with interrupts off. GIF is cleared first so nothing (NMI included)
 * runs while GS_BASE holds the guest's value between VMLOAD and VMLOAD
 * (APM Vol 2 15.17). VMRUN saves and restores host RSP, RIP, RAX, CS/SS/DS/ES,
 * GDTR, IDTR, CR0/3/4, EFER and RFLAGS in the host save area; FS, GS, TR,
 * LDTR, KERNEL_GS_BASE and the SYSCALL/SYSENTER MSRs are not, so they go
 * through a host VMCB with VMSAVE/VMLOAD (APM Vol 2 15.5.2, 15.5.3). IF is
 * set at VMRUN so that with V_INTR_MASKING host interrupts reach the INTR
 * intercept (APM Vol 2 15.21.1); GIF=0 keeps them pending until STGI, which
 * runs after CLI, so they are taken when the caller enables interrupts.
 */
	.globl svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi              /* 16(%rsp): regs */
	pushq %rdx              /* 8(%rsp): host VMCB */
	pushq %rsi              /* 0(%rsp): guest VMCB */

	clgi
	movq %rdx, %rax
	vmsave %rax
	movq %rsi, %rax
	vmload %rax
	sti

	movq REGS_RBX(%rdi), %rbx
	movq REGS_RCX(%rdi), %rcx
	movq REGS_RDX(%rdi), %rdx
	movq REGS_RSI(%rdi), %rsi
	movq REGS_RBP(%rdi), %rbp
	movq REGS_R8(%rdi), %r8
	movq REGS_R9(%rdi), %r9
	movq REGS_R10(%rdi), %r10
	movq REGS_R11(%rdi), %r11
	movq REGS_R12(%rdi), %r12
	movq REGS_R13(%rdi), %r13
	movq REGS_R14(%rdi), %r14
	movq REGS_R15(%rdi), %r15
	movq REGS_RDI(%rdi), %rdi
	movq (%rsp), %rax       /* guest RAX lives in the VMCB */

	vmrun %rax

	/* #VMEXIT: RAX = guest VMCB again (host RAX), RSP as before VMRUN, GIF = 0. */
	pushq %rdi
	movq 24(%rsp), %rdi
	movq %rbx, REGS_RBX(%rdi)
	movq %rcx, REGS_RCX(%rdi)
	movq %rdx, REGS_RDX(%rdi)
	movq %rsi, REGS_RSI(%rdi)
	movq %rbp, REGS_RBP(%rdi)
	movq %r8, REGS_R8(%rdi)
	movq %r9, REGS_R9(%rdi)
	movq %r10, REGS_R10(%rdi)
	movq %r11, REGS_R11(%rdi)
	movq %r12, REGS_R12(%rdi)
	movq %r13, REGS_R13(%rdi)
	movq %r14, REGS_R14(%rdi)
	movq %r15, REGS_R15(%rdi)
	popq %rax
	movq %rax, REGS_RDI(%rdi)

	popq %rax               /* guest VMCB */
	vmsave %rax
	popq %rax               /* host VMCB */
	vmload %rax
	cli
	stgi

	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size svm_vmrun, . - svm_vmrun

	.section .note.GNU-stack, "", @progbits
