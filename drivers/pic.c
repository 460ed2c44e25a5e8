/* The legacy 8259 PICs: moved off the exception vectors and masked; the LAPIC and IOAPIC take over. */
/* SPDX-License-Identifier: MIT */

#include "drivers/pic.h"
#include "kernel/arch/x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

/* ICW1-ICW4 per the 8259A data sheet: edge, cascade, 8086 mode; vectors 0x20-0x2f. */
void pic_disable(void)
{
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20);
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04);
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
