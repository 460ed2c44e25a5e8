/* The last step of the UEFI loader: new page tables, a GDT of its own, a new stack, jump to the kernel. */
/* SPDX-License-Identifier: MIT */

/*
 * void handoff_enter(uint64_t cr3, uint64_t stack_top, uint64_t entry, uint64_t boot_info)
 * System V ABI: RDI = cr3, RSI = stack_top, RDX = entry, RCX = boot_info.
 * Runs after ExitBootServices(): this code and the GDT below lie in the
 * loader image (EfiLoaderCode), which the new tables map 1:1.
 */
	.text
	.globl handoff_enter
	.type handoff_enter, @function
handoff_enter:
	cli
	/* Intel SDM Vol 3A 4.5: CR3 bits 51:12 hold the PML4 address (no PCID, no flags). */
	mov %rdi, %cr3

	/* SDM Vol 3A 3.5.1: LGDT takes a 2-byte limit and an 8-byte base. */
	sub $16, %rsp
	lea handoff_gdt(%rip), %rax
	movw $(handoff_gdt_end - handoff_gdt - 1), (%rsp)
	mov %rax, 2(%rsp)
	lgdt (%rsp)

	/* Reload CS with a far return, then the data segment registers. */
	pushq $0x08
	lea 1f(%rip), %rax
	push %rax
	lretq
1:	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	/* Enter as if called: RSP + 8 is 16-byte aligned, a zero return address. */
	mov %rsi, %rsp
	and $-16, %rsp
	mov %rcx, %rdi
	xor %ebp, %ebp
	pushq $0
	jmp *%rdx
	.size handoff_enter, . - handoff_enter

	/*
	 * SDM Vol 3A 3.4.5 segment descriptors; accessed bits preset so the CPU
	 * never writes to the table. 0x08: 64-bit code (L=1), 0x10: data.
	 */
	.data
	.balign 16
handoff_gdt:
	.quad 0
	.quad 0x00af9b000000ffff
	.quad 0x00cf93000000ffff
handoff_gdt_end:

	.section .note.GNU-stack, "", @progbits
