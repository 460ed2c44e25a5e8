/* The PC's reset paths and small system ports: 0xCF9 reset control, the keyboard controller, port 0x92, POST 0x80. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/reset.h"

/*
 * Reset control register 0xCF9 (Intel ICH/PCH data sheets, "Reset Control
 * Register"): bit 1 SYS_RST picks a hard reset, bit 2 RST_CPU starts the
 * reset, bit 3 FULL_RST; Linux writes 0x02 then 0x06 (or 0x0E). Both reset
 * the whole VM here. Port 0x92 (PS/2 system control port A): bit 0 fast
 * reset on its 0 -> 1 edge, bit 1 A20 (always on). 8042 command 0xFE pulses
 * the reset line. The keyboard controller has no keyboard behind it: its
 * status says "input buffer empty, output buffer empty, self-test passed".
 */
#define CF9_SYS_RST 0x02
#define CF9_RST_CPU 0x04
#define CF9_FULL_RST 0x08
#define P92_FAST_RESET 0x01
#define P92_A20 0x02
#define KBC_STATUS_SYSFLAG 0x04   /* system flag: POST passed */
#define KBC_STATUS_UNLOCKED 0x10  /* keyboard not inhibited */
#define KBC_CMD_PULSE_RESET 0xfe

void vreset_init(struct vreset *r)
{
	memset(r, 0, sizeof(*r));
	r->port92 = P92_A20;
}

uint8_t vreset_cf9_read(const struct vreset *r)
{
	return r->cf9;
}

bool vreset_cf9_write(struct vreset *r, uint8_t value)
{
	r->cf9 = value & (CF9_SYS_RST | CF9_FULL_RST); /* RST_CPU is self-clearing */
	return (value & CF9_RST_CPU) != 0;
}

uint8_t vreset_port92_read(const struct vreset *r)
{
	return r->port92;
}

bool vreset_port92_write(struct vreset *r, uint8_t value)
{
	bool reset = (value & P92_FAST_RESET) && !(r->port92 & P92_FAST_RESET);

	r->port92 = (uint8_t)((value & ~P92_FAST_RESET) | P92_A20); /* A20 cannot be turned off */
	return reset;
}

uint8_t vreset_kbc_status(const struct vreset *r)
{
	(void)r;
	return KBC_STATUS_SYSFLAG | KBC_STATUS_UNLOCKED;
}

uint8_t vreset_kbc_data(const struct vreset *r)
{
	(void)r;
	return 0x00;
}

bool vreset_kbc_command(struct vreset *r, uint8_t command)
{
	(void)r;
	return command == KBC_CMD_PULSE_RESET; /* other commands get no answer */
}

void vreset_post_write(struct vreset *r, uint8_t value)
{
	r->post = value;
}
