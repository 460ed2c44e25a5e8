/* ACPI power control: S5 soft-off through PM1 control, and reset through the FADT. */
/* SPDX-License-Identifier: MIT */

#include "drivers/acpi/acpi.h"
#include "kernel/arch/x86.h"
#include "kernel/mm/paging.h"
#include "kernel/time.h"
#include "kernel/log.h"

#define SLP_EN (1u << 13) /* PM1 control register, ACPI 6.5 4.8.4.2.1 */
#define SLP_TYP_SHIFT 10

static struct acpi_info acpi_tables;

struct acpi_info *acpi_info_storage(void)
{
	return &acpi_tables;
}

const struct acpi_info *acpi_get(void)
{
	return &acpi_tables;
}

void acpi_poweroff(void)
{
	const struct acpi_info *a = &acpi_tables;

	if (!a->has_fadt || !a->pm1a_cnt || !a->has_s5) {
		log_error("poweroff: no ACPI FADT/\\_S5 to enter S5 with");
		return;
	}
	irq_disable();
	outw(a->pm1a_cnt, (uint16_t)((a->slp_typa << SLP_TYP_SHIFT) | SLP_EN));
	if (a->pm1b_cnt)
		outw(a->pm1b_cnt, (uint16_t)((a->slp_typb << SLP_TYP_SHIFT) | SLP_EN));
	time_delay_us(500000);
	irq_enable();
	log_error("poweroff: the machine did not enter S5");
}

static void reset_through_fadt(void)
{
	const struct acpi_info *a = &acpi_tables;

	if (!a->has_reset_reg)
		return;
	if (a->reset_reg.space_id == 1 && a->reset_reg.address <= 0xffff)
		outb((uint16_t)a->reset_reg.address, a->reset_value);
	else if (a->reset_reg.space_id == 0 && a->reset_reg.address)
		*(volatile uint8_t *)paging_map_mmio(a->reset_reg.address, 1) = a->reset_value;
	time_delay_us(100000);
}

void acpi_reboot(void)
{
	irq_disable();
	reset_through_fadt();
	outb(0xcf9, 0x02); /* PCI reset control: system reset */
	outb(0xcf9, 0x06);
	time_delay_us(100000);
	for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
		cpu_relax();
	outb(0x64, 0xfe); /* 8042 pulse reset line */
	time_delay_us(100000);
	/* Last resort: a triple fault with an empty IDT. */
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) none = { 0, 0 };
	__asm__ volatile("lidt %0; int3" ::"m"(none));
	for (;;)
		__asm__ volatile("hlt");
}
