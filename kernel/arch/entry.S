/* 64-bit entry points of the kernel image: from the UEFI loader and from the Multiboot2 stub. */
/* SPDX-License-Identifier: MIT */

#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)

	.section .text.entry, "ax"
	.code64

/* Compiled C may use SSE: enable it before any C runs (SDM Vol 3A 13.1.3). */
.macro enable_sse
	movq %cr0, %rax
	andq $~CR0_EM, %rax
	orq $CR0_MP, %rax
	movq %rax, %cr0
	movq %cr4, %rax
	orq $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
	movq %rax, %cr4
.endm

/* From the UEFI loader: RDI = struct boot_info (see include/bulwark/boot_info.h). */
	.globl kernel_entry64
kernel_entry64:
	cli
	cld
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	movq %rdi, %rbx
	enable_sse
	movq %rbx, %rdi
	call kernel_main
	jmp halt_forever

/* From boot/multiboot2: RDI = Multiboot2 information (physical, identity-mapped). */
	.globl kernel_entry_multiboot2
kernel_entry_multiboot2:
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	movq %rdi, %rbx
	enable_sse
	movq %rbx, %rdi
	call multiboot2_to_boot_info
	movq %rax, %rdi
	call kernel_main
	jmp halt_forever

	.globl halt_forever
halt_forever:
	cli
1:	hlt
	jmp 1b

	.section .bss
	.balign 16
boot_stack:
	.skip 32768
	.globl boot_stack_top
boot_stack_top:
