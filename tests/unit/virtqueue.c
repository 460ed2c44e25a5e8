/* Host unit tests of the virtio-net driver's split virtqueue (virtio 1.2 2.7): what the driver
 * offers, and every way a device can break the used ring being refused rather than trusted. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/net/virtqueue.h"

/* vq_alloc() takes frames; these tests build the queue on static memory instead. */
uint64_t pmm_alloc(size_t count, uint64_t align);
int pmm_free(uint64_t phys, size_t count);
uint64_t pmm_alloc(size_t count, uint64_t align) { (void)count, (void)align; return 0; }
int pmm_free(uint64_t phys, size_t count) { (void)phys, (void)count; return 0; }

static struct vq_desc desc[VQ_SIZE];
static struct vq_avail avail;
static struct vq_used used;
static struct virtqueue q;

static void setup(void)
{
	memset(desc, 0, sizeof(desc));
	memset(&avail, 0, sizeof(avail));
	memset(&used, 0, sizeof(used));
	memset(&q, 0, sizeof(q));
	q.desc = desc;
	q.avail = &avail;
	q.used = &used;
	q.size = VQ_SIZE;
	q.bufs_phys = 0x100000;
}

/* The device returns descriptor `id` with `len` bytes written. */
static void device_uses(uint16_t id, uint32_t len)
{
	used.ring[used.idx % VQ_SIZE].id = id;
	used.ring[used.idx % VQ_SIZE].len = len;
	used.idx++;
}

static void test_offer_layout(void **state)
{
	(void)state;
	setup();
	vq_offer(&q, 3, VQ_BUF_BYTES, true);
	vq_offer(&q, 5, 100, false);
	/* virtio 1.2 2.7.5: addr, len, flags (VIRTQ_DESC_F_WRITE = 2); 2.7.6: ring[idx % size], idx */
	assert_int_equal(desc[3].addr, 0x100000 + 3 * VQ_BUF_BYTES);
	assert_int_equal(desc[3].len, VQ_BUF_BYTES);
	assert_int_equal(desc[3].flags, 2);
	assert_int_equal(desc[5].flags, 0);
	assert_int_equal(desc[5].len, 100);
	assert_int_equal(avail.ring[0], 3);
	assert_int_equal(avail.ring[1], 5);
	assert_int_equal(avail.idx, 2);
	assert_int_equal(vq_in_flight(&q), 2);
}

static void test_used_in_any_order(void **state)
{
	uint16_t id;
	uint32_t len;
	(void)state;
	setup();
	vq_offer(&q, 0, VQ_BUF_BYTES, true);
	vq_offer(&q, 1, VQ_BUF_BYTES, true);
	assert_int_equal(vq_next_used(&q, &id, &len), 0);
	device_uses(1, 60);
	device_uses(0, 1526);
	assert_int_equal(vq_next_used(&q, &id, &len), 1);
	assert_int_equal(id, 1);
	assert_int_equal(len, 60);
	assert_int_equal(vq_next_used(&q, &id, &len), 1);
	assert_int_equal(id, 0);
	assert_int_equal(vq_next_used(&q, &id, &len), 0);
	assert_int_equal(vq_in_flight(&q), 0);
}

static void test_index_wraps(void **state)
{
	uint16_t id;
	uint32_t len;
	(void)state;
	setup();
	q.avail_idx = q.used_seen = 0xfffe; /* the 16-bit indexes wrap (2.7.6) */
	used.idx = 0xfffe;
	for (uint16_t i = 0; i < 4; i++)
		vq_offer(&q, i, VQ_BUF_BYTES, true);
	for (uint16_t i = 0; i < 4; i++)
		device_uses(i, 64);
	for (uint16_t i = 0; i < 4; i++) {
		assert_int_equal(vq_next_used(&q, &id, &len), 1);
		assert_int_equal(id, i);
	}
	assert_int_equal(q.used_seen, 2);
}

static void test_device_misbehaves(void **state)
{
	uint16_t id;
	uint32_t len;
	(void)state;
	/* an id beyond the table */
	setup();
	vq_offer(&q, 0, VQ_BUF_BYTES, true);
	device_uses(VQ_SIZE, 10);
	assert_int_equal(vq_next_used(&q, &id, &len), -1);
	/* an id the driver did not offer */
	setup();
	vq_offer(&q, 0, VQ_BUF_BYTES, true);
	device_uses(7, 10);
	assert_int_equal(vq_next_used(&q, &id, &len), -1);
	/* the same descriptor returned twice */
	setup();
	vq_offer(&q, 0, VQ_BUF_BYTES, true);
	vq_offer(&q, 1, VQ_BUF_BYTES, true);
	device_uses(0, 10);
	device_uses(0, 10);
	assert_int_equal(vq_next_used(&q, &id, &len), 1);
	assert_int_equal(vq_next_used(&q, &id, &len), -1);
	/* a length beyond the buffer */
	setup();
	vq_offer(&q, 0, VQ_BUF_BYTES, true);
	device_uses(0, VQ_BUF_BYTES + 1);
	assert_int_equal(vq_next_used(&q, &id, &len), -1);
	/* the used index running ahead of what was offered */
	setup();
	vq_offer(&q, 0, VQ_BUF_BYTES, true);
	used.idx = 5;
	assert_int_equal(vq_next_used(&q, &id, &len), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offer_layout),
		cmocka_unit_test(test_used_in_any_order),
		cmocka_unit_test(test_index_wraps),
		cmocka_unit_test(test_device_misbehaves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
