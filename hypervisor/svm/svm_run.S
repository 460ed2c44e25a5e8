/* Guest entry and exit for AMD-V: host state around VMRUN, guest GPRs in and out of struct vcpu_regs. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/vcpu_regs_asm.h"

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

	guest_gprs_load %rdi
	movq GPR_RDI(%rdi), %rdi
	movq (%rsp), %rax       /* guest RAX lives in the VMCB */

	vmrun %rax

	/* #VMEXIT: RAX = guest VMCB again (host RAX), RSP as before VMRUN, GIF = 0. */
	pushq %rdi
	movq 24(%rsp), %rdi
	guest_gprs_save %rdi
	popq %rax
	movq %rax, GPR_RDI(%rdi)

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
