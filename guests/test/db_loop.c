/* Test guest `db_loop`: a #DB that recurs during its own delivery, in 64-bit mode (the CVE-2015-8104 loop). */
/* SPDX-License-Identifier: MIT */
/*
 * The guest enters IA-32e mode (SDM Vol 3A 10.8.5) and gives #DB (vector 1) an
 * interrupt gate with IST 1 (SDM Vol 3A 6.14.5): every delivery loads RSP from
 * the TSS's IST1 afresh, so every delivery pushes its frame at the same
 * addresses. DR0 is a data-write breakpoint on the first of those pushes (the
 * SS slot at IST1 - 8; DR7 L0, R/W0 = 01, LEN0 = 10: 8 bytes, SDM Vol 3B
 * 18.2.4). INT 1 makes the first delivery through vector 1 (ICEBP would do, but
 * QEMU's TCG takes it for #UD); it writes the watched slot,
 * which raises a #DB trap at the handler's first instruction boundary, before
 * the handler runs (SDM Vol 3B 18.3.1.2); that delivery writes the slot again,
 * forever, with no instruction boundary at which an interrupt could end it.
 * The hypervisor must intercept #DB so that each delivery exits (SDM Vol 3C
 * 25.6.3; APM Vol 2 15.12): the VM spins in exits, its CPU keeps being
 * scheduled, and the console answers. Should a delivery complete (a CPU that
 * does not watch its own pushes), the handler says so.
 */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define CR4_PAE (1u << 5)       /* SDM Vol 3A 2.5 */
#define CR0_PG (1u << 31)
#define MSR_EFER 0xc0000080u
#define EFER_LME (1u << 8)
#define SEL_CODE64 0x18
#define SEL_DATA 0x10
#define SEL_TSS 0x20
#define GATE_INTR64 0x8e        /* present, DPL 0, 64-bit interrupt gate: SDM Vol 3A 6.14.1 figure 6-8 */
#define VEC_DB 1
#define PTE_P 0x1u
#define PTE_RW 0x2u
#define PDE_PS 0x80u            /* a 2 MiB page: SDM Vol 3A 4.5 table 4-17 */
#define DR7_VALUE 0x00090001u   /* L0; R/W0 = 01 (data writes); LEN0 = 10 (8 bytes) */

/* 64-bit TSS, SDM Vol 3A 8.7 figure 8-11. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap;
} __attribute__((packed));

/* 64-bit IDT gate, SDM Vol 3A 6.14.1 figure 6-8. */
struct gate64 {
	uint16_t offset_lo, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __attribute__((packed));

struct desc_ptr64 {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct desc_ptr32 {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static struct tss64 tss;
static struct gate64 idt[32] __attribute__((aligned(16)));
static uint8_t ist_stack[4096] __attribute__((aligned(16)));
struct desc_ptr64 db_idtr;
uint32_t db_watch;
/*
 * Flat segments (SDM Vol 3A 3.4.5): 32-bit code 0x08, data 0x10, 64-bit code
 * 0x18 (L set, D clear: 5.2.1), and the 16-byte TSS descriptor at 0x20 (8.7.3).
 */
static uint64_t gdt[6] __attribute__((aligned(8))) = {
	0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull, 0x00af9a000000ffffull, 0, 0,
};

void db_long_mode(void);
void db_gate(void);
void db_other_gate(void);

/*
 * 64-bit code, assembled into this 32-bit object (every address is below 4 GiB). It prints
 * through COM1's data port directly, as the runtime's UART code is 32-bit.
 */
__asm__(".section .text\n"
	".code64\n"
	"db_puts:\n"                        /* RSI: a NUL-terminated string */
	"	mov $0x3f8, %dx\n"
	"1:	lodsb\n"
	"	test %al, %al\n"
	"	jz 2f\n"
	"	outb %al, %dx\n"
	"	jmp 1b\n"
	"2:	ret\n"
	".globl db_long_mode\n"
	"db_long_mode:\n"
	"	mov $0x10, %ax\n"
	"	mov %ax, %ds\n"
	"	mov %ax, %es\n"
	"	mov %ax, %ss\n"
	"	mov $db_idtr, %ebx\n"               /* absolute operands by register: a 32-bit object */
	"	lidt (%rbx)\n"
	"	mov $0x20, %ax\n"
	"	ltr %ax\n"
	"	mov $db_msg_lm, %esi\n"
	"	call db_puts\n"
	"	mov $db_watch, %ebx\n"
	"	mov (%rbx), %eax\n"
	"	mov %rax, %dr0\n"
	"	mov $0x00090001, %eax\n"
	"	mov %rax, %dr7\n"
	"	int $1\n"                         /* the first delivery through vector 1 */
	"	mov $db_msg_back, %esi\n"
	"	call db_puts\n"
	"3:	pause\n"
	"	jmp 3b\n"
	".globl db_gate\n"
	"db_gate:\n"
	"	xor %eax, %eax\n"
	"	mov %rax, %dr7\n"                 /* no more breakpoints: the message gets out */
	"	mov $db_msg_ran, %esi\n"
	"	call db_puts\n"
	"4:	pause\n"
	"	jmp 4b\n"
	".globl db_other_gate\n"
	"db_other_gate:\n"
	"	mov $db_msg_other, %esi\n"
	"	call db_puts\n"
	"5:	hlt\n"
	"	jmp 5b\n"
	".code32\n"
	".section .rodata\n"
	"db_msg_lm: .asciz \"db_loop: in 64-bit mode, #DB on IST 1 with a breakpoint on its frame\\n\"\n"
	"db_msg_back: .asciz \"db_loop: INT 1 returned without a #DB\\n\"\n"
	"db_msg_ran: .asciz \"db_loop: the #DB handler ran (delivery did not fault)\\n\"\n"
	"db_msg_other: .asciz \"db_loop: an unexpected exception\\n\"\n"
	".section .text\n");

static void set_gate(unsigned vec, void (*fn)(void), uint8_t ist)
{
	uint32_t a = (uint32_t)(uintptr_t)fn;

	idt[vec] = (struct gate64){ (uint16_t)a, SEL_CODE64, ist, GATE_INTR64, (uint16_t)(a >> 16), 0, 0 };
}

static void build_tables(void)
{
	uint32_t base = (uint32_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
	uint32_t top = (uint32_t)(uintptr_t)(ist_stack + sizeof(ist_stack)); /* 16-byte aligned */

	for (unsigned i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PDE_PS; /* the first GiB, identity */
	pdpt[0] = (uint32_t)(uintptr_t)pd | PTE_P | PTE_RW;
	pml4[0] = (uint32_t)(uintptr_t)pdpt | PTE_P | PTE_RW;
	tss.ist[0] = top;
	tss.iomap = sizeof(tss);
	/* SDM Vol 3A 8.7.3 figure 8-12: type 9 (available 64-bit TSS), base bits 63:32 zero. */
	gdt[4] = (limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) | (0x89ull << 40) |
		 ((uint64_t)((limit >> 16) & 0xfu) << 48) | ((uint64_t)(base >> 24) << 56);
	gdt[5] = 0;
	for (unsigned v = 0; v < 32; v++)
		set_gate(v, db_other_gate, 0);
	set_gate(VEC_DB, db_gate, 1);
	db_idtr = (struct desc_ptr64){ sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	db_watch = top - 8; /* where the delivery pushes SS (SDM Vol 3A 6.14.4, 6.14.5) */
}

void guest_main(uint32_t ram_bytes)
{
	struct desc_ptr32 g = { sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt };
	uint32_t cr0, cr4;

	(void)ram_bytes;
	build_tables();
	gprintf("db_loop: entering 64-bit mode, IST 1 stack top 0x%x, breakpoint at 0x%x\n",
		(uint32_t)tss.ist[0], db_watch);
	__asm__ volatile("cli; lgdt %0" ::"m"(g) : "memory");
	/* SDM Vol 3A 10.8.5: PAE, CR3, EFER.LME, then paging; a far jump to a 64-bit segment. */
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4 | CR4_PAE));
	__asm__ volatile("mov %0, %%cr3" ::"r"((uint32_t)(uintptr_t)pml4) : "memory");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0 | CR0_PG) : "memory");
	__asm__ volatile("ljmp %0, $db_long_mode" ::"i"(SEL_CODE64));
	halt_forever();
}
