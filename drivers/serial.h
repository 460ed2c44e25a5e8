/* The machine's 16550 serial port (COM1): the hypervisor's console and log. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COM1_PORT 0x3f8
#define COM1_IRQ 4 /* its ISA interrupt */

/* 115200 8N1, FIFOs on, interrupts off. Returns false if no UART answers at `port`. */
bool serial_init(uint16_t port);
/* Writes bytes, turning "\n" into "\r\n"; safe from any CPU and from panic. */
void serial_write(const char *buf, size_t len);
/* Writes bytes exactly as given (the console sends its own CRLF). */
void serial_write_raw(const char *buf, size_t len);
/* Raises the UART's interrupt when a byte is received (16550 IER bit 0); the line stays up until
 * the bytes are read. Only to wake the reader: bytes are still read with serial_read_byte. */
void serial_rx_irq_enable(void);
/* Whether a received byte is waiting. */
bool serial_rx_ready(void);
/* Non-blocking: returns true and stores a byte if one was received. */
bool serial_read_byte(uint8_t *out);
/* Breaks the output lock: used once by panic so it can always print. */
void serial_force_unlock(void);

#endif
