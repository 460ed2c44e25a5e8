/* The legacy 8259 interrupt controllers. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

/* Remaps the 8259s to vectors 0x20-0x2f and masks every line. */
void pic_disable(void);

#endif
