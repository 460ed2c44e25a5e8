/* hostile, part 3: programs the PIC, PIT, PCI and power ports, reading each back (resets reboot the VM: guest `platform`). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "hostile.h"
#include "x86.h"

/* 8259A: ICW1 with ICW4 (0x11) on the command ports, all masked (0xff) on the data ports. */
static uint64_t pic_command(uint32_t port)
{
	outb((uint16_t)port, 0x11);
	return inb((uint16_t)port);
}

static uint64_t pic_mask_all(uint32_t port)
{
	outb((uint16_t)port, 0xff);
	return inb((uint16_t)port);
}

/* 8254: channel 0, lobyte/hibyte, rate generator (0x34), count 0 = 65536. */
static uint64_t pit_program(uint32_t unused)
{
	(void)unused;
	outb(0x43, 0x34);
	outb(0x40, 0x00);
	outb(0x40, 0x00);
	return inb(0x40);
}

/* PCI configuration mechanism #1: bus 0, device 0, function 0, register 0 (vendor/device). */
static uint64_t pci_vendor(uint32_t unused)
{
	(void)unused;
	outl(0xcf8, 0x80000000u);
	return inl(0xcfc);
}

/* PM1a_CNT with SLP_EN (bit 13) and SLP_TYP 0: ACPI 6.4 4.8.3.2.1; S5 on QEMU and Bochs. */
static uint64_t acpi_sleep(uint32_t port)
{
	outw((uint16_t)port, 0x2000);
	return inw((uint16_t)port);
}

static const struct attack port_attacks[] = {
	{ "out 0x20 <- 0x11 (master PIC ICW1), in 0x20", pic_command, 0x20 },
	{ "out 0x21 <- 0xff (master PIC mask), in 0x21", pic_mask_all, 0x21 },
	{ "out 0xa0 <- 0x11 (slave PIC ICW1), in 0xa0", pic_command, 0xa0 },
	{ "out 0xa1 <- 0xff (slave PIC mask), in 0xa1", pic_mask_all, 0xa1 },
	{ "out 0x43 <- 0x34, 0x40 <- 0 0 (PIT channel 0), in 0x40", pit_program, 0 },
	{ "out 0xcf8 <- 0x80000000, in 0xcfc (PCI 00:00.0 vendor)", pci_vendor, 0 },
	{ "outw 0x604 <- 0x2000 (ACPI SLP_EN), inw 0x604", acpi_sleep, 0x604 },
	{ "outw 0xb004 <- 0x2000 (ACPI SLP_EN), inw 0xb004", acpi_sleep, 0xb004 },
};

void attack_ports(void)
{
	attempt_list(port_attacks, ARRAY_LEN(port_attacks));
}
