/* Host unit tests of the 16550A model: registers, IIR/LSR sequences, the Linux 8250 probe, FIFOs. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include "hypervisor/dev/uart16550.h"
#include "kernel/byte_ring.h"

enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

static uint8_t ring_buf[256];
static struct byte_ring ring;
static struct uart16550 uart;

static int setup(void **state)
{
	(void)state;
	byte_ring_init(&ring, ring_buf, sizeof(ring_buf));
	uart_init(&uart, &ring);
	return 0;
}

static size_t ring_text(char *out, size_t len)
{
	uint64_t pos = 0;
	size_t n = byte_ring_read(&ring, &pos, out, len - 1);

	out[n] = 0;
	return n;
}

static void test_reset_state(void **state)
{
	(void)state;
	assert_int_equal(uart_read(&uart, IER), 0);
	assert_int_equal(uart_read(&uart, IIR), 0x01);
	assert_int_equal(uart_read(&uart, LCR), 0);
	assert_int_equal(uart_read(&uart, MCR), 0);
	assert_int_equal(uart_read(&uart, LSR), 0x60);
	assert_int_equal(uart_read(&uart, MSR), 0xb0); /* CTS, DSR, DCD */
	assert_false(uart_irq_pending(&uart));
}

static void test_thr_goes_to_ring(void **state)
{
	char text[64];

	(void)state;
	for (const char *p = "hello\n"; *p; p++) {
		assert_true(uart_read(&uart, LSR) & 0x20);
		uart_write(&uart, THR, (uint8_t)*p);
		assert_int_equal(uart_read(&uart, LSR) & 0x60, 0x60);
	}
	assert_int_equal(ring_text(text, sizeof(text)), 6);
	assert_string_equal(text, "hello\n");
}

static void test_dlab_switches_divisor(void **state)
{
	char text[8];

	(void)state;
	uart_write(&uart, IER, 0x05);
	uart_write(&uart, LCR, 0x83);
	uart_write(&uart, DLL, 0x01);
	uart_write(&uart, DLM, 0x02);
	assert_int_equal(uart_read(&uart, DLL), 0x01);
	assert_int_equal(uart_read(&uart, DLM), 0x02);
	uart_write(&uart, LCR, 0x03);
	assert_int_equal(uart_read(&uart, IER), 0x05);
	assert_int_equal(uart_read(&uart, LCR), 0x03);
	assert_int_equal(ring_text(text, sizeof(text)), 0); /* the DLL write was not output */
}

static void test_ier_keeps_low_bits(void **state)
{
	(void)state;
	uart_write(&uart, IER, 0xff);
	assert_int_equal(uart_read(&uart, IER), 0x0f);
	uart_write(&uart, IER, 0x00);
	assert_int_equal(uart_read(&uart, IER), 0x00);
}

static void test_scratch_register(void **state)
{
	(void)state;
	uart_write(&uart, SCR, 0xa5);
	assert_int_equal(uart_read(&uart, SCR), 0xa5);
	uart_write(&uart, SCR, 0x5a);
	assert_int_equal(uart_read(&uart, SCR), 0x5a);
}

static void test_lsr_msr_read_only(void **state)
{
	(void)state;
	uart_write(&uart, LSR, 0x00);
	uart_write(&uart, MSR, 0x00);
	assert_int_equal(uart_read(&uart, LSR), 0x60);
	assert_int_equal(uart_read(&uart, MSR), 0xb0);
}

static void test_bad_offsets(void **state)
{
	(void)state;
	assert_int_equal(uart_read(&uart, 8), 0xff);
	assert_int_equal(uart_read(&uart, 0xffff), 0xff);
	uart_write(&uart, 8, 0x42);
	assert_int_equal(uart_read(&uart, SCR), 0);
	assert_int_equal(uart_read(NULL, LSR), 0xff);
	assert_false(uart_receive(NULL, 'x'));
}

static void test_thre_interrupt(void **state)
{
	(void)state;
	uart_write(&uart, IER, 0x02);
	assert_true(uart_irq_pending(&uart));
	assert_int_equal(uart_read(&uart, IIR), 0x02);
	/* Reading IIR while it reports THRE clears it. */
	assert_false(uart_irq_pending(&uart));
	assert_int_equal(uart_read(&uart, IIR), 0x01);
	/* A THR write: sent at once, THR empty again, THRE raised. */
	uart_write(&uart, THR, 'x');
	assert_true(uart_irq_pending(&uart));
	assert_int_equal(uart_read(&uart, IIR), 0x02);
	assert_int_equal(uart_read(&uart, IIR), 0x01);
	/* Disabling the source drops the interrupt; re-enabling raises it. */
	uart_write(&uart, THR, 'y');
	uart_write(&uart, IER, 0x00);
	assert_false(uart_irq_pending(&uart));
	uart_write(&uart, IER, 0x02);
	assert_int_equal(uart_read(&uart, IIR), 0x02);
}

/* Linux's serial8250_do_startup THRE re-assertion test (UART_BUG_THRE) must pass. */
static void test_linux_thre_reassert(void **state)
{
	uint8_t iir1, iir;

	(void)state;
	uart_write(&uart, IER, 0x02);
	iir1 = uart_read(&uart, IIR);
	uart_write(&uart, IER, 0x00);
	uart_write(&uart, IER, 0x02);
	iir = uart_read(&uart, IIR);
	uart_write(&uart, IER, 0x00);
	assert_int_equal(iir1 & 0x01, 0);
	assert_int_equal(iir & 0x01, 0);
}

static void test_receive_and_rda(void **state)
{
	(void)state;
	assert_true(uart_receive(&uart, 'a'));
	assert_int_equal(uart_read(&uart, LSR), 0x61);
	assert_false(uart_irq_pending(&uart)); /* ERBFI off */
	uart_write(&uart, IER, 0x01);
	assert_true(uart_irq_pending(&uart));
	assert_int_equal(uart_read(&uart, IIR), 0x04);
	assert_int_equal(uart_read(&uart, RBR), 'a');
	assert_int_equal(uart_read(&uart, LSR), 0x60);
	assert_int_equal(uart_read(&uart, IIR), 0x01);
	assert_int_equal(uart_read(&uart, RBR), 0); /* empty */
}

static void test_rda_outranks_thre(void **state)
{
	(void)state;
	uart_write(&uart, IER, 0x03);
	assert_true(uart_receive(&uart, 'z'));
	assert_int_equal(uart_read(&uart, IIR), 0x04);
	assert_int_equal(uart_read(&uart, IIR), 0x04); /* reading IIR does not clear RDA */
	assert_int_equal(uart_read(&uart, RBR), 'z');
	assert_int_equal(uart_read(&uart, IIR), 0x02); /* THRE was still pending behind it */
	assert_int_equal(uart_read(&uart, IIR), 0x01);
}

static void test_non_fifo_holds_one(void **state)
{
	(void)state;
	assert_true(uart_receive(&uart, '1'));
	assert_false(uart_receive(&uart, '2'));
	assert_int_equal(uart_read(&uart, RBR), '1');
	assert_true(uart_receive(&uart, '3'));
}

static void test_fifo_full_refuses(void **state)
{
	(void)state;
	uart_write(&uart, FCR, 0x01);
	for (int i = 0; i < UART_RX_FIFO; i++)
		assert_true(uart_receive(&uart, (uint8_t)('a' + i)));
	assert_false(uart_receive(&uart, 'X'));
	for (int i = 0; i < UART_RX_FIFO; i++) {
		assert_true(uart_read(&uart, LSR) & 0x01);
		assert_int_equal(uart_read(&uart, RBR), 'a' + i);
	}
	assert_false(uart_read(&uart, LSR) & 0x01);
	/* The ring wraps around the FIFO storage. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 10; i++)
			assert_true(uart_receive(&uart, (uint8_t)i));
		for (int i = 0; i < 10; i++)
			assert_int_equal(uart_read(&uart, RBR), i);
	}
}

static void test_fcr_bits(void **state)
{
	(void)state;
	uart_write(&uart, FCR, 0x01);
	assert_int_equal(uart_read(&uart, IIR), 0xc1);
	assert_true(uart_receive(&uart, 'q'));
	assert_true(uart_receive(&uart, 'r'));
	uart_write(&uart, FCR, 0x03); /* clear RX, stay enabled */
	assert_int_equal(uart_read(&uart, LSR) & 0x01, 0);
	assert_int_equal(uart_read(&uart, IIR), 0xc1);
	uart_write(&uart, FCR, 0x07);
	assert_int_equal(uart_read(&uart, IIR), 0xc1);
	assert_true(uart_receive(&uart, 's'));
	uart_write(&uart, FCR, 0x00); /* disabling clears the FIFOs */
	assert_int_equal(uart_read(&uart, IIR), 0x01);
	assert_int_equal(uart_read(&uart, LSR), 0x60);
	/* With FIFOs on, IIR keeps bits 6-7 beside the source. */
	uart_write(&uart, FCR, 0xc1);
	uart_write(&uart, IER, 0x02);
	assert_int_equal(uart_read(&uart, IIR), 0xc2);
	assert_int_equal(uart_read(&uart, IIR), 0xc1);
}

static void test_loopback(void **state)
{
	char text[8];

	(void)state;
	uart_write(&uart, MCR, 0x10);
	assert_int_equal(uart_read(&uart, MSR) & 0xf0, 0x00);
	uart_write(&uart, THR, 'L');
	assert_int_equal(ring_text(text, sizeof(text)), 0); /* not output */
	assert_int_equal(uart_read(&uart, LSR), 0x61);
	assert_int_equal(uart_read(&uart, RBR), 'L');
	assert_false(uart_receive(&uart, 'o')); /* the serial input is disconnected */
	/* MSR follows the MCR bits: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
	uart_write(&uart, MCR, 0x11);
	assert_int_equal(uart_read(&uart, MSR) & 0xf0, 0x20);
	uart_write(&uart, MCR, 0x12);
	assert_int_equal(uart_read(&uart, MSR) & 0xf0, 0x10);
	uart_write(&uart, MCR, 0x14);
	assert_int_equal(uart_read(&uart, MSR) & 0xf0, 0x40);
	uart_write(&uart, MCR, 0x18);
	assert_int_equal(uart_read(&uart, MSR) & 0xf0, 0x80);
	uart_write(&uart, MCR, 0x00);
	assert_int_equal(uart_read(&uart, MSR) & 0xf0, 0xb0);
	uart_write(&uart, THR, 'o');
	assert_int_equal(ring_text(text, sizeof(text)), 1);
}

static void test_loopback_overrun(void **state)
{
	(void)state;
	uart_write(&uart, MCR, 0x10);
	uart_write(&uart, THR, '1');
	uart_write(&uart, THR, '2'); /* one-byte holding register: overrun */
	assert_int_equal(uart_read(&uart, LSR), 0x63);
	assert_int_equal(uart_read(&uart, LSR), 0x61); /* OE cleared by the read */
	uart_write(&uart, IER, 0x04);
	uart_write(&uart, THR, '3');
	assert_int_equal(uart_read(&uart, IIR), 0x06); /* receiver line status first */
	uart_read(&uart, LSR);
	assert_int_equal(uart_read(&uart, IIR), 0x01);
}

static void test_modem_status_interrupt(void **state)
{
	(void)state;
	uart_write(&uart, MCR, 0x10);
	uart_read(&uart, MSR);
	uart_write(&uart, IER, 0x08);
	uart_write(&uart, MCR, 0x13);
	assert_true(uart_irq_pending(&uart));
	assert_int_equal(uart_read(&uart, IIR), 0x00);
	assert_int_equal(uart_read(&uart, MSR), 0x33); /* CTS, DSR with their deltas */
	assert_int_equal(uart_read(&uart, IIR), 0x01);
	uart_write(&uart, MCR, 0x14);
	uart_write(&uart, MCR, 0x10);
	assert_int_equal(uart_read(&uart, MSR) & 0x0f, 0x07); /* DCTS, DDSR, TERI */
}

/* The Linux 8250 autoconfig sequence for a 16550A, step by step. */
static void test_linux_probe(void **state)
{
	uint8_t scratch, status1;

	(void)state;
	/* IER test: write 0, read 0; write 0x0f, read 0x0f. */
	scratch = uart_read(&uart, IER);
	uart_write(&uart, IER, 0);
	assert_int_equal(uart_read(&uart, IER) & 0x0f, 0);
	uart_write(&uart, IER, 0x0f);
	assert_int_equal(uart_read(&uart, IER) & 0x0f, 0x0f);
	uart_write(&uart, IER, scratch);
	/* Loopback test: MCR = LOOP | OUT2 | RTS gives MSR & 0xf0 == 0x90. */
	uart_write(&uart, MCR, 0x10 | 0x0a);
	status1 = uart_read(&uart, MSR) & 0xf0;
	uart_write(&uart, MCR, 0);
	assert_int_equal(status1, 0x90);
	/* FIFO detection: FCR enable, IIR >> 6 == 3 means 16550A. */
	uart_write(&uart, FCR, 0x01);
	assert_int_equal(uart_read(&uart, IIR) >> 6, 3);
	/* EFR probes with LCR 0x80 / 0xbf read IIR at offset 2: non-zero, so no EFR. */
	uart_write(&uart, LCR, 0x80);
	assert_int_not_equal(uart_read(&uart, IIR), 0);
	uart_write(&uart, LCR, 0xbf);
	assert_int_not_equal(uart_read(&uart, IIR), 0);
	/* 16750 probe: 64-byte FIFO bit 5 must read back clear. */
	uart_write(&uart, LCR, 0x80);
	uart_write(&uart, FCR, 0x21);
	assert_int_equal(uart_read(&uart, IIR) >> 5, 6);
	uart_write(&uart, LCR, 0x03);
	/* XScale probe: IER bit 6 must not stick. */
	uart_write(&uart, IER, 0x40);
	assert_int_equal(uart_read(&uart, IER) & 0x40, 0);
	uart_write(&uart, IER, 0);
	/* Scratch test and a clean LSR. */
	uart_write(&uart, SCR, 0xa5);
	assert_int_equal(uart_read(&uart, SCR), 0xa5);
	assert_int_equal(uart_read(&uart, LSR), 0x60);
}

/*
 * The console CPU pushes operator bytes while the vCPU's CPU reads RBR: two
 * threads stand in for them. Every byte must come out once, in order (the
 * model's lock keeps rx_head/rx_count consistent between them).
 */
#define RACE_BYTES 50000u

static void *operator_side(void *arg)
{
	(void)arg;
	for (uint32_t i = 0; i < RACE_BYTES;)
		if (uart_receive(&uart, (uint8_t)i))
			i++;
	return NULL;
}

static void test_receive_races_reads(void **state)
{
	pthread_t op;
	uint32_t got = 0, bad = 0, spins = 0;

	(void)state;
	uart_write(&uart, FCR, 0x01); /* FIFO on: 16 bytes deep */
	assert_int_equal(pthread_create(&op, NULL, operator_side, NULL), 0);
	while (got < RACE_BYTES && spins < 100000000u) {
		spins++;
		if (!(uart_read(&uart, LSR) & 0x01)) /* LSR.DR: a byte is waiting */
			continue;
		if (uart_read(&uart, RBR) != (uint8_t)got)
			bad++;
		got++;
	}
	pthread_join(op, NULL);
	assert_int_equal(got, RACE_BYTES);
	assert_int_equal(bad, 0);
}

#define T(t) cmocka_unit_test_setup(t, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_state),       T(test_thr_goes_to_ring),  T(test_dlab_switches_divisor),
		T(test_ier_keeps_low_bits), T(test_scratch_register), T(test_lsr_msr_read_only),
		T(test_bad_offsets),       T(test_thre_interrupt),    T(test_linux_thre_reassert),
		T(test_receive_and_rda),   T(test_rda_outranks_thre), T(test_non_fifo_holds_one),
		T(test_fifo_full_refuses), T(test_fcr_bits),          T(test_loopback),
		T(test_loopback_overrun),  T(test_modem_status_interrupt), T(test_linux_probe),
		T(test_receive_races_reads),
	};

	return cmocka_run_group_tests_name("uart16550", tests, NULL, NULL);
}
