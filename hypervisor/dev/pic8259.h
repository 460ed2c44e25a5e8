/* The 8259A programmable interrupt controller pair (master at 0x20, slave at 0xA0, ELCR at 0x4D0). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_PIC8259_H
#define HYPERVISOR_DEV_PIC8259_H

#include <stdbool.h>
#include <stdint.h>

/* One 8259A. Pure logic; the caller holds the VM's interrupt lock. */
struct vpic_chip {
	uint8_t irr, isr, imr;
	uint8_t line;              /* input levels, for edge detection */
	uint8_t elcr, elcr_mask;   /* level-triggered inputs (PIIX4 ELCR) and which may be */
	uint8_t vector_base;       /* ICW2 */
	uint8_t init_step;         /* 0: operational; 1-3: ICW2, ICW3, ICW4 expected next */
	bool icw4_needed, single, auto_eoi, read_isr, poll;
	uint8_t priority_add;      /* rotation: the input with the highest priority */
};

struct vpic {
	struct vpic_chip chip[2];  /* 0 master, 1 slave on master input 2 */
};

void vpic_reset(struct vpic *p);
/* `chip` 0/1, `port` 0 (command) or 1 (data), as at 0x20/0x21 and 0xA0/0xA1. */
uint8_t vpic_read(struct vpic *p, unsigned chip, unsigned port);
void vpic_write(struct vpic *p, unsigned chip, unsigned port, uint8_t value);
uint8_t vpic_elcr_read(const struct vpic *p, unsigned chip);
void vpic_elcr_write(struct vpic *p, unsigned chip, uint8_t value);
/* ISA line `irq` (0-15) at `level`; others are ignored. */
void vpic_set_irq(struct vpic *p, unsigned irq, bool level);
/* The master's INT output, and the INTA cycle that takes the vector (ExtINT). */
bool vpic_int_output(const struct vpic *p);
uint8_t vpic_ack(struct vpic *p);

#endif
