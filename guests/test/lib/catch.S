/* A minimal setjmp/longjmp so an exception handler can abandon a faulting attempt. */
/* SPDX-License-Identifier: MIT */

/* int catch_save(struct catch_buf *b): 0 now, the thrown value later. */
	.section .text
	.globl catch_save
catch_save:
	mov 4(%esp), %eax
	mov %ebx, 0(%eax)
	mov %esi, 4(%eax)
	mov %edi, 8(%eax)
	mov %ebp, 12(%eax)
	lea 4(%esp), %ecx
	mov %ecx, 16(%eax)
	mov (%esp), %ecx
	mov %ecx, 20(%eax)
	xor %eax, %eax
	ret

/* void catch_throw(struct catch_buf *b, int value): resumes at catch_save returning value (!= 0). */
	.globl catch_throw
catch_throw:
	mov 4(%esp), %edx
	mov 8(%esp), %eax
	mov 0(%edx), %ebx
	mov 4(%edx), %esi
	mov 8(%edx), %edi
	mov 12(%edx), %ebp
	mov 16(%edx), %esp
	jmp *20(%edx)
