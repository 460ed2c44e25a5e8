/* The 8259A programmable interrupt controller pair (master at 0x20, slave at 0xA0, ELCR at 0x4D0). */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/pic8259.h"

/*
 * Intel 8259A data sheet (order 231468): ICW1-ICW4 initialisation sequence,
 * OCW1 (mask), OCW2 (EOI and rotation), OCW3 (register select, poll), fully
 * nested priority with rotation. Edge/level per input comes from the PIIX4's
 * ELCR (82371AB data sheet 4.1.10): IRQ 0, 1, 2, 8 and 13 are always edge.
 * Linux probes the pair, programs it and masks every input; its INT output
 * goes nowhere in Bulwark (no ExtINT delivery to LINT0), see vpic_int_output.
 */
#define ICW1 0x10
#define ICW1_IC4 0x01
#define ICW1_SNGL 0x02
#define OCW3 0x08
#define OCW3_RR 0x02
#define OCW3_RIS 0x01
#define OCW3_POLL 0x04
#define ICW4_AEOI 0x02
#define SLAVE_INPUT 2

static const uint8_t elcr_masks[2] = { 0xf8, 0xde };

static void chip_reset(struct vpic_chip *c, uint8_t elcr_mask)
{
	uint8_t elcr = c->elcr, line = c->line;

	memset(c, 0, sizeof(*c));
	c->elcr = elcr & elcr_mask;
	c->elcr_mask = elcr_mask;
	c->line = line;
}

void vpic_reset(struct vpic *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; i < 2; i++)
		chip_reset(&p->chip[i], elcr_masks[i]);
}

/* Priority 0 (highest) .. 7 of the highest set bit in `mask` under rotation; 8 if none. */
static unsigned priority(const struct vpic_chip *c, uint8_t mask)
{
	unsigned pr = 0;

	if (!mask)
		return 8;
	while (!(mask & (1u << ((pr + c->priority_add) & 7))))
		pr++;
	return pr;
}

/* The input the chip would signal now, or -1 (requests above anything in service). */
static int chip_pending(const struct vpic_chip *c)
{
	unsigned req = priority(c, c->irr & (uint8_t)~c->imr), cur = priority(c, c->isr);

	if (req == 8 || req >= cur)
		return -1;
	return (int)((req + c->priority_add) & 7);
}

static void chip_input(struct vpic_chip *c, unsigned pin, bool level)
{
	uint8_t bit = (uint8_t)(1u << pin);

	if (c->elcr & bit) {
		c->irr = level ? (c->irr | bit) : (c->irr & (uint8_t)~bit);
	} else if (level && !(c->line & bit)) {
		c->irr |= bit; /* edge: the rising transition latches the request */
	}
	c->line = level ? (c->line | bit) : (c->line & (uint8_t)~bit);
}

/* The slave's INT output drives master input 2. */
static void cascade(struct vpic *p)
{
	chip_input(&p->chip[0], SLAVE_INPUT, chip_pending(&p->chip[1]) >= 0);
}

void vpic_set_irq(struct vpic *p, unsigned irq, bool level)
{
	if (irq >= 16)
		return;
	chip_input(&p->chip[irq >> 3], irq & 7, level);
	cascade(p);
}

static void eoi(struct vpic_chip *c, uint8_t value)
{
	unsigned cmd = value >> 5, pin;

	switch (cmd) {
	case 1: /* non-specific EOI */
	case 5: /* rotate on non-specific EOI */
		pin = priority(c, c->isr);
		if (pin == 8)
			return;
		pin = (pin + c->priority_add) & 7;
		c->isr &= (uint8_t)~(1u << pin);
		if (cmd == 5)
			c->priority_add = (uint8_t)((pin + 1) & 7);
		break;
	case 3: /* specific EOI */
	case 7: /* rotate on specific EOI */
		c->isr &= (uint8_t)~(1u << (value & 7));
		if (cmd == 7)
			c->priority_add = (uint8_t)(((value & 7) + 1) & 7);
		break;
	case 6: /* set priority: the given input becomes the lowest */
		c->priority_add = (uint8_t)(((value & 7) + 1) & 7);
		break;
	default: /* 0, 4: rotate in automatic EOI mode (not modelled); 2: no operation */
		break;
	}
}

static void write_command(struct vpic_chip *c, uint8_t value)
{
	if (value & ICW1) {
		chip_reset(c, c->elcr_mask);
		c->irr &= c->elcr; /* edge sense circuit reset: pending edges are lost */
		c->icw4_needed = value & ICW1_IC4;
		c->single = value & ICW1_SNGL;
		c->init_step = 1;
	} else if (value & OCW3) {
		if (value & OCW3_POLL)
			c->poll = true;
		if (value & OCW3_RR)
			c->read_isr = value & OCW3_RIS;
	} else {
		eoi(c, value);
	}
}

static void write_data(struct vpic_chip *c, uint8_t value)
{
	switch (c->init_step) {
	case 1: /* ICW2: vector base, bits 7:3 */
		c->vector_base = value & 0xf8;
		c->init_step = c->single ? (c->icw4_needed ? 3 : 0) : 2;
		break;
	case 2: /* ICW3: cascade wiring, fixed here */
		c->init_step = c->icw4_needed ? 3 : 0;
		break;
	case 3: /* ICW4 */
		c->auto_eoi = value & ICW4_AEOI;
		c->init_step = 0;
		break;
	default: /* OCW1 */
		c->imr = value;
		break;
	}
}

void vpic_write(struct vpic *p, unsigned chip, unsigned port, uint8_t value)
{
	if (chip > 1)
		return;
	if (port == 0)
		write_command(&p->chip[chip], value);
	else if (port == 1)
		write_data(&p->chip[chip], value);
	cascade(p);
}

/* Poll mode (OCW3 P): the read is an INTA; bit 7 says whether an input was pending. */
static uint8_t poll(struct vpic_chip *c)
{
	int pin = chip_pending(c);

	c->poll = false;
	if (pin < 0)
		return 0;
	if (!(c->elcr & (1u << pin)))
		c->irr &= (uint8_t)~(1u << pin);
	c->isr |= (uint8_t)(1u << pin);
	return (uint8_t)(0x80 | pin);
}

uint8_t vpic_read(struct vpic *p, unsigned chip, unsigned port)
{
	struct vpic_chip *c;
	uint8_t v;

	if (chip > 1 || port > 1)
		return 0xff;
	c = &p->chip[chip];
	if (c->poll)
		v = poll(c);
	else if (port == 0)
		v = c->read_isr ? c->isr : c->irr;
	else
		v = c->imr;
	cascade(p);
	return v;
}

uint8_t vpic_elcr_read(const struct vpic *p, unsigned chip)
{
	return chip < 2 ? p->chip[chip].elcr : 0xff;
}

void vpic_elcr_write(struct vpic *p, unsigned chip, uint8_t value)
{
	if (chip < 2)
		p->chip[chip].elcr = value & p->chip[chip].elcr_mask;
}

bool vpic_int_output(const struct vpic *p)
{
	return chip_pending(&p->chip[0]) >= 0;
}

/* Takes input `pin` of `c` into service; returns its vector. */
static uint8_t chip_ack(struct vpic_chip *c, int pin)
{
	if (pin < 0)
		return (uint8_t)(c->vector_base | 7); /* spurious: IR7's vector (data sheet, INTA sequence) */
	if (!(c->elcr & (1u << pin)))
		c->irr &= (uint8_t)~(1u << pin);
	if (!c->auto_eoi)
		c->isr |= (uint8_t)(1u << pin);
	return (uint8_t)(c->vector_base | (uint8_t)pin);
}

uint8_t vpic_ack(struct vpic *p)
{
	int pin = chip_pending(&p->chip[0]);
	uint8_t vector;

	if (pin == SLAVE_INPUT) {
		chip_ack(&p->chip[0], pin);
		vector = chip_ack(&p->chip[1], chip_pending(&p->chip[1]));
	} else {
		vector = chip_ack(&p->chip[0], pin);
	}
	cascade(p);
	return vector;
}
