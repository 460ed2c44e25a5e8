/* The PC's reset paths and small system ports: 0xCF9 reset control, the keyboard controller, port 0x92, POST 0x80. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_RESET_H
#define HYPERVISOR_DEV_RESET_H

#include <stdbool.h>
#include <stdint.h>

struct vreset {
	uint8_t cf9;     /* reset control register as written (bits 1, 3) */
	uint8_t port92;  /* system control port A (bit 1: A20) */
	uint8_t post;    /* last POST code written to port 0x80 */
};

/* Pure logic: each write returns true when the guest asked the machine to reset. */
void vreset_init(struct vreset *r);
uint8_t vreset_cf9_read(const struct vreset *r);
bool vreset_cf9_write(struct vreset *r, uint8_t value);
uint8_t vreset_port92_read(const struct vreset *r);
bool vreset_port92_write(struct vreset *r, uint8_t value);
/* The 8042 keyboard controller, minimal: status (0x64) and data (0x60) reads, command 0xFE pulses reset. */
uint8_t vreset_kbc_status(const struct vreset *r);
uint8_t vreset_kbc_data(const struct vreset *r);
bool vreset_kbc_command(struct vreset *r, uint8_t command);
void vreset_post_write(struct vreset *r, uint8_t value);

#endif
