/* Test guest entry: BSS, stack, own GDT, then runtime_start(eax, ebx). */
/* SPDX-License-Identifier: MIT */

/*
 * Bulwark enters an ELF guest at its entry in 32-bit protected mode, paging
 * off, IF=0, CS=0x08/DS=0x10 flat but no GDT in memory, EBX = RAM size,
 * ESI = the vCPU number. A guest that carries a Multiboot 1 header (mbinfo)
 * is booted as a Multiboot kernel instead: EAX = 0x2BADB002 and EBX = the
 * Multiboot information structure (Multiboot Specification 0.6.96, 3.2),
 * on vCPU 0 only. The other guests carry no such header, so they stay ELF
 * guests (Bulwark tells the kind from the bytes).
 */

	.section .bss
	.align 16
stack_bottom:
	.skip 16384
stack_top:

	.section .rodata
	.align 8
/* Flat 4 GiB ring-0 code (0x08) and data (0x10): SDM Vol 3A 3.4.5, access bytes 0x9A and 0x92. */
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff
	.quad 0x00cf92000000ffff
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.section .text
	.globl _start
_start:
	cli
	cld
	/* Under Bulwark every vCPU starts here with ESI = its number: the test guests run on vCPU 0 only. */
	cmp $0x2BADB002, %eax
	je 2f
	test %esi, %esi
	jz 2f
1:	hlt
	jmp 1b
2:	mov %eax, %esi
	mov %ebx, %ebp
	/* Zero the BSS (stack included) before anything uses it. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov $stack_top, %esp
	lgdt gdt_desc
	ljmp $0x08, $1f
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	push %ebp
	push %esi
	call runtime_start
2:	cli
	hlt
	jmp 2b
