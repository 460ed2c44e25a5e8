/* The MMIO test device (mmio_test=yes): RAM-like scratch registers and access counters (pure logic). */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/dev/testdev.h"

static void note(struct testdev *t, unsigned size, uint32_t write)
{
	t->count++;
	t->last_size = size;
	t->last_write = write;
}

static uint64_t testdev_read(void *dev, struct vcpu *v, uint64_t offset, unsigned size)
{
	struct testdev *t = dev;
	uint64_t value = 0;

	(void)v;
	if (offset < TESTDEV_SCRATCH) {
		for (unsigned i = 0; i < size && offset + i < TESTDEV_SCRATCH; i++)
			value |= (uint64_t)t->scratch[offset + i] << (8 * i); /* little-endian, like RAM */
		note(t, size, 0);
		return value;
	}
	switch (offset) {
	case TESTDEV_COUNT: return t->count;
	case TESTDEV_LAST_SIZE: return t->last_size;
	case TESTDEV_LAST_WRITE: return t->last_write;
	default: return 0;
	}
}

static void testdev_write(void *dev, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value)
{
	struct testdev *t = dev;

	(void)v;
	if (offset >= TESTDEV_SCRATCH)
		return;
	for (unsigned i = 0; i < size && offset + i < TESTDEV_SCRATCH; i++)
		t->scratch[offset + i] = (uint8_t)(value >> (8 * i));
	note(t, size, 1);
}

const struct mmio_ops testdev_ops = { testdev_read, testdev_write };
