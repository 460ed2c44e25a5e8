/* Test guest `platform`: reads the virtual PC's devices, then resets itself three ways and powers off. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

/*
 * Each boot counts itself in CMOS RAM (which survives a reset, as on a PC),
 * prints what it sees and leaves through the next exit: boot 0 resets through
 * 0xCF9, boot 1 through the keyboard controller, boot 2 through port 0x92.
 * Boot 3 listens to the ACPI power button and ignores it (vm stop must kill
 * it after its timeout); boot 4 honours it and enters S5 through PM1a_CNT,
 * polling PM1 status as an OS without interrupts would. Numbers are the PC's
 * (hypervisor/dev/platform.h), written out as a guest would have them.
 */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_BOOT_COUNT 0x40
#define PM_TMR 0x608
#define PM1A_STS 0x600
#define PM1A_EN 0x602
#define PM1A_CNT 0x604
#define PWRBTN 0x0100 /* PWRBTN_STS / PWRBTN_EN, ACPI 6.4 Tables 4.16-4.17 */
#define LAPIC 0xfee00000u
#define IOAPIC 0xfec00000u

static uint8_t cmos(uint8_t index)
{
	outb(CMOS_INDEX, index);
	return inb(CMOS_DATA);
}

static void cmos_set(uint8_t index, uint8_t value)
{
	outb(CMOS_INDEX, index);
	outb(CMOS_DATA, value);
}

static void print_rtc(void)
{
	uint32_t tries = 0;

	while ((cmos(0x0a) & 0x80) && tries++ < 1000000) /* wait out an update in progress */
		;
	gprintf("platform: rtc 20%02x-%02x-%02x %02x:%02x:%02x\n", cmos(0x09), cmos(0x08), cmos(0x07), cmos(0x04),
		cmos(0x02), cmos(0x00));
}

static void print_pm_timer(void)
{
	uint32_t a = inl(PM_TMR), b;

	for (volatile uint32_t i = 0; i < 200000; i++)
		;
	b = inl(PM_TMR);
	gprintf("platform: pm timer %s\n", ((b - a) & 0xffffff) != 0 && b <= 0xffffff ? "advances" : "stuck");
}

/* Channel 2 in mode 0 with its gate on through port 0x61, as Linux calibrates the TSC. */
static void print_pit(void)
{
	uint8_t lo, hi;

	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
	outb(0x43, 0xb0);
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	for (volatile uint32_t i = 0; i < 200000; i++)
		;
	outb(0x43, 0x80); /* latch channel 2 */
	lo = inb(0x42);
	hi = inb(0x42);
	gprintf("platform: pit channel 2 %s\n", (uint16_t)(lo | hi << 8) < 0xffff ? "counts" : "stuck");
}

static void print_apics(void)
{
	volatile uint32_t *lapic = (volatile uint32_t *)LAPIC, *ioapic = (volatile uint32_t *)IOAPIC;

	gprintf("platform: apic base 0x%llx\n", (unsigned long long)rdmsr(0x1b));
	gprintf("platform: lapic version 0x%x\n", lapic[0x30 / 4]);
	ioapic[0] = 0x01;
	gprintf("platform: ioapic version 0x%x\n", ioapic[0x10 / 4]);
}

static void power_off(void)
{
	gprintf("platform: power off\n");
	outw(PM1A_CNT, (5u << 10) | (1u << 13)); /* SLP_TYP = 5 (the DSDT's \_S5), SLP_EN */
}

/* Takes the power button, waits for presses; the first `ignore` of them are cleared and ignored. */
static void power_button(uint32_t ignore)
{
	outw(PM1A_EN, PWRBTN);
	gprintf("platform: waiting for the power button\n");
	for (;;) {
		for (volatile uint32_t i = 0; i < 100000; i++)
			;
		if (!(inw(PM1A_STS) & PWRBTN))
			continue;
		outw(PM1A_STS, PWRBTN); /* write 1 to clear */
		if (ignore == 0)
			break;
		ignore--;
		gprintf("platform: ignoring the power button\n");
	}
	gprintf("platform: power button pressed\n");
	power_off();
}

void guest_main(uint32_t ram_bytes)
{
	uint8_t boot = cmos(CMOS_BOOT_COUNT);

	(void)ram_bytes;
	cmos_set(CMOS_BOOT_COUNT, (uint8_t)(boot + 1));
	gprintf("platform: boot %u\n", boot);
	switch (boot) {
	case 0:
		print_rtc();
		print_pm_timer();
		print_pit();
		print_apics();
		gprintf("platform: reset through 0xcf9\n");
		outb(0xcf9, 0x02);
		outb(0xcf9, 0x06);
		break;
	case 1:
		gprintf("platform: reset through the keyboard controller\n");
		outb(0x64, 0xfe);
		break;
	case 2:
		gprintf("platform: reset through port 0x92\n");
		outb(0x92, 0x01);
		break;
	case 3:
		power_button(UINT32_MAX);
		break;
	default:
		power_button(0);
		break;
	}
	gprintf("platform: still running after the exit\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
