/* The 8254 programmable interval timer (ports 0x40-0x43) and port 0x61's gate and OUT2. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/pit.h"

/*
 * Intel 82C54 data sheet (order 231244): control word (Figure 7), read-back
 * command (Figures 9-11), counter latch, modes 0-5 (the "Mode Definitions").
 * The count is computed from the time, never stepped: ticks = elapsed ns x
 * PIT_HZ / 1e9. Modes 1 and 5 (gate-triggered) count like 0 and 4 from the
 * count write. BCD counting is not modelled: counts are binary whatever bit 0
 * says (the status byte still reports it). A new count takes effect at once.
 */
#define CW_SC(v) ((v) >> 6)
#define CW_RW(v) (((v) >> 4) & 3u)
#define CW_MODE(v) (((v) >> 1) & 7u)
#define RW_LATCH 0
#define RW_LSB 1
#define RW_MSB 2
#define RW_BOTH 3
#define READ_BACK 3
#define RB_NO_COUNT 0x20
#define RB_NO_STATUS 0x10
#define REFRESH_HALF_PERIOD_NS 15085 /* port 0x61 bit 4 toggles every 15.085 us (PC/AT refresh) */

void vpit_reset(struct vpit *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; i < 3; i++) {
		p->ch[i].gate = i != 2; /* channel 2's gate is port 0x61 bit 0, low at reset */
		p->ch[i].reload = 0x10000;
	}
}

static unsigned mode_of(const struct vpit_channel *c)
{
	return c->mode > 5 ? c->mode - 4u : c->mode; /* 6 and 7 are 2 and 3 (Figure 7) */
}

static bool gate_pauses(unsigned mode)
{
	return mode == 0 || mode == 1 || mode == 4 || mode == 5;
}

static uint64_t ticks(const struct vpit_channel *c, uint64_t now_ns)
{
	if (!c->running)
		return 0;
	if (!c->gate)
		return gate_pauses(mode_of(c)) ? c->base_ticks : 0;
	return c->base_ticks + (uint64_t)((unsigned __int128)(now_ns - c->start_ns) * PIT_HZ / 1000000000u);
}

uint16_t vpit_count(const struct vpit *p, unsigned ci, uint64_t now_ns)
{
	const struct vpit_channel *c = &p->ch[ci % 3];
	uint64_t t = ticks(c, now_ns), n = c->reload, k, half;

	if (!c->running)
		return (uint16_t)c->reload;
	switch (mode_of(c)) {
	case 2:
		return (uint16_t)(n - t % n);
	case 3:
		/* Square wave: the counter steps by two through each half period. */
		k = t % n;
		half = (n + 1) / 2;
		return (uint16_t)(n - 2 * (k < half ? k : k - half));
	default:
		return (uint16_t)(n - t); /* modes 0, 1, 4, 5: counts down through 0 and wraps */
	}
}

bool vpit_out(const struct vpit *p, unsigned ci, uint64_t now_ns)
{
	const struct vpit_channel *c = &p->ch[ci % 3];
	uint64_t t = ticks(c, now_ns), n = c->reload;

	switch (mode_of(c)) {
	case 0:
	case 1:
		return c->running && t >= n;           /* low from the count write until terminal count */
	case 2:
		return !c->running || !c->gate || t % n != n - 1; /* low for the one clock before reload */
	case 3:
		return !c->running || !c->gate || t % n < (n + 1) / 2;
	default:
		return !c->running || t != n;           /* modes 4, 5: one low clock at terminal count */
	}
}

/* Rising OUT edges from the count write to tick t. */
static uint64_t edges(const struct vpit_channel *c, uint64_t t)
{
	unsigned m = mode_of(c);

	if (!c->running)
		return 0;
	if (m == 2 || m == 3)
		return t / c->reload;
	return t >= c->reload ? 1 : 0;
}

bool vpit_irq0_due(struct vpit *p, uint64_t now_ns)
{
	struct vpit_channel *c = &p->ch[0];
	uint64_t e = edges(c, ticks(c, now_ns));

	if (e <= c->irq_edges)
		return false;
	c->irq_edges = e;
	return true;
}

uint64_t vpit_irq0_next_ns(const struct vpit *p, uint64_t now_ns)
{
	const struct vpit_channel *c = &p->ch[0];
	unsigned m = mode_of(c);
	uint64_t target;

	(void)now_ns;
	if (!c->running || !c->gate)
		return UINT64_MAX;
	if (m == 2 || m == 3)
		target = (c->irq_edges + 1) * c->reload;
	else if (c->irq_edges == 0)
		target = c->reload;
	else
		return UINT64_MAX;
	if (target <= c->base_ticks)
		return c->start_ns;
	/* Round up: the edge is at the first nanosecond whose tick count reaches the target. */
	return c->start_ns + (uint64_t)(((unsigned __int128)(target - c->base_ticks) * 1000000000u + PIT_HZ - 1) / PIT_HZ);
}

static uint8_t status_byte(const struct vpit *p, unsigned ci, uint64_t now_ns)
{
	const struct vpit_channel *c = &p->ch[ci];

	/* Figure 11: OUT, null count, RW1 RW0, M2 M1 M0, BCD. */
	return (uint8_t)((vpit_out(p, ci, now_ns) ? 0x80 : 0) | (c->null_count ? 0x40 : 0) | (c->rw << 4) |
			 (c->mode << 1) | c->bcd);
}

static void latch_count(struct vpit *p, unsigned ci, uint64_t now_ns)
{
	struct vpit_channel *c = &p->ch[ci];

	if (c->count_latched)
		return; /* a second latch before the read is ignored */
	c->latch = vpit_count(p, ci, now_ns);
	c->count_latched = true;
	c->latch_bytes = c->rw == RW_BOTH ? 2 : 1;
}

static void latch_status(struct vpit *p, unsigned ci, uint64_t now_ns)
{
	struct vpit_channel *c = &p->ch[ci];

	if (c->status_latched)
		return;
	c->status = status_byte(p, ci, now_ns);
	c->status_latched = true;
}

static void read_back(struct vpit *p, uint8_t value, uint64_t now_ns)
{
	for (unsigned ci = 0; ci < 3; ci++) {
		if (!(value & (2u << ci)))
			continue;
		if (!(value & RB_NO_COUNT))
			latch_count(p, ci, now_ns);
		if (!(value & RB_NO_STATUS))
			latch_status(p, ci, now_ns);
	}
}

static void control_word(struct vpit *p, uint8_t value, uint64_t now_ns)
{
	struct vpit_channel *c;

	if (CW_SC(value) == READ_BACK) {
		read_back(p, value, now_ns);
		return;
	}
	c = &p->ch[CW_SC(value)];
	if (CW_RW(value) == RW_LATCH) {
		latch_count(p, CW_SC(value), now_ns);
		return;
	}
	c->rw = (uint8_t)CW_RW(value);
	c->mode = (uint8_t)CW_MODE(value);
	c->bcd = value & 1;
	c->running = false; /* stops until a new count is written; OUT takes the mode's initial level */
	c->null_count = true;
	c->write_lsb_next = c->read_msb_next = 0;
	c->count_latched = c->status_latched = false;
	c->base_ticks = 0;
	c->irq_edges = 0;
}

static void load_count(struct vpit_channel *c, uint32_t n, uint64_t now_ns)
{
	c->reload = n ? n : 0x10000; /* 0 is the largest count, 2^16 */
	if (c->reload == 1 && (mode_of(c) == 2 || mode_of(c) == 3))
		c->reload = 2;           /* 1 is illegal in modes 2 and 3 */
	c->running = true;
	c->null_count = false;
	c->start_ns = now_ns;
	c->base_ticks = 0;
	c->irq_edges = 0;
}

static void write_count(struct vpit_channel *c, uint8_t value, uint64_t now_ns)
{
	switch (c->rw) {
	case RW_LSB: load_count(c, value, now_ns); break;
	case RW_MSB: load_count(c, (uint32_t)value << 8, now_ns); break;
	case RW_BOTH:
		if (!c->write_lsb_next) {
			c->write_lsb = value;
			c->write_lsb_next = 1;
			if (mode_of(c) == 0)
				c->running = false; /* mode 0: writing the first byte stops the count */
		} else {
			c->write_lsb_next = 0;
			load_count(c, c->write_lsb | ((uint32_t)value << 8), now_ns);
		}
		break;
	default: break; /* no control word written yet */
	}
}

static uint8_t read_count(struct vpit *p, unsigned ci, uint64_t now_ns)
{
	struct vpit_channel *c = &p->ch[ci];
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->count_latched) {
		bool msb = c->rw == RW_MSB || (c->rw == RW_BOTH && c->latch_bytes == 1);
		if (--c->latch_bytes == 0)
			c->count_latched = false;
		return msb ? (uint8_t)(c->latch >> 8) : (uint8_t)c->latch;
	}
	v = vpit_count(p, ci, now_ns);
	switch (c->rw) {
	case RW_MSB: return (uint8_t)(v >> 8);
	case RW_BOTH:
		c->read_msb_next ^= 1;
		return c->read_msb_next ? (uint8_t)v : (uint8_t)(v >> 8);
	default: return (uint8_t)v;
	}
}

uint8_t vpit_read(struct vpit *p, unsigned port, uint64_t now_ns)
{
	if (port > 2)
		return 0xff; /* the control word register cannot be read */
	return read_count(p, port, now_ns);
}

void vpit_write(struct vpit *p, unsigned port, uint8_t value, uint64_t now_ns)
{
	if (port == 3)
		control_word(p, value, now_ns);
	else if (port < 3)
		write_count(&p->ch[port], value, now_ns);
}

static void set_gate(struct vpit_channel *c, bool gate, uint64_t now_ns)
{
	if (gate == c->gate)
		return;
	if (!gate) {
		if (gate_pauses(mode_of(c)))
			c->base_ticks = ticks(c, now_ns); /* counting pauses */
	} else if (!gate_pauses(mode_of(c)) || mode_of(c) == 1 || mode_of(c) == 5) {
		c->base_ticks = 0;                    /* modes 1, 2, 3, 5: a rising gate restarts the count */
		c->irq_edges = 0;
	}
	c->gate = gate;
	c->start_ns = now_ns;
}

uint8_t vpit_port61_read(struct vpit *p, uint64_t now_ns)
{
	uint8_t v = p->port61 & 0x0f;

	if ((now_ns / REFRESH_HALF_PERIOD_NS) & 1)
		v |= 0x10;
	if (vpit_out(p, 2, now_ns))
		v |= 0x20;
	return v;
}

void vpit_port61_write(struct vpit *p, uint8_t value, uint64_t now_ns)
{
	p->port61 = value & 0x0f;
	set_gate(&p->ch[2], value & 1, now_ns);
}
