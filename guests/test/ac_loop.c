/* Test guest `ac_loop`: an #AC that recurs during its own delivery, at ring 3 (the CVE-2015-5307 loop). */
/* SPDX-License-Identifier: MIT */
/*
 * At CPL 3 with CR0.AM and EFLAGS.AC set, a misaligned data access raises #AC
 * (SDM Vol 3A 6.15, interrupt 17). The #AC gate here leads to a ring-3 code
 * segment, so delivery does not switch stacks (SDM Vol 3A 6.12.1) and pushes
 * its frame onto the same misaligned stack at CPL 3, which is itself an
 * alignment-checked access: #AC again, forever, with no instruction boundary
 * at which an interrupt could end it. The hypervisor must intercept #AC so
 * that each delivery exits (SDM Vol 3C 25.6.3; APM Vol 2 15.12): the VM
 * spins in exits, its CPU keeps being scheduled, and the console answers.
 * On a CPU that does not check alignment (QEMU's TCG) nothing faults and the
 * guest says so from ring 3.
 */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define CR0_AM (1u << 18)       /* SDM Vol 3A 2.5 */
#define EFLAGS_FIXED (1u << 1)  /* SDM Vol 1 3.4.3 */
#define EFLAGS_IOPL3 (3u << 12) /* ring 3 may use the UART's ports */
#define EFLAGS_AC (1u << 18)
#define SEL_CODE0 0x08
#define SEL_DATA0 0x10
#define SEL_CODE3 (0x18 | 3)
#define SEL_DATA3 (0x20 | 3)
#define SEL_TSS 0x28
#define GATE_INTR32_DPL3 0xee   /* present, DPL 3, 32-bit interrupt gate: SDM Vol 3A 6.11 figure 6-2 */
#define VEC_AC 17

/* 32-bit TSS, SDM Vol 3A 8.2.1 figure 8-2: only SS0:ESP0 is used (a fault at ring 3 through a ring-0 gate). */
struct tss32 {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __attribute__((packed));

struct gate {
	uint16_t offset_lo, selector;
	uint8_t zero, type;
	uint16_t offset_hi;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static struct tss32 tss;
static uint8_t ring0_stack[4096] __attribute__((aligned(16)));
static uint8_t ring3_stack[4096] __attribute__((aligned(16)));
/*
 * Flat 4 GiB segments, SDM Vol 3A 3.4.5: access 0x9A/0x92 at DPL 0, 0xFA/0xF2
 * at DPL 3; the TSS descriptor (type 9, available 32-bit TSS) is filled in at run time.
 */
static uint64_t gdt[6] __attribute__((aligned(8))) = {
	0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull, 0x00cffa000000ffffull, 0x00cff2000000ffffull, 0,
};

void ring3_entry(void);
void ring3_ac_gate(void);
void ring3_no_fault(void);
void ring3_handler_ran(void);

/* Runs at ring 3 only if the misaligned push did not fault. */
void ring3_no_fault(void)
{
	uart_puts("ac_loop: no #AC at ring 3 (this CPU does not check alignment)\n");
	for (;;)
		cpu_pause();
}

/* Runs at ring 3 only if a delivery completed: the CPU did not check its own pushes. */
void ring3_handler_ran(void)
{
	uart_puts("ac_loop: the #AC handler ran (delivery did not fault)\n");
	for (;;)
		cpu_pause();
}

/*
 * The first instruction at ring 3 pushes onto a stack 2 bytes off a dword
 * boundary; the gate's code pushes nothing before the CPU's own frame.
 */
__asm__(".section .text\n"
	".globl ring3_entry\n"
	"ring3_entry:\n"
	"	push %eax\n"
	"	and $~15, %esp\n"
	"	call ring3_no_fault\n"
	".globl ring3_ac_gate\n"
	"ring3_ac_gate:\n"
	"	and $~15, %esp\n"
	"	call ring3_handler_ran\n");

static void load_tables(void)
{
	uint32_t base = (uint32_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
	struct desc_ptr g = { sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt }, idtr;
	struct gate *idt;

	tss.ss0 = SEL_DATA0;
	tss.esp0 = (uint32_t)(uintptr_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap = sizeof(tss); /* no I/O bitmap: IOPL alone decides */
	/* SDM Vol 3A 8.2.2 figure 8-3. */
	gdt[5] = (limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) | (0x89ull << 40) |
		 ((uint64_t)((limit >> 16) & 0xfu) << 48) | ((uint64_t)(base >> 24) << 56);
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "ltr %w2"
			 :: "m"(g), "i"(SEL_CODE0), "r"(SEL_TSS) : "memory");
	/* The runtime's IDT stays; only #AC now leads to ring 3. */
	__asm__ volatile("sidt %0" : "=m"(idtr));
	idt = (struct gate *)(uintptr_t)idtr.base;
	idt[VEC_AC] = (struct gate){ (uint16_t)(uintptr_t)ring3_ac_gate, SEL_CODE3, 0, GATE_INTR32_DPL3,
				     (uint16_t)((uintptr_t)ring3_ac_gate >> 16) };
}

void guest_main(uint32_t ram_bytes)
{
	uint32_t cr0, esp3 = (uint32_t)(uintptr_t)(ring3_stack + sizeof(ring3_stack)) - 2;

	(void)ram_bytes;
	load_tables();
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0 | CR0_AM));
	gprintf("ac_loop: entering ring 3 with CR0.AM, EFLAGS.AC and ESP 0x%x\n", esp3);
	/* IRET to CPL 3 (SDM Vol 3A 6.14 / IRET): DS and ES must be usable there, SS:ESP comes from the frame. */
	__asm__ volatile("mov %0, %%ds\n\t"
			 "mov %0, %%es\n\t"
			 "push %0\n\t"
			 "push %1\n\t"
			 "push %2\n\t"
			 "push %3\n\t"
			 "push %4\n\t"
			 "iret"
			 :: "r"((uint32_t)SEL_DATA3), "r"(esp3), "r"(EFLAGS_FIXED | EFLAGS_IOPL3 | EFLAGS_AC),
			    "r"((uint32_t)SEL_CODE3), "r"((uint32_t)(uintptr_t)ring3_entry)
			 : "memory");
	halt_forever();
}
