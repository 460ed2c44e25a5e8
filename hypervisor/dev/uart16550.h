/* A 16550A UART model: the guest's COM1, output to a byte ring, input from the operator. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_UART16550_H
#define HYPERVISOR_DEV_UART16550_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/byte_ring.h"
#include "kernel/spinlock.h"

#define UART_RX_FIFO 16

/* Register file of one UART (offsets 0-7 from its base port). */
struct uart16550 {
	uint8_t ier, iir_pending, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	uint8_t rx[UART_RX_FIFO];
	uint8_t rx_head, rx_count;
	bool thr_empty_irq;         /* THRE interrupt pending until IIR is read or THR written */
	struct byte_ring *out;      /* where transmitted bytes go */
	struct spinlock lock;       /* the vCPU's CPU (guest I/O) and the console CPU (input) both use it */
};

void uart_init(struct uart16550 *u, struct byte_ring *out);
/* Guest I/O: `offset` is port - base (0..7); anything else reads 0xff / is ignored. */
uint8_t uart_read(struct uart16550 *u, uint16_t offset);
void uart_write(struct uart16550 *u, uint16_t offset, uint8_t value);
/* Operator input; false when the receive FIFO is full (the byte is not taken). */
bool uart_receive(struct uart16550 *u, uint8_t byte);
/* Whether the UART asserts its interrupt line (IER and pending conditions, 16550 data sheet). */
bool uart_irq_pending(const struct uart16550 *u);

#endif
