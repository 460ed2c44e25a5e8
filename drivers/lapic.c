/* Local APIC driver: enable, EOI, timer, IPIs; x2APIC through MSRs or xAPIC through MMIO. */
/* SPDX-License-Identifier: MIT */

#include "drivers/lapic.h"
#include "kernel/arch/x86.h"
#include "kernel/time.h"

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + offset/16 (SDM Vol 3A 12.12.1.2). */
#define LAPIC_ID 0x20
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2APIC (1u << 10)
#define SVR_ENABLE (1u << 8)
#define LVT_PERIODIC (1u << 17)
#define LVT_MASKED (1u << 16)
#define LVT_DELIVERY_NMI 0x400 /* delivery mode 100b, edge-triggered, unmasked: SDM Vol 3A 11.5.1 figure 11-8 */
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_NMI 0x400
#define ICR_LEVEL_ASSERT 0x4000
#define ICR_DELIVERY_PENDING 0x1000
#define ICR_ALL_BUT_SELF 0xc0000

static bool x2apic;
static volatile uint8_t *mmio;

bool lapic_x2apic_mode(void)
{
	return x2apic;
}

static uint32_t lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return *(volatile uint32_t *)(mmio + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), v);
	else
		*(volatile uint32_t *)(mmio + reg) = v;
}

void lapic_enable(bool use_x2apic, void *xapic_mmio)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	x2apic = use_x2apic;
	mmio = xapic_mmio;
	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);
	lapic_write(LAPIC_SVR, SVR_ENABLE | 0xff);
}

/*
 * LINT1 is the platform's NMI line on a PC (SDM Vol 3A 11.5.1): on every CPU
 * it delivers an NMI, whatever the firmware left there, so a platform NMI
 * reaches each CPU and each counts and dismisses it (kernel/arch/idt.c).
 */
void lapic_lint1_nmi(void)
{
	lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);
	return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_timer_start(uint32_t hz, uint8_t vector)
{
	uint64_t t0, elapsed_ns;
	uint32_t counted, init;

	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | vector);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	t0 = time_ns();
	time_delay_us(10000);
	counted = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	elapsed_ns = time_ns() - t0;
	if (!elapsed_ns || !counted)
		counted = 100000, elapsed_ns = 10000000;
	init = (uint32_t)((uint64_t)counted * 1000000000ull / elapsed_ns / hz);
	if (!init)
		init = 1;
	lapic_timer_periodic(init, vector);
	return init;
}

/* SDM Vol 3A 11.5.4: LVT timer mode 00b one-shot, 01b periodic; writing the initial count
 * (re)starts the count-down. The divider stays as lapic_timer_start set it. */
void lapic_timer_oneshot(uint32_t count, uint8_t vector)
{
	lapic_write(LAPIC_LVT_TIMER, vector);
	lapic_write(LAPIC_TIMER_INIT, count);
}

void lapic_timer_periodic(uint32_t count, uint8_t vector)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | vector);
	lapic_write(LAPIC_TIMER_INIT, count);
}

static void send_icr(uint32_t dest, uint32_t low)
{
	if (x2apic) {
		wrmsr(0x830, ((uint64_t)dest << 32) | low);
		return;
	}
	lapic_write(LAPIC_ICR_HIGH, dest << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	for (int i = 0; i < 1000000 && (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING); i++)
		cpu_relax();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	send_icr(apic_id, vector);
}

void lapic_send_nmi_all_but_self(void)
{
	send_icr(0, ICR_ALL_BUT_SELF | ICR_NMI | ICR_LEVEL_ASSERT);
}

void lapic_start_ap(uint32_t apic_id, uint8_t start_page)
{
	send_icr(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
	time_delay_us(10000);
	for (int i = 0; i < 2; i++) {
		send_icr(apic_id, ICR_STARTUP | start_page);
		time_delay_us(200);
	}
}
