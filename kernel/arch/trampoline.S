/* Start-up code of the application processors: real mode -> long mode -> ap_entry (SDM Vol 3A 9.4.4). */
/* SPDX-License-Identifier: MIT */

/*
 * Copied to a page below 1 MiB; the SIPI vector makes CS = page >> 8, IP = 0.
 * Position-independent: every address is computed from the page base (EBX).
 * The bootstrap CPU fills the tr_* slots before each start.
 */
#define OFF(sym) ((sym) - trampoline_start)
#define CR0_PE 0x1
#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define EFER_LME 0x100
#define EFER_NXE 0x800

	.section .trampoline, "ax"
	.code16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	xorl %ebx, %ebx
	movw %ax, %bx
	shll $4, %ebx
	leal OFF(tr_gdt)(%ebx), %eax
	movl %eax, OFF(tr_gdt_ptr) + 2
	leal OFF(tr_pm32)(%ebx), %eax
	movl %eax, OFF(tr_jmp32)
	leal OFF(tr_lm64)(%ebx), %eax
	movl %eax, OFF(tr_jmp64)
	lgdtl OFF(tr_gdt_ptr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_jmp32)

	.code32
tr_pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl OFF(tr_cr3)(%ebx), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PG | CR0_MP), %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_jmp64)(%ebx)

	.code64
tr_lm64:
	movq OFF(tr_stack)(%rbx), %rsp
	movq OFF(tr_arg)(%rbx), %rdi
	movq OFF(tr_entry)(%rbx), %rax
	xorl %ebp, %ebp
	call *%rax /* the ABI wants RSP+8 16-byte aligned at entry; ap_entry never returns */
	hlt

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
	.quad 0x00cf9a000000ffff /* 0x18: 32-bit code */
tr_gdt_ptr:
	.short 31
	.long 0
	.balign 4
tr_jmp32:
	.long 0
	.short 0x18
	.balign 4
tr_jmp64:
	.long 0
	.short 0x08
	.balign 8
	.globl tr_cr3, tr_stack, tr_arg, tr_entry
tr_cr3: .quad 0
tr_stack: .quad 0
tr_arg: .quad 0
tr_entry: .quad 0
	.globl trampoline_end
trampoline_end:
