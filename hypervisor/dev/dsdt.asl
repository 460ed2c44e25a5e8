/*
 * The DSDT of every VM: the S5 sleep type, the serial port and the RTC, and the
 * place where virtio-mmio devices are declared. Compiled by iasl at build time
 * (mk/acpi.mk); its numbers come from platform.h through iasl's preprocessor.
 * SPDX-License-Identifier: MIT
 */
#include "hypervisor/dev/platform.h"

DefinitionBlock ("", "DSDT", 2, "BULWRK", "BWVM    ", 1)
{
    /* ACPI 6.4 7.4.2: \_S5 gives SLP_TYPa and SLP_TYPb for soft-off; the PM1 control model decodes this value. */
    Name (\_S5, Package (0x04) { PLAT_SLP_TYP_S5, PLAT_SLP_TYP_S5, Zero, Zero })

    Scope (\_SB)
    {
        /* COM1: a 16550 at 0x3F8-0x3FF on IRQ 4 (PNP0501: 16550A-compatible). */
        Device (COM1)
        {
            Name (_HID, EisaId ("PNP0501"))
            Name (_UID, One)
            Method (_STA, 0, NotSerialized) { Return (0x0F) }
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, PLAT_PORT_COM1, PLAT_PORT_COM1, 0x01, 0x08)
                IRQNoFlags () { PLAT_IRQ_COM1 }
            })
        }

        /* The CMOS RTC at 0x70-0x71 on IRQ 8 (PNP0B00: AT real-time clock). */
        Device (RTC)
        {
            Name (_HID, EisaId ("PNP0B00"))
            Method (_STA, 0, NotSerialized) { Return (0x0F) }
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, PLAT_PORT_RTC, PLAT_PORT_RTC, 0x01, 0x02)
                IRQNoFlags () { PLAT_IRQ_RTC }
            })
        }

        /*
         * virtio-mmio devices (Linux's "LNRO0005" ACPI id, drivers/virtio/virtio_mmio.c):
         * slot n is one PLAT_VIRTIO_MMIO_SLOT page at PLAT_VIRTIO_MMIO_BASE + n * 0x1000
         * on GSI PLAT_GSI_VIRTIO_FIRST + n, level-triggered, active high (virtio 1.2 4.2.2;
         * ACPI 6.4 6.4.3.5.3 Memory32Fixed, 6.4.3.6 Extended Interrupt). The numbers are
         * written out (ASL resource macros take literals); the acpi_build unit test checks
         * them against platform.h. Slot 0 is the console, 1-4 the disks, an empty slot
         * answers DeviceID 0, which the driver ignores (hypervisor/dev/virtio/virtio.h).
         */
        Device (VR00)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 0)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB00000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 16 }
            })
        }

        Device (VR01)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 1)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB01000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 17 }
            })
        }

        Device (VR02)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 2)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB02000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 18 }
            })
        }

        Device (VR03)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 3)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB03000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 19 }
            })
        }

        Device (VR04)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 4)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB04000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 20 }
            })
        }

        Device (VR05)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 5)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB05000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 21 }
            })
        }

        Device (VR06)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 6)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB06000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 22 }
            })
        }

        Device (VR07)
        {
            Name (_HID, "LNRO0005")
            Name (_UID, 7)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFEB07000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 23 }
            })
        }
    }
}
