/* The 8254 programmable interval timer (ports 0x40-0x43) and port 0x61's gate and OUT2. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_PIT_H
#define HYPERVISOR_DEV_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182u  /* 14.31818 MHz / 12, the PC's PIT input clock (Linux's PIT_TICK_RATE) */

struct vpit_channel {
	uint8_t mode, rw, bcd;        /* control word fields */
	uint32_t reload;              /* count written, 1..0x10000 */
	bool running;                 /* a complete count was written */
	bool gate, null_count;
	uint64_t start_ns;            /* when counting (re)started */
	uint64_t base_ticks;          /* ticks counted before a gate pause (modes 0, 1, 4, 5) */
	uint8_t write_lsb_next, write_lsb;  /* lo/hi write flip-flop and the low byte written */
	uint8_t read_msb_next;        /* lo/hi read flip-flop */
	bool count_latched, status_latched;
	uint16_t latch;
	uint8_t latch_bytes;          /* latched bytes still to read */
	uint8_t status;
	uint64_t irq_edges;           /* rising OUT edges already reported (channel 0 -> IRQ0) */
};

struct vpit {
	struct vpit_channel ch[3];
	uint8_t port61;               /* bits 0-3 as written (gate 2, speaker data, parity/IOCHK enables) */
};

/* Pure logic with the time passed in; the caller holds the VM's interrupt lock. */
void vpit_reset(struct vpit *p);
/* `port` 0-3 for 0x40-0x43. */
uint8_t vpit_read(struct vpit *p, unsigned port, uint64_t now_ns);
void vpit_write(struct vpit *p, unsigned port, uint8_t value, uint64_t now_ns);
/* Port 0x61 (system control port B): bit 0 gate 2, bit 1 speaker, bit 4 refresh toggle, bit 5 OUT2. */
uint8_t vpit_port61_read(struct vpit *p, uint64_t now_ns);
void vpit_port61_write(struct vpit *p, uint8_t value, uint64_t now_ns);
/* Whether channel 0's OUT rose since the last call (IRQ0 is edge-triggered: one pulse covers any number). */
bool vpit_irq0_due(struct vpit *p, uint64_t now_ns);
/* Monotonic ns of channel 0's next rising OUT edge, UINT64_MAX if none is coming. */
uint64_t vpit_irq0_next_ns(const struct vpit *p, uint64_t now_ns);
/* OUT of channel `c` now (the status byte's bit 7). */
bool vpit_out(const struct vpit *p, unsigned c, uint64_t now_ns);
/* The count channel `c` holds now. */
uint16_t vpit_count(const struct vpit *p, unsigned c, uint64_t now_ns);

#endif
