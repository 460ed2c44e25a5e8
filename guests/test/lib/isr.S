/* Exception entry stubs for vectors 0-31: push a uniform frame and call exception_dispatch. */
/* SPDX-License-Identifier: MIT */

/* Vectors that push an error code: SDM Vol 3A 6.15 (8, 10-14, 17, 21, 29, 30). */
.macro STUB vec, has_err
	.globl isr_\vec
isr_\vec:
	.if \has_err == 0
	push $0
	.endif
	push $\vec
	jmp isr_common
.endm

	.section .text
	STUB 0, 0
	STUB 1, 0
	STUB 2, 0
	STUB 3, 0
	STUB 4, 0
	STUB 5, 0
	STUB 6, 0
	STUB 7, 0
	STUB 8, 1
	STUB 9, 0
	STUB 10, 1
	STUB 11, 1
	STUB 12, 1
	STUB 13, 1
	STUB 14, 1
	STUB 15, 0
	STUB 16, 0
	STUB 17, 1
	STUB 18, 0
	STUB 19, 0
	STUB 20, 0
	STUB 21, 1
	STUB 22, 0
	STUB 23, 0
	STUB 24, 0
	STUB 25, 0
	STUB 26, 0
	STUB 27, 0
	STUB 28, 0
	STUB 29, 1
	STUB 30, 1
	STUB 31, 0

/* Frame layout: struct exception_frame in runtime.h. */
isr_common:
	pusha
	cld
	push %esp
	call exception_dispatch
	add $4, %esp
	popa
	add $8, %esp
	iret

	.section .rodata
	.align 4
	.globl isr_table
isr_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long isr_\v
	.endr
