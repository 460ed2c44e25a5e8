/* Test guest `irq`: interrupt delivery on vCPU 0 — self-IPI and the interrupt window, LAPIC timer wake-ups from HLT, NMIs, the IOAPIC. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

/*
 * Prints "irq: ok - NAME" or "irq: not ok - NAME (why)" per check, then
 * "irq: done", and halts with interrupts off. Addresses, ports and register
 * offsets are the PC's as a guest has them (SDM Vol 3A table 11-1, 82093AA,
 * ACPI PM timer at 0x608 counting at 3.579545 MHz, ACPI 6.4 4.8.3.3).
 */
#define LAPIC 0xfee00000u
#define IOAPIC 0xfec00000u
#define PM_TMR 0x608
#define PM_TICKS_PER_MS 3580u /* 3.579545 MHz */
#define COM1 0x3f8

enum { L_EOI = 0xb0, L_SVR = 0xf0, L_ICR_LO = 0x300, L_ICR_HI = 0x310, L_LVT_TIMER = 0x320, L_TIMER_INIT = 0x380,
       L_TIMER_DCR = 0x3e0 };
#define VEC_TIMER 0x40
#define VEC_IPI 0x41
#define VEC_UART 0x42
#define LVT_PERIODIC (1u << 17)
#define ICR_SELF (1u << 18)     /* destination shorthand 01 */
#define ICR_NMI (4u << 8)       /* delivery mode 100 */
/* The LAPIC timer counts the 1 GHz bus clock (hypervisor/dev/lapic.h); DCR 0xB divides by 1. */
#define TIMER_2MS 2000000u

volatile uint32_t ticks, ipis, nmis, uart_irqs;

/* Interrupt handlers: count, EOI (not for NMI: SDM Vol 3A 11.8.5), IRET. */
__asm__(".text\n"
	"timer_entry: pushl %eax; lock incl ticks; movl $0, 0xfee000b0; popl %eax; iret\n"
	"ipi_entry: pushl %eax; lock incl ipis; movl $0, 0xfee000b0; popl %eax; iret\n"
	"nmi_entry: lock incl nmis; iret\n"
	"uart_entry: pushl %eax; pushl %edx; movw $0x3fa, %dx; inb %dx, %al; lock incl uart_irqs;"
	" movl $0, 0xfee000b0; popl %edx; popl %eax; iret\n");
extern char timer_entry[], ipi_entry[], nmi_entry[], uart_entry[];
extern const uint32_t isr_table[32];

struct gate {
	uint16_t lo, sel;
	uint8_t zero, type;
	uint16_t hi;
} __attribute__((packed));

static struct gate idt[256];

static void set_gate(unsigned vec, uint32_t fn)
{
	idt[vec] = (struct gate){ (uint16_t)fn, 0x08, 0, 0x8e, (uint16_t)(fn >> 16) }; /* 32-bit interrupt gate */
}

static void idt_load(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint32_t base; } d = { sizeof(idt) - 1, (uint32_t)idt };

	for (unsigned v = 0; v < 32; v++)
		set_gate(v, isr_table[v]);
	set_gate(2, (uint32_t)nmi_entry);
	set_gate(VEC_TIMER, (uint32_t)timer_entry);
	set_gate(VEC_IPI, (uint32_t)ipi_entry);
	set_gate(VEC_UART, (uint32_t)uart_entry);
	__asm__ volatile("lidt %0" ::"m"(d));
}

static void lapic_w(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC + off) = v;
}

static uint32_t pm_now(void)
{
	return inl(PM_TMR) & 0xffffff;
}

static uint32_t pm_ms_since(uint32_t t0)
{
	return ((pm_now() - t0) & 0xffffff) / PM_TICKS_PER_MS;
}

static void check(const char *name, int ok, const char *fmt, uint32_t a, uint32_t b)
{
	gprintf("irq: %s - %s", ok ? "ok" : "not ok", name);
	gprintf(" (");
	gprintf(fmt, a, b);
	gprintf(")\n");
}

/* A self-IPI with IF clear waits in IRR; STI's shadow covers one instruction, then it is taken. */
static void self_ipi(void)
{
	uint32_t before, after;

	__asm__ volatile("cli");
	lapic_w(L_ICR_HI, 0);
	lapic_w(L_ICR_LO, ICR_SELF | VEC_IPI);
	for (volatile uint32_t i = 0; i < 10000; i++)
		;
	before = ipis;
	__asm__ volatile("sti; nop; cli" ::: "memory");
	after = ipis;
	check("self-IPI waits while IF is clear and is taken after STI", before == 0 && after == 1,
	      "%u before STI, %u after", before, after);
}

/*
 * Waits with STI; HLT until `*count` reaches `want` or 2 s of PM-timer time
 * passed (a timer that never fires must not hang the guest).
 */
static void wait_for(volatile uint32_t *count, uint32_t want, uint32_t t0)
{
	while (*count < want && pm_ms_since(t0) < 2000)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/*
 * One-shot 2 ms, ten times: never early (the deadline is the count times the
 * bus period, SDM Vol 3A 11.5.4). The upper bound is loose: the rigs run on
 * shared, loaded machines; that a HLT sleeps until the deadline rather than a
 * host tick is checked exactly by tests/unit/intr.c.
 */
static void oneshot_wakeups(void)
{
	uint32_t t0, ms, got = 0;

	lapic_w(L_TIMER_DCR, 0xb);
	lapic_w(L_LVT_TIMER, VEC_TIMER);
	ticks = 0;
	t0 = pm_now();
	for (int i = 0; i < 10; i++) {
		lapic_w(L_TIMER_INIT, TIMER_2MS);
		wait_for(&ticks, (uint32_t)i + 1, t0);
	}
	ms = pm_ms_since(t0);
	got = ticks;
	check("ten 2 ms one-shot LAPIC timers wake HLT, none early", got == 10 && ms >= 19 && ms < 1000,
	      "%u interrupts in %u ms", got, ms);
}

/* Periodic 10 ms: 20 interrupts take at least 200 ms of PM-timer time (late periods merge into one, 11.5.4). */
static void periodic(void)
{
	uint32_t t0, ms;

	ticks = 0;
	lapic_w(L_LVT_TIMER, VEC_TIMER | LVT_PERIODIC);
	lapic_w(L_TIMER_INIT, 5 * TIMER_2MS);
	t0 = pm_now();
	wait_for(&ticks, 20, t0);
	ms = pm_ms_since(t0);
	lapic_w(L_TIMER_INIT, 0); /* stops it (SDM Vol 3A 11.5.4) */
	lapic_w(L_LVT_TIMER, 1u << 16);
	check("periodic 10 ms LAPIC timer: 20 interrupts, not before 200 ms", ticks >= 20 && ms >= 195 && ms < 2000,
	      "%u ms", ms, 0);
}

/* An NMI IPI to itself is taken with IF clear; a second one after the first handler's IRET. */
static void nmi(void)
{
	uint32_t first, second;

	__asm__ volatile("cli");
	lapic_w(L_ICR_HI, 0); /* APIC id 0: this vCPU */
	lapic_w(L_ICR_LO, ICR_NMI);
	for (volatile uint32_t i = 0; i < 10000; i++)
		;
	first = nmis;
	lapic_w(L_ICR_LO, ICR_NMI);
	for (volatile uint32_t i = 0; i < 10000 && nmis < 2; i++)
		;
	second = nmis;
	check("NMI IPIs are taken with IF clear, one after another", first == 1 && second == 2, "%u, then %u", first,
	      second);
}

/* IOAPIC pin 4 -> vector 0x42 on APIC 0; the UART's THR-empty interrupt (IER bit 1) raises it. */
static void ioapic_uart(void)
{
	volatile uint32_t *io = (volatile uint32_t *)IOAPIC;
	uint32_t got;

	io[0] = 0x10 + 2 * 4 + 1; /* redirection entry 4, high half: destination 0 */
	io[4] = 0;
	io[0] = 0x10 + 2 * 4;     /* low half: fixed, physical, edge, active high, unmasked */
	io[4] = VEC_UART;
	outb(COM1 + 1, 0x02);
	for (int i = 0; i < 100 && !uart_irqs; i++)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	outb(COM1 + 1, 0x00);
	got = uart_irqs;
	io[0] = 0x10 + 2 * 4;
	io[4] = 1u << 16;         /* masked again */
	check("the IOAPIC routes the UART's IRQ 4 to the LAPIC", got >= 1, "%u interrupts", got, 0);
}

void guest_main(uint32_t ram_bytes)
{
	(void)ram_bytes;
	idt_load();
	lapic_w(L_SVR, 0x1ff); /* software-enabled, spurious vector 0xFF (11.9) */
	gprintf("irq: start\n");
	self_ipi();
	oneshot_wakeups();
	periodic();
	nmi();
	ioapic_uart();
	gprintf("irq: done\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
