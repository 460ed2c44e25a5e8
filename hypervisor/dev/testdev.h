/* The MMIO test device: scratch registers that behave like RAM, and counters of the accesses made to them. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_TESTDEV_H
#define HYPERVISOR_DEV_TESTDEV_H

#include <stdint.h>
#include "hypervisor/dev/mmiobus.h"

/*
 * A VM created with mmio_test=yes has this page at PLAT_TESTDEV_BASE, so a
 * test guest can run the same instructions on RAM and on emulated MMIO and
 * compare (like Jailhouse's mmio-access inmate). Registers, offsets from the
 * base:
 *   0x000-0x0FF  scratch: reads return what was written, any size, any offset
 *   0x100        number of scratch accesses so far (read-only, 32 bits)
 *   0x104        size in bytes of the last scratch access
 *   0x108        1 if the last scratch access was a write, else 0
 * Everything else reads as 0 and ignores writes.
 */
#define TESTDEV_SCRATCH 0x100u
#define TESTDEV_COUNT 0x100u
#define TESTDEV_LAST_SIZE 0x104u
#define TESTDEV_LAST_WRITE 0x108u

struct testdev {
	uint8_t scratch[TESTDEV_SCRATCH];
	uint32_t count, last_size, last_write;
};

extern const struct mmio_ops testdev_ops;

#endif
