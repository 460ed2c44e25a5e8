/* Multiboot2 header and the 32-bit entry from GRUB: builds boot page tables and enters long mode. */
/* SPDX-License-Identifier: MIT */

#define MB2_MAGIC 0xe85250d6          /* Multiboot2 spec 3.1.1 */
#define MB2_ARCH_I386 0
#define MB2_BOOTLOADER_MAGIC 0x36d76289 /* in EAX at entry, spec 3.3 */

#define CR0_PE (1 << 0)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80                  /* 2 MiB page in a PD entry, SDM Vol 3A 4.5 */

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* entry address tag (type 3): the ELF entry is 64-bit code for the UEFI loader */
	.balign 8
	.short 3, 0
	.long 12
	.long mb2_entry32
	/* end tag */
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl mb2_entry32
mb2_entry32:
	cli
	cld
	cmpl $MB2_BOOTLOADER_MAGIC, %eax
	jne bad_magic
	movl %ebx, %edi               /* Multiboot2 information, kept for 64-bit code */

	/* PD0..PD3 map 4 GiB with 2 MiB pages. */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, boot_pd(, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax               /* bits 32+ of the address: ecx * 2 MiB >> 32 */
	movl %eax, boot_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* PDPT_low[0..3] -> PD0..PD3 (identity); PDPT_high[510] -> PD0 (kernel at -2 GiB). */
	movl $boot_pd, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pdpt_low
	addl $4096, %eax
	movl %eax, boot_pdpt_low + 8
	addl $4096, %eax
	movl %eax, boot_pdpt_low + 16
	addl $4096, %eax
	movl %eax, boot_pdpt_low + 24
	movl $boot_pd, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pdpt_high + 510 * 8

	movl $boot_pdpt_low, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pml4
	movl $boot_pdpt_high, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pml4 + 511 * 8

	/* Long mode: PAE, CR3, EFER.LME, then paging (SDM Vol 3A 10.8.5). */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $mb2_entry64

bad_magic:
	movl $bad_magic_msg, %esi
	movw $0x3f8, %dx
2:	lodsb
	testb %al, %al
	jz 3f
	outb %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

	.code64
mb2_entry64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movabsq $kernel_entry_multiboot2, %rax
	jmp *%rax

	.section .boot.data, "a"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff      /* 64-bit code, SDM Vol 3A 3.4.5 */
	.quad 0x00cf92000000ffff      /* data */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
bad_magic_msg:
	.asciz "bulwark: not started by a Multiboot2 loader; halting\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_pml4: .skip 4096
boot_pdpt_low: .skip 4096
boot_pdpt_high: .skip 4096
boot_pd: .skip 4 * 4096
