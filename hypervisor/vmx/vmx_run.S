/* VM entry and exit stub: host callee-saved registers on the stack, guest GPRs at vcpu_regs offsets. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/vmx/vmx_run.h"

	.text
	.code64

/* int vmx_enter(struct vcpu_regs *regs [rdi], uint32_t launched [esi]) */
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi			/* regs: at (%rsp) when the exit lands in vmx_exit_stub */
	movl $VR_VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax		/* HOST_RSP: this very stack (SDM Vol 3C 28.5.3) */
	jbe .Lfail
	testl %esi, %esi		/* MOVs below leave the flags alone */
	movq VR_RAX(%rdi), %rax
	movq VR_RBX(%rdi), %rbx
	movq VR_RCX(%rdi), %rcx
	movq VR_RDX(%rdi), %rdx
	movq VR_RSI(%rdi), %rsi
	movq VR_RBP(%rdi), %rbp
	movq VR_R8(%rdi), %r8
	movq VR_R9(%rdi), %r9
	movq VR_R10(%rdi), %r10
	movq VR_R11(%rdi), %r11
	movq VR_R12(%rdi), %r12
	movq VR_R13(%rdi), %r13
	movq VR_R14(%rdi), %r14
	movq VR_R15(%rdi), %r15
	movq VR_RDI(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp .Lfail
1:	vmresume
.Lfail:					/* VMfailInvalid (CF) or VMfailValid (ZF): SDM Vol 3C 31.2 */
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	movl $1, %eax
	ret
	.size vmx_enter, . - vmx_enter

/* HOST_RIP: RSP is what vmx_enter wrote to HOST_RSP; interrupts are off (RFLAGS = 2, SDM Vol 3C 28.5.3). */
	.globl vmx_exit_stub
	.type vmx_exit_stub, @function
vmx_exit_stub:
	pushq %rdi
	movq 8(%rsp), %rdi
	movq %rax, VR_RAX(%rdi)
	movq %rbx, VR_RBX(%rdi)
	movq %rcx, VR_RCX(%rdi)
	movq %rdx, VR_RDX(%rdi)
	movq %rsi, VR_RSI(%rdi)
	movq %rbp, VR_RBP(%rdi)
	movq %r8, VR_R8(%rdi)
	movq %r9, VR_R9(%rdi)
	movq %r10, VR_R10(%rdi)
	movq %r11, VR_R11(%rdi)
	movq %r12, VR_R12(%rdi)
	movq %r13, VR_R13(%rdi)
	movq %r14, VR_R14(%rdi)
	movq %r15, VR_R15(%rdi)
	popq VR_RDI(%rdi)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	xorl %eax, %eax
	ret
	.size vmx_exit_stub, . - vmx_exit_stub

	.section .note.GNU-stack, "", @progbits
