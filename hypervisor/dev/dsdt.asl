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
         * on GSI PLAT_GSI_VIRTIO_FIRST + n, level-triggered, active high. The issue that
         * adds the devices declares one per slot here, e.g.
         *
         *   Device (VR00)
         *   {
         *       Name (_HID, "LNRO0005")
         *       Name (_UID, Zero)
         *       Name (_CRS, ResourceTemplate ()
         *       {
         *           Memory32Fixed (ReadWrite, 0xFEB00000, 0x00001000)
         *           Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 16 }
         *       })
         *   }
         */
    }
}
