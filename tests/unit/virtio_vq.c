/* Host unit tests of the device-side split virtqueue walker (hypervisor/dev/virtio/virtqueue.c) with bad chains. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/virtio/virtqueue.h"

/*
 * Guest RAM is a flat 1 MiB buffer. The rings are written byte by byte at the
 * offsets of virtio 1.2 2.7.5 (struct virtq_desc: addr at 0, len at 8, flags
 * at 12, next at 14, 16 bytes each), 2.7.6 (avail: flags 0, idx 2, ring at 4)
 * and 2.7.8 (used: flags 0, idx 2, ring at 4 of {le32 id, le32 len}), and the
 * flag values NEXT = 1, WRITE = 2, INDIRECT = 4 from 2.7.5, not from the
 * walker's own constants.
 */
#define RAM (1u << 20)
#define DESC 0x1000u
#define AVAIL 0x2000u
#define USED 0x3000u
#define NUM 8u

static uint8_t ram_buf[RAM];

static void *flat_hva(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	return gpa <= RAM && len <= RAM - gpa ? ram_buf + gpa : NULL;
}

static const struct vram ram = { NULL, RAM, flat_hva };

static void put(uint64_t at, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		ram_buf[at + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(uint64_t at, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)ram_buf[at + i] << (8 * i);
	return v;
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	put(DESC + 16 * i + 0, addr, 8);
	put(DESC + 16 * i + 8, len, 4);
	put(DESC + 16 * i + 12, flags, 2);
	put(DESC + 16 * i + 14, next, 2);
}

/* Posts `head` in the available ring at the driver's next slot and bumps avail->idx. */
static void post(uint16_t head)
{
	uint16_t idx = (uint16_t)get(AVAIL + 2, 2);
	put(AVAIL + 4 + 2 * (idx % NUM), head, 2);
	put(AVAIL + 2, (uint16_t)(idx + 1), 2);
}

static struct vq q;
static struct vq_chain chain;

static int setup(void **state)
{
	const char *why = NULL;
	(void)state;
	memset(ram_buf, 0, sizeof(ram_buf));
	vq_reset(&q);
	q.num = NUM;
	q.desc = DESC;
	q.driver = AVAIL;
	q.device = USED;
	assert_int_equal(vq_check_layout(&q, &ram, &why), 0);
	return 0;
}

/* Pops and expects an error whose message contains `what`; the queue must not advance. */
static void expect_bad(enum vq_dir dir, const char *what)
{
	const char *why = NULL;
	uint16_t before = q.last_avail;
	assert_int_equal(vq_pop(&q, &ram, dir, &chain, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, what));
	assert_int_equal(q.last_avail, before);
}

static void test_good_chain_and_used_ring(void **state)
{
	const char *why = NULL;
	uint8_t out[3];
	(void)state;
	desc(0, 0x10000, 16, 1, 5);       /* readable header, NEXT -> 5 */
	desc(5, 0x20000, 512, 1 | 2, 2);  /* writable data, NEXT -> 2 */
	desc(2, 0x30000, 1, 2, 0);        /* writable status byte, last */
	post(0);
	assert_int_equal(vq_pending(&q, &ram, &why), 1);
	assert_int_equal(vq_pop(&q, &ram, VQ_MIXED, &chain, &why), 1);
	assert_int_equal(chain.head, 0);
	assert_int_equal(chain.n_read, 1);
	assert_int_equal(chain.n_write, 2);
	assert_int_equal(chain.read_bytes, 16);
	assert_int_equal(chain.write_bytes, 513);
	assert_int_equal(chain.seg[0].gpa, 0x10000);
	assert_int_equal(chain.seg[1].gpa, 0x20000);
	assert_int_equal(chain.seg[2].len, 1);
	assert_int_equal(vq_pop(&q, &ram, VQ_MIXED, &chain, &why), 0);
	/* Written part: byte 511 is the data's last, 512 the status byte in the third descriptor. */
	assert_int_equal(vq_chain_write(&ram, &chain, 511, "\xaa\x05", 2), 2);
	assert_int_equal(ram_buf[0x20000 + 511], 0xaa);
	assert_int_equal(ram_buf[0x30000], 0x05);
	assert_int_equal(vq_chain_write(&ram, &chain, 512, "xyz", 3), 1); /* only the status byte is left */
	put(0x10000, 0x636261, 3);
	assert_int_equal(vq_chain_read(&ram, &chain, 0, out, 3), 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(vq_push(&q, &ram, 0, 513, &why), 0);
	assert_int_equal(get(USED + 2, 2), 1);        /* used->idx */
	assert_int_equal(get(USED + 4, 4), 0);        /* used->ring[0].id */
	assert_int_equal(get(USED + 8, 4), 513);      /* used->ring[0].len */
}

static void test_out_of_ram_address(void **state)
{
	(void)state;
	desc(0, RAM, 16, 0, 0);
	post(0);
	expect_bad(VQ_MIXED, "outside RAM");
	desc(0, RAM - 8, 16, 0, 0); /* straddles the end of RAM */
	expect_bad(VQ_MIXED, "outside RAM");
}

static void test_address_plus_len_wraps(void **state)
{
	(void)state;
	desc(0, 0xfffffffffffff000ull, 0x2000, 0, 0);
	post(0);
	expect_bad(VQ_MIXED, "outside RAM");
}

static void test_len_zero_and_huge(void **state)
{
	(void)state;
	desc(0, 0x10000, 0, 0, 0);
	post(0);
	expect_bad(VQ_MIXED, "length 0");
	desc(0, 0x10000, 0xffffffffu, 0, 0);
	expect_bad(VQ_MIXED, "outside RAM");
}

static void test_loops(void **state)
{
	(void)state;
	desc(0, 0x10000, 16, 1, 0); /* NEXT -> itself */
	post(0);
	expect_bad(VQ_MIXED, "loop");
	desc(0, 0x10000, 16, 1, 3);
	desc(3, 0x10000, 16, 1, 7);
	desc(7, 0x10000, 16, 1, 3); /* 0 -> 3 -> 7 -> 3 ... */
	expect_bad(VQ_MIXED, "loop");
}

static void test_longest_chain_is_the_queue_size(void **state)
{
	const char *why = NULL;
	(void)state;
	for (unsigned i = 0; i < NUM; i++)
		desc(i, 0x10000 + 0x100 * i, 16, i + 1 < NUM ? 1 : 0, (uint16_t)(i + 1));
	post(0);
	assert_int_equal(vq_pop(&q, &ram, VQ_DEV_READS, &chain, &why), 1);
	assert_int_equal(chain.n_read, NUM);
}

static void test_index_out_of_range(void **state)
{
	(void)state;
	desc(0, 0x10000, 16, 1, NUM); /* next == queue size */
	post(0);
	expect_bad(VQ_MIXED, "next index");
	setup(NULL);
	post(NUM); /* head == queue size */
	expect_bad(VQ_MIXED, "head");
	setup(NULL);
	post(0xffff);
	expect_bad(VQ_MIXED, "head");
}

static void test_avail_idx_jump(void **state)
{
	const char *why = NULL;
	(void)state;
	for (unsigned i = 0; i < NUM; i++)
		desc(i, 0x10000, 16, 0, 0);
	put(AVAIL + 2, NUM, 2); /* exactly the queue size ahead: fine */
	assert_int_equal(vq_pending(&q, &ram, &why), NUM);
	assert_int_equal(vq_pop(&q, &ram, VQ_MIXED, &chain, &why), 1);
	put(AVAIL + 2, 1 + NUM + 1, 2); /* 9 ahead of last_avail 1 */
	assert_int_equal(vq_pending(&q, &ram, &why), -1);
	expect_bad(VQ_MIXED, "more than the queue size");
	put(AVAIL + 2, 0, 2); /* behind the device: 0xffff ahead */
	expect_bad(VQ_MIXED, "more than the queue size");
}

static void test_index_wraps_at_16_bits(void **state)
{
	const char *why = NULL;
	(void)state;
	desc(3, 0x10000, 16, 0, 0);
	q.last_avail = 0xffff;
	put(AVAIL + 2, 0xffff, 2);
	put(AVAIL + 4 + 2 * (0xffff % NUM), 3, 2);
	put(AVAIL + 2, 0x0000, 2); /* one new entry, the index wrapped */
	assert_int_equal(vq_pop(&q, &ram, VQ_MIXED, &chain, &why), 1);
	assert_int_equal(chain.head, 3);
	assert_int_equal(q.last_avail, 0);
	q.used_idx = 0xffff;
	assert_int_equal(vq_push(&q, &ram, 3, 0, &why), 0);
	assert_int_equal(get(USED + 2, 2), 0);
	assert_int_equal(get(USED + 4 + 8 * 7, 4), 3); /* slot 0xffff % 8 = 7 */
}

static void test_direction(void **state)
{
	(void)state;
	desc(0, 0x10000, 16, 2, 0); /* writable where the device must read */
	post(0);
	expect_bad(VQ_DEV_READS, "device-writable");
	desc(0, 0x10000, 16, 0, 0); /* readable where the device must write */
	expect_bad(VQ_DEV_WRITES, "device-readable");
	desc(0, 0x10000, 16, 1 | 2, 1);
	desc(1, 0x10000, 16, 0, 0); /* readable after writable */
	expect_bad(VQ_MIXED, "after a device-writable");
}

static void test_flags(void **state)
{
	(void)state;
	desc(0, 0x10000, 16, 4, 0);
	post(0);
	expect_bad(VQ_MIXED, "indirect");
	desc(0, 0x10000, 16, 8, 0);
	expect_bad(VQ_MIXED, "unknown flags");
}

static void test_layout(void **state)
{
	const char *why;
	static const uint16_t bad_num[] = { 0, 3, 6, 100, 512 };
	(void)state;
	for (unsigned i = 0; i < sizeof(bad_num) / sizeof(bad_num[0]); i++) {
		struct vq t = { .num = bad_num[i], .desc = DESC, .driver = AVAIL, .device = USED };
		why = NULL;
		assert_int_equal(vq_check_layout(&t, &ram, &why), -1);
		assert_non_null(strstr(why, "power of two"));
		assert_false(t.ready);
	}
	struct vq t = { .num = 256, .desc = 0, .driver = AVAIL, .device = USED };
	assert_int_equal(vq_check_layout(&t, &ram, &why), -1); /* desc unset */
	t.desc = DESC + 8;                                      /* not 16-aligned */
	assert_int_equal(vq_check_layout(&t, &ram, &why), -1);
	t.desc = RAM - 16 * 255;                                /* table runs past RAM */
	assert_int_equal(vq_check_layout(&t, &ram, &why), -1);
	t.desc = DESC, t.driver = AVAIL + 1;                    /* avail not 2-aligned */
	assert_int_equal(vq_check_layout(&t, &ram, &why), -1);
	t.driver = AVAIL, t.device = USED + 2;                  /* used not 4-aligned */
	assert_int_equal(vq_check_layout(&t, &ram, &why), -1);
	t.device = RAM - (4 + 8 * 256);                         /* used ring's avail_event past RAM */
	assert_int_equal(vq_check_layout(&t, &ram, &why), -1);
	t.device = RAM - (4 + 8 * 256 + 4);                     /* fits, 4-aligned */
	assert_int_equal(vq_check_layout(&t, &ram, &why), 0);
	assert_true(t.ready);
}

static void test_not_ready(void **state)
{
	const char *why = NULL;
	struct vq t = { 0 };
	(void)state;
	assert_int_equal(vq_pop(&t, &ram, VQ_MIXED, &chain, &why), -1);
	assert_int_equal(vq_push(&t, &ram, 0, 0, &why), -1);
	assert_int_equal(vq_pending(&t, &ram, &why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_good_chain_and_used_ring, setup),
		cmocka_unit_test_setup(test_out_of_ram_address, setup),
		cmocka_unit_test_setup(test_address_plus_len_wraps, setup),
		cmocka_unit_test_setup(test_len_zero_and_huge, setup),
		cmocka_unit_test_setup(test_loops, setup),
		cmocka_unit_test_setup(test_longest_chain_is_the_queue_size, setup),
		cmocka_unit_test_setup(test_index_out_of_range, setup),
		cmocka_unit_test_setup(test_avail_idx_jump, setup),
		cmocka_unit_test_setup(test_index_wraps_at_16_bits, setup),
		cmocka_unit_test_setup(test_direction, setup),
		cmocka_unit_test_setup(test_flags, setup),
		cmocka_unit_test_setup(test_layout, setup),
		cmocka_unit_test_setup(test_not_ready, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
