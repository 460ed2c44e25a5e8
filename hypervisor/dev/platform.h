/* The PC every VM sees: guest-physical addresses, I/O ports and interrupt lines of its devices. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_PLATFORM_H
#define HYPERVISOR_DEV_PLATFORM_H

/*
 * One table of the platform, so that the device models, the ACPI tables that
 * describe them and the loaders that write the memory map agree. The layout
 * follows the PC/AT and what QEMU's q35/PIIX machines give Linux.
 */

/* Guest RAM runs from guest-physical 0; the hole below 4 GiB holds device MMIO. */
#define PLAT_RAM_MAX_BELOW_4G 0xC0000000ull  /* RAM above this is refused for platform guests */
#define PLAT_LOW_RAM_END 0x9FC00ull          /* conventional memory, then the EBDA */
#define PLAT_BIOS_AREA 0xE0000ull            /* 0xE0000-0xFFFFF: RSDP scan area, e820-reserved */
#define PLAT_BIOS_AREA_END 0x100000ull

/* ACPI tables live in the BIOS area; the RSDP at its start (ACPI 6.4 5.2.5.1: 16-byte aligned, 0xE0000-0xFFFFF). */
#define PLAT_ACPI_BASE PLAT_BIOS_AREA
#define PLAT_ACPI_SIZE 0x10000ull

/* MMIO of the emulated devices. */
#define PLAT_IOAPIC_BASE 0xFEC00000ull       /* 82093AA; 24 pins */
#define PLAT_IOAPIC_SIZE 0x1000ull
#define PLAT_IOAPIC_PINS 24
#define PLAT_LAPIC_BASE 0xFEE00000ull        /* SDM Vol 3A 11.4.1: IA32_APIC_BASE default */
#define PLAT_LAPIC_SIZE 0x1000ull
#define PLAT_VIRTIO_MMIO_BASE 0xFEB00000ull  /* virtio-mmio slots, one 4 KiB page each */
#define PLAT_VIRTIO_MMIO_SLOT 0x1000ull
#define PLAT_VIRTIO_MMIO_SLOTS 8
#define PLAT_TESTDEV_BASE 0xFEBFF000ull     /* MMIO test device, only for VMs created with mmio_test=yes */
#define PLAT_TESTDEV_SIZE 0x1000ull

/* The window holding all of them (e820: reserved), above any guest RAM. */
#define PLAT_MMIO_WINDOW_BASE PLAT_VIRTIO_MMIO_BASE
#define PLAT_MMIO_WINDOW_END (PLAT_LAPIC_BASE + PLAT_LAPIC_SIZE)

/* I/O ports. */
#define PLAT_PORT_PIC_MASTER 0x20            /* 0x20-0x21 */
#define PLAT_PORT_PIC_SLAVE 0xA0             /* 0xA0-0xA1 */
#define PLAT_PORT_ELCR 0x4D0                 /* 0x4D0-0x4D1 edge/level control */
#define PLAT_PORT_PIT 0x40                   /* 0x40-0x43 */
#define PLAT_PORT_SYSCTL_B 0x61              /* NMI status and control: PIT channel 2 gate/out */
#define PLAT_PORT_KBC_DATA 0x60
#define PLAT_PORT_KBC_CMD 0x64               /* command 0xFE pulses reset */
#define PLAT_PORT_RTC 0x70                   /* 0x70 index, 0x71 data */
#define PLAT_PORT_POST 0x80                  /* POST code / I/O delay: written, ignored */
#define PLAT_PORT_SYSCTL_A 0x92              /* bit 0: fast reset */
#define PLAT_PORT_DEBUG_EXIT 0xF4            /* QEMU isa-debug-exit compatible, only when debug_exit=yes */
#define PLAT_PORT_COM1 0x3F8                 /* 0x3F8-0x3FF */
#define PLAT_PORT_RESET 0xCF9                /* reset control register */
#define PLAT_PORT_PM_BASE 0x600              /* ACPI PM block */
#define PLAT_PORT_PM1A_EVT (PLAT_PORT_PM_BASE + 0x0) /* 4 bytes: PM1 status, PM1 enable (ACPI 6.4 4.8.3.1) */
#define PLAT_PORT_PM1A_CNT (PLAT_PORT_PM_BASE + 0x4) /* 2 bytes (ACPI 6.4 4.8.3.2) */
#define PLAT_PORT_PM_TMR (PLAT_PORT_PM_BASE + 0x8)   /* 4 bytes, 24-bit counter (ACPI 6.4 4.8.3.3) */
#define PLAT_PORT_GPE0 (PLAT_PORT_PM_BASE + 0x20)    /* 4 bytes: GPE0 status, GPE0 enable */
#define PLAT_PM_TIMER_HZ 3579545u                    /* ACPI 6.4 4.8.3.3 */
#define PLAT_PM_BLOCK_LEN 0x24                       /* PM1 event, PM1 control, PM timer and GPE0 above */
#define PLAT_SLP_TYP_S5 5        /* PM1_CNT.SLP_TYP for S5: the DSDT's \_S5 package must say 5 */
#define PLAT_RESET_VALUE 0x06    /* FADT RESET_VALUE for PLAT_PORT_RESET: RST_CPU | SYS_RST */
#define PLAT_RTC_CENTURY 0x32    /* CMOS index of the century byte (FADT CENTURY) */

/* ISA interrupt lines (IOAPIC pins 0-15 are ISA IRQs; pin 2 takes the PIT through an override). */
#define PLAT_IRQ_PIT 0
#define PLAT_GSI_PIT 2                       /* MADT interrupt source override IRQ0 -> GSI2 */
#define PLAT_IRQ_COM1 4
#define PLAT_IRQ_RTC 8
#define PLAT_IRQ_SCI 9                       /* ACPI SCI: level, active high (override in the MADT) */
#define PLAT_GSI_VIRTIO_FIRST 16             /* virtio-mmio slot n uses GSI 16+n, level, active high */

/* APIC ids: vCPU n has local APIC id n; the IOAPIC takes the id after the last vCPU. */

#endif
