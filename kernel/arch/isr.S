/* Interrupt entry stubs: one per vector, a common path saving registers and FPU/SSE state. */
/* SPDX-License-Identifier: MIT */

	.text
	.code64

/* Vectors that push an error code, SDM Vol 3A 6.15 (table 6-1). */
.macro stub vec
	.balign 16
isr_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

.macro table_entry vec
	.quad isr_\vec
.endm

	.altmacro
	.set vec, 0
	.rept 256
	stub %vec
	.set vec, vec + 1
	.endr

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rbx           /* struct trap_frame *, kept across the call */
	subq $512, %rsp           /* FXSAVE area: C handlers may use SSE */
	andq $~15, %rsp
	fxsave (%rsp)
	movq %rbx, %rdi
	call trap_dispatch
	fxrstor (%rsp)
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp            /* vector and error code */
	iretq

	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	.set vec, 0
	.rept 256
	table_entry %vec
	.set vec, vec + 1
	.endr
