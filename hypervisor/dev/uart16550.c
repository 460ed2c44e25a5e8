/* A 16550A UART model: the register file Linux's 8250 driver and the test guests program. */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/dev/uart16550.h"

/*
 * Register map and bits from the National Semiconductor PC16550D data sheet
 * (June 1995), Table II "Summary of Registers" and section 8 "Registers".
 * Transmission is instantaneous: a THR write lands in the byte ring at once,
 * so THRE and TEMT are always set and there is no transmitter FIFO to model.
 */

/* Offsets from the base port (Table II); DLAB = LCR bit 7 selects DLL/DLM at 0/1. */
#define UART_RBR_THR 0
#define UART_IER 1
#define UART_IIR_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

/* 8.5 Interrupt Enable Register: bits 4-7 are always 0. */
#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0f

/* 8.6 Interrupt Identification Register, Table IV: bit 0 clear = pending. */
#define IIR_NONE 0x01
#define IIR_MSR 0x00
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_RLS 0x06
#define IIR_FIFO 0xc0 /* bits 6-7 set when FCR bit 0 is set */

/* 8.7 FIFO Control Register. */
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_KEPT 0xc9 /* enable, DMA mode select, receiver trigger bits 6-7 */

/* 8.4 Line Control Register. */
#define LCR_DLAB 0x80

/* 8.8 Modem Control Register. */
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

/* 8.9 Line Status Register. */
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_ERRORS 0x1e /* OE, PE, FE, BI: cleared by reading LSR */

/* 8.10 Modem Status Register: deltas in bits 0-3, line states in bits 4-7. */
#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_DELTAS 0x0f
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80
/* The lines an idle null-modem peer presents: clear to send, data set ready, carrier. */
#define MSR_LINES_IDLE (MSR_CTS | MSR_DSR | MSR_DCD)

static bool fifo_enabled(const struct uart16550 *u)
{
	return (u->fcr & FCR_ENABLE) != 0;
}

/* With FIFOs off the receiver holds one character (16450 mode, data sheet 8.7). */
static uint8_t rx_capacity(const struct uart16550 *u)
{
	return fifo_enabled(u) ? UART_RX_FIFO : 1;
}

/* Highest-priority pending source, Table IV: RLS > RDA > THRE > modem status. */
static uint8_t iir_source(const struct uart16550 *u)
{
	if ((u->ier & IER_ELSI) && (u->lsr & LSR_ERRORS))
		return IIR_RLS;
	if ((u->ier & IER_ERBFI) && u->rx_count > 0)
		return IIR_RDA;
	if ((u->ier & IER_ETBEI) && u->thr_empty_irq)
		return IIR_THRE;
	if ((u->ier & IER_EDSSI) && (u->msr & MSR_DELTAS))
		return IIR_MSR;
	return IIR_NONE;
}

static void update_iir(struct uart16550 *u)
{
	u->iir_pending = iir_source(u) | (fifo_enabled(u) ? IIR_FIFO : 0);
}

void uart_init(struct uart16550 *u, struct byte_ring *out)
{
	if (!u)
		return;
	/* Reset values, Table III "UART Reset Configuration". */
	*u = (struct uart16550){ .out = out };
	update_iir(u);
}

static void rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

static bool rx_push(struct uart16550 *u, uint8_t byte)
{
	if (u->rx_count >= rx_capacity(u))
		return false;
	u->rx[(u->rx_head + u->rx_count) % UART_RX_FIFO] = byte;
	u->rx_count++;
	return true;
}

static uint8_t rx_pop(struct uart16550 *u)
{
	uint8_t byte;

	if (u->rx_count == 0)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (uint8_t)((u->rx_head + 1) % UART_RX_FIFO);
	u->rx_count--;
	return byte;
}

/* Loopback (8.8, MCR bit 4): MSR bits 4-7 follow RTS, DTR, OUT1, OUT2. */
static uint8_t loop_lines(uint8_t mcr)
{
	uint8_t lines = 0;

	if (mcr & MCR_RTS)
		lines |= MSR_CTS;
	if (mcr & MCR_DTR)
		lines |= MSR_DSR;
	if (mcr & MCR_OUT1)
		lines |= MSR_RI;
	if (mcr & MCR_OUT2)
		lines |= MSR_DCD;
	return lines;
}

static uint8_t msr_lines(uint8_t mcr)
{
	return (mcr & MCR_LOOP) ? loop_lines(mcr) : MSR_LINES_IDLE;
}

/* Delta bits for a change of the modem lines (8.10): TERI only on RI going inactive. */
static uint8_t msr_deltas(uint8_t before, uint8_t after)
{
	uint8_t changed = before ^ after, d = 0;

	if (changed & MSR_CTS)
		d |= MSR_DCTS;
	if (changed & MSR_DSR)
		d |= MSR_DDSR;
	if ((before & MSR_RI) && !(after & MSR_RI))
		d |= MSR_TERI;
	if (changed & MSR_DCD)
		d |= MSR_DDCD;
	return d;
}

static void write_mcr(struct uart16550 *u, uint8_t value)
{
	uint8_t before = msr_lines(u->mcr), after = msr_lines(value & MCR_MASK);

	u->mcr = value & MCR_MASK;
	u->msr |= msr_deltas(before, after);
}

static void write_thr(struct uart16550 *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP) {
		/* 8.8: the transmitter output is looped back to the receiver input. */
		if (!rx_push(u, byte))
			u->lsr |= LSR_OE;
	} else if (u->out) {
		byte_ring_write(u->out, &byte, 1);
	}
	/* Sent at once: THR is empty again, which raises THRE (Table IV). */
	u->thr_empty_irq = true;
}

static void write_fcr(struct uart16550 *u, uint8_t value)
{
	/* Changing FCR bit 0 clears both FIFOs (8.7). */
	if ((value ^ u->fcr) & FCR_ENABLE)
		rx_clear(u);
	if (value & FCR_CLEAR_RX)
		rx_clear(u);
	/* FCR_CLEAR_TX: the transmitter never holds anything. */
	u->fcr = value & FCR_KEPT;
	if (!(u->fcr & FCR_ENABLE))
		u->fcr = 0;
}

static void write_ier(struct uart16550 *u, uint8_t value)
{
	u->ier = value & IER_MASK;
	/* Enabling ETBEI while THR is empty (always) asserts THRE, as on the chip. */
	u->thr_empty_irq = (u->ier & IER_ETBEI) != 0;
}

static void write_reg(struct uart16550 *u, uint16_t offset, uint8_t value)
{
	bool dlab;

	dlab = (u->lcr & LCR_DLAB) != 0;
	switch (offset) {
	case UART_RBR_THR:
		if (dlab)
			u->dll = value;
		else
			write_thr(u, value);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = value;
		else
			write_ier(u, value);
		break;
	case UART_IIR_FCR:
		write_fcr(u, value);
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		write_mcr(u, value);
		break;
	case UART_SCR:
		u->scr = value;
		break;
	default: /* LSR and MSR are read-only here; out-of-range offsets are ignored. */
		break;
	}
}

void uart_write(struct uart16550 *u, uint16_t offset, uint8_t value)
{
	uint64_t flags;

	if (!u)
		return;
	flags = spin_lock_irqsave(&u->lock);
	write_reg(u, offset, value);
	update_iir(u);
	spin_unlock_irqrestore(&u->lock, flags);
}

static uint8_t read_iir(struct uart16550 *u)
{
	uint8_t iir = u->iir_pending;

	/* Reading IIR clears THRE when THRE is the source it reports (Table IV). */
	if ((iir & 0x0f) == IIR_THRE)
		u->thr_empty_irq = false;
	return iir;
}

static uint8_t read_lsr(struct uart16550 *u)
{
	uint8_t lsr = (u->lsr & LSR_ERRORS) | LSR_THRE | LSR_TEMT;

	if (u->rx_count > 0)
		lsr |= LSR_DR;
	u->lsr &= (uint8_t)~LSR_ERRORS; /* error bits reset on read (8.9) */
	return lsr;
}

static uint8_t read_msr(struct uart16550 *u)
{
	uint8_t msr = (uint8_t)((u->msr & MSR_DELTAS) | msr_lines(u->mcr));

	u->msr &= (uint8_t)~MSR_DELTAS; /* deltas reset on read (8.10) */
	return msr;
}

static uint8_t read_reg(struct uart16550 *u, uint16_t offset)
{
	bool dlab = (u->lcr & LCR_DLAB) != 0;

	switch (offset) {
	case UART_RBR_THR:
		return dlab ? u->dll : rx_pop(u);
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		return read_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return read_lsr(u);
	case UART_MSR:
		return read_msr(u);
	case UART_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

uint8_t uart_read(struct uart16550 *u, uint16_t offset)
{
	uint8_t value;

	uint64_t flags;

	if (!u)
		return 0xff;
	flags = spin_lock_irqsave(&u->lock);
	value = read_reg(u, offset);
	update_iir(u);
	spin_unlock_irqrestore(&u->lock, flags);
	return value;
}

bool uart_receive(struct uart16550 *u, uint8_t byte)
{
	bool taken = false;
	uint64_t flags;

	if (!u)
		return false;
	flags = spin_lock_irqsave(&u->lock);
	/* In loopback the receiver is disconnected from the serial input (8.8). */
	if (!(u->mcr & MCR_LOOP)) {
		taken = rx_push(u, byte);
		update_iir(u);
	}
	spin_unlock_irqrestore(&u->lock, flags);
	return taken;
}

bool uart_irq_pending(const struct uart16550 *u)
{
	return u && (iir_source(u) & IIR_NONE) == 0;
}
