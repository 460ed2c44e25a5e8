/* Host unit tests of the virtio-mmio transport (hypervisor/dev/virtio/transport.c): registers, features, status. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/virtio/transport.h"

/*
 * Offsets and values are virtio 1.2's literal numbers (4.2.2 register layout,
 * 2.1 status bits, 6 reserved feature bits), not the transport's constants.
 */
#define RAM (1u << 20)
static uint8_t ram_buf[RAM];
static unsigned notified, resets;

static void *flat_hva(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	return gpa <= RAM && len <= RAM - gpa ? ram_buf + gpa : NULL;
}

static void notify(struct virtio_mmio *m, unsigned q)
{
	(void)m;
	notified |= 1u << q;
}

static void reset(struct virtio_mmio *m)
{
	(void)m;
	resets++;
}

static uint32_t cfg_read(struct virtio_mmio *m, uint32_t off, unsigned size)
{
	(void)m;
	return off == 0 && size == 4 ? 0x12345678u : 0;
}

static const struct virtio_device_ops ops = { 2, 2, cfg_read, NULL, notify, reset };
static const struct virtio_device_ops empty = { 0 };
static struct virtio_mmio m;

static uint32_t rd(uint32_t off) { return virtio_mmio_read(&m, off, 4); }
static void wr(uint32_t off, uint32_t v) { virtio_mmio_write(&m, off, 4, v); }

static int setup(void **state)
{
	const struct vram ram = { NULL, RAM, flat_hva };
	(void)state;
	notified = resets = 0;
	virtio_mmio_init(&m, &ops, NULL, 1ull << 9, &ram); /* offers bit 9 besides VERSION_1 */
	return 0;
}

/* 3.1.1 steps 1-6 with the features given; returns the status read back. */
static uint32_t negotiate(uint32_t lo, uint32_t hi)
{
	wr(0x070, 1);
	wr(0x070, 1 | 2);
	wr(0x024, 0), wr(0x020, lo);
	wr(0x024, 1), wr(0x020, hi);
	wr(0x070, 1 | 2 | 8);
	return rd(0x070);
}

/* Queue `q` of 8 entries at fixed places (desc 0x1000, avail 0x2000, used 0x3000). */
static void setup_queue(uint32_t q, uint32_t num, uint32_t desc)
{
	wr(0x030, q);
	wr(0x038, num);
	wr(0x080, desc), wr(0x084, 0);
	wr(0x090, 0x2000), wr(0x094, 0);
	wr(0x0a0, 0x3000), wr(0x0a4, 0);
	wr(0x044, 1);
}

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(rd(0x000), 0x74726976);  /* "virt" */
	assert_int_equal(rd(0x004), 2);           /* version 2: not legacy */
	assert_int_equal(rd(0x008), 2);
	wr(0x014, 0);
	assert_int_equal(rd(0x010), 1u << 9);
	wr(0x014, 1);
	assert_int_equal(rd(0x010), 1);           /* VIRTIO_F_VERSION_1 is bit 32 */
	wr(0x014, 2);
	assert_int_equal(rd(0x010), 0);
	wr(0x030, 0);
	assert_int_equal(rd(0x034), 256);
	wr(0x030, 2);
	assert_int_equal(rd(0x034), 0);           /* no queue 2 */
	assert_int_equal(virtio_mmio_read(&m, 0x100, 4), 0x12345678);
	assert_int_equal(virtio_mmio_read(&m, 0x000, 2), 0); /* registers only as 32-bit accesses */
}

static void test_empty_slot(void **state)
{
	const struct vram ram = { NULL, RAM, flat_hva };
	(void)state;
	virtio_mmio_init(&m, &empty, NULL, 0, &ram);
	assert_int_equal(rd(0x000), 0x74726976);
	assert_int_equal(rd(0x004), 2);
	assert_int_equal(rd(0x008), 0);           /* 4.2.2.2: DeviceID 0, the driver ignores it */
	wr(0x070, 1);
	assert_int_equal(rd(0x070), 0);
}

static void test_features_ok(void **state)
{
	(void)state;
	assert_int_equal(negotiate(1u << 9, 0), 1 | 2);          /* without VERSION_1: refused */
	wr(0x070, 0);
	assert_int_equal(negotiate(1u << 9 | 1u << 3, 1), 1 | 2); /* bit 3 not offered: refused */
	wr(0x070, 0);
	assert_int_equal(negotiate(1u << 9, 1), 1 | 2 | 8);
	wr(0x024, 0), wr(0x020, 0);                              /* after FEATURES_OK: ignored */
	assert_int_equal(m.driver_features, (1ull << 32) | (1u << 9));
	wr(0x070, 1 | 2 | 8 | 4);
	assert_int_equal(rd(0x070), 0x0f);
}

static void test_status_order_and_reset(void **state)
{
	(void)state;
	wr(0x070, 2);                              /* DRIVER before ACKNOWLEDGE */
	assert_int_equal(rd(0x070), 0);
	wr(0x070, 1 | 4);                          /* DRIVER_OK before FEATURES_OK */
	assert_int_equal(rd(0x070), 1);
	assert_int_equal(negotiate(0, 1), 1 | 2 | 8);
	setup_queue(0, 8, 0x1000);
	assert_int_equal(rd(0x044), 1);
	wr(0x070, 1 | 2 | 8 | 4);
	assert_int_equal(notified, 1);             /* DRIVER_OK: the ready queue is looked at */
	wr(0x070, 1);                              /* 2.1.1: bits are not cleared but by a reset */
	assert_int_equal(rd(0x070), 0x0f);
	wr(0x070, 0);
	assert_int_equal(rd(0x070), 0);
	assert_int_equal(resets, 1);
	wr(0x030, 0);
	assert_int_equal(rd(0x044), 0);            /* 4.2.3.1: queues not ready after reset */
}

static void test_bad_queues_need_reset(void **state)
{
	(void)state;
	assert_int_equal(negotiate(0, 1), 0x0b);
	setup_queue(0, 6, 0x1000);                  /* not a power of two */
	assert_int_equal(rd(0x070) & 0x40, 0x40);
	assert_int_equal(rd(0x044), 0);
	assert_non_null(strstr(m.bad, "power of two"));
	assert_true(m.bad_new);
	wr(0x070, 0);
	assert_int_equal(rd(0x070), 0);
	assert_int_equal(negotiate(0, 1), 0x0b);
	setup_queue(0, 8, 0);                      /* unset descriptor table */
	assert_int_equal(rd(0x070) & 0x40, 0x40);
	wr(0x070, 0);
	assert_int_equal(negotiate(0, 1), 0x0b);
	wr(0x070, 0x0f);
	wr(0x050, 1);                               /* notify on a queue never set up */
	assert_int_equal(rd(0x070), 0x4f);
	assert_int_equal(rd(0x060), 2);             /* 2.1.2: configuration change interrupt */
	assert_true(m.line);
	assert_int_equal(rd(0x0fc), 1);             /* ConfigGeneration moved */
	wr(0x064, 2);
	assert_false(m.line);
	assert_int_equal(rd(0x060), 0);
	wr(0x050, 7);                               /* no such queue: already needs reset */
	assert_int_equal(rd(0x060), 0);
	wr(0x070, 0);                               /* a reset brings it back */
	assert_int_equal(rd(0x070), 0);
	assert_int_equal(negotiate(0, 1), 0x0b);
	setup_queue(1, 8, 0x1000);
	wr(0x070, 0x0f);
	assert_int_equal(rd(0x070), 0x0f);
	notified = 0;
	wr(0x050, 1);
	assert_int_equal(notified, 2);
}

static void test_used_interrupt(void **state)
{
	(void)state;
	virtio_mmio_used(&m);
	assert_int_equal(rd(0x060), 1);
	assert_true(m.line);
	wr(0x064, 1);
	assert_false(m.line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity, setup),
		cmocka_unit_test_setup(test_empty_slot, setup),
		cmocka_unit_test_setup(test_features_ok, setup),
		cmocka_unit_test_setup(test_status_order_and_reset, setup),
		cmocka_unit_test_setup(test_bad_queues_need_reset, setup),
		cmocka_unit_test_setup(test_used_interrupt, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
