/* VM entry and exit stub: host callee-saved registers on the stack, guest GPRs at vcpu_regs offsets. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/vmx/vmx_run.h"
#include "hypervisor/vcpu_regs_asm.h"

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
	movq GPR_RAX(%rdi), %rax
	guest_gprs_load %rdi
	movq GPR_RDI(%rdi), %rdi
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
	movq %rax, GPR_RAX(%rdi)
	guest_gprs_save %rdi
	popq GPR_RDI(%rdi)
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
