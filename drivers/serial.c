/* 16550 UART driver for COM1: polled transmit and receive, and a receive interrupt that only wakes the reader. */
/* SPDX-License-Identifier: MIT */

#include "drivers/serial.h"
#include "kernel/arch/x86.h"
#include "kernel/spinlock.h"

/* 16550 registers (offsets from the base port) and bits, per the NS16550A data sheet. */
#define UART_RBR 0 /* receive buffer (read) / transmit holding (write) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define UART_DLL 0 /* divisor latch, with LCR.DLAB */
#define UART_DLM 1
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_DR 0x01   /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the UART's interrupt line on a PC */
#define IER_RX_DATA 0x01     /* received data available */

static uint16_t serial_port;
static struct spinlock serial_lock = SPINLOCK_INIT;

bool serial_init(uint16_t port)
{
	/* The scratch register answers only if a UART is present. */
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, 1); /* 115200 = 1.8432 MHz / 16 / 1 */
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
	serial_port = port;
	return true;
}

static void put_raw(uint8_t c)
{
	/* Bounded wait: a dead UART must not hang the hypervisor. */
	for (uint32_t spin = 0; spin < 1000000; spin++)
		if (inb(serial_port + UART_LSR) & LSR_THRE)
			break;
	outb(serial_port + UART_RBR, c);
}

static void write_locked(const char *buf, size_t len, bool crlf)
{
	uint64_t flags;

	if (!serial_port)
		return;
	flags = spin_lock_irqsave(&serial_lock);
	for (size_t i = 0; i < len; i++) {
		if (crlf && buf[i] == '\n')
			put_raw('\r');
		put_raw((uint8_t)buf[i]);
	}
	spin_unlock_irqrestore(&serial_lock, flags);
}

void serial_write(const char *buf, size_t len)
{
	write_locked(buf, len, true);
}

void serial_write_raw(const char *buf, size_t len)
{
	write_locked(buf, len, false);
}

void serial_rx_irq_enable(void)
{
	if (serial_port)
		outb(serial_port + UART_IER, IER_RX_DATA);
}

bool serial_rx_ready(void)
{
	return serial_port && (inb(serial_port + UART_LSR) & LSR_DR);
}

bool serial_read_byte(uint8_t *out)
{
	if (!serial_port || !(inb(serial_port + UART_LSR) & LSR_DR))
		return false;
	*out = inb(serial_port + UART_RBR);
	return true;
}

void serial_force_unlock(void)
{
	spin_unlock(&serial_lock);
}
