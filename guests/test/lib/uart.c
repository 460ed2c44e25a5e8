/* Polled output on COM1 (a 16550 at 0x3F8): wait for THR empty, then write. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define COM1 0x3f8
/* Register offsets and bits: PC16550D data sheet, Table II. */
#define REG_THR 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define LSR_THRE 0x20
#define POLL_LIMIT 1000000u

void uart_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0x07); /* enable and clear both FIFOs */
	outb(COM1 + REG_MCR, 0x03); /* DTR, RTS */
}

static void uart_put_raw(uint8_t c)
{
	/* Bounded: a missing UART must not hang the guest before it can say anything else. */
	for (uint32_t i = 0; i < POLL_LIMIT && !(inb(COM1 + REG_LSR) & LSR_THRE); i++)
		cpu_pause();
	outb(COM1 + REG_THR, c);
}

void uart_putc(char c)
{
	if (c == '\n')
		uart_put_raw('\r');
	uart_put_raw((uint8_t)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}
