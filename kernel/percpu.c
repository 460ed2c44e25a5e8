/* Per-CPU descriptor tables, TSS and stacks; GS points at each CPU's block. */
/* SPDX-License-Identifier: MIT */

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/percpu.h"
#include "kernel/panic.h"
#include "kernel/arch/x86.h"
#include "kernel/arch/idt.h"

static struct percpu *cpus[MAX_CPUS];

struct percpu *percpu_get(uint32_t index)
{
	return index < MAX_CPUS ? cpus[index] : NULL;
}

static uint8_t *alloc_stack(size_t size)
{
	uint8_t *s = memalign(16, size);
	if (!s)
		panic("out of memory for a CPU stack");
	memset(s, 0, size);
	return s + size;
}

struct percpu *percpu_alloc(uint32_t index, uint32_t apic_id)
{
	struct percpu *p = memalign(64, sizeof(*p));

	if (!p || index >= MAX_CPUS)
		panic("cannot allocate per-CPU data for CPU %u", index);
	memset(p, 0, sizeof(*p));
	p->self = p;
	p->index = index;
	p->apic_id = apic_id;
	p->state = CPU_OFFLINE;
	p->stack_top = alloc_stack(KERNEL_STACK_SIZE);
	p->stack_base = p->stack_top - KERNEL_STACK_SIZE;
	for (int i = 0; i < 3; i++)
		p->ist_top[i] = alloc_stack(IST_STACK_SIZE);
	cpus[index] = p;
	return p;
}

extern uint8_t boot_stack_top[]; /* entry.S: 32 KiB in .bss, zero when the image is loaded */
#define BOOT_STACK_SIZE (32 * 1024)

void percpu_use_boot_stack(struct percpu *p)
{
	uintptr_t top = (uintptr_t)boot_stack_top;

	p->stack_top = (uint8_t *)top;
	p->stack_base = (uint8_t *)(top - BOOT_STACK_SIZE);
}

/* The lowest non-zero byte marks the deepest write: an underestimate by the zeros stored there, at most a few bytes. */
size_t percpu_stack_used(const struct percpu *p)
{
	const volatile uint8_t *b = p->stack_base;

	if (!b)
		return 0;
	while (b < p->stack_top && !*b)
		b++;
	return (size_t)(p->stack_top - (const uint8_t *)b);
}

/* A 64-bit TSS descriptor takes two GDT slots, SDM Vol 3A 8.2.3 figure 8-4. */
static void set_tss_descriptor(struct percpu *p)
{
	uint64_t base = (uint64_t)&p->tss, limit = sizeof(p->tss) - 1;

	p->gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	p->gdt[4] = base >> 32;
}

static void load_segments(struct percpu *p)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr = { sizeof(p->gdt) - 1, (uint64_t)p->gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"(SEL_KERNEL_CS), "r"(SEL_KERNEL_DS), "r"(SEL_TSS)
			 : "rax", "memory");
}

void percpu_setup(struct percpu *p)
{
	p->gdt[0] = 0;
	p->gdt[1] = 0x00af9a000000ffffull; /* 64-bit code, DPL 0 */
	p->gdt[2] = 0x00cf92000000ffffull; /* data */
	set_tss_descriptor(p);
	p->tss.ist[IST_NMI - 1] = (uint64_t)p->ist_top[0];
	p->tss.ist[IST_DF - 1] = (uint64_t)p->ist_top[1];
	p->tss.ist[IST_MC - 1] = (uint64_t)p->ist_top[2];
	p->tss.rsp[0] = (uint64_t)p->stack_top;
	p->tss.iomap_base = sizeof(p->tss); /* no I/O bitmap */
	load_segments(p);
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	idt_load();
}
