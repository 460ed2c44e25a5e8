/* Test guest `virtio_hostile`: a driver that breaks virtqueues on purpose; each break must leave DEVICE_NEEDS_RESET. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"

/*
 * Finds the virtio-mmio slots (virtio 1.2 4.2.2: MagicValue "virt", Version 2)
 * at 0xFEB00000 + n * 0x1000, then, on the virtio-blk disk (DeviceID 2) and the
 * console (DeviceID 3), sets up a queue and writes one bad thing each time: an
 * out-of-RAM buffer, a loop, a huge length, bad indices, a queue size that is not
 * a power of two, QueueReady with unset addresses, a notify on a queue never set
 * up. After each, the device must report DEVICE_NEEDS_RESET (Status bit 0x40)
 * and a reset (Status 0) must bring it back. Last, a good request on the disk
 * must read sector 1 as the suite wrote it ("BWSECTOR00000001"), and a read past
 * the end must come back with VIRTIO_BLK_S_IOERR. The VM needs mem=16M and
 * disk=FILE. Offsets and values are the spec's numbers.
 */
#define SLOTS 0xFEB00000u
#define SLOT_SIZE 0x1000u
#define NUM 8u
#define DESC 0x200000u
#define AVAIL 0x201000u
#define USED 0x202000u
#define BUF 0x203000u
#define OUT_OF_RAM 0x40000000u  /* 1 GiB: far past the VM's 16 MiB */

static volatile uint32_t *reg(uint32_t base, uint32_t off) { return (volatile uint32_t *)(base + off); }
static uint32_t rd(uint32_t base, uint32_t off) { return *reg(base, off); }
static void wr(uint32_t base, uint32_t off, uint32_t v) { *reg(base, off) = v; }
static void barrier(void) { __asm__ volatile("" ::: "memory"); }

static void put16(uint32_t at, uint16_t v) { *(volatile uint16_t *)at = v; }
static void put32(uint32_t at, uint32_t v) { *(volatile uint32_t *)at = v; }
static uint16_t get16(uint32_t at) { return *(volatile uint16_t *)at; }

/* virtio 1.2 2.7.5: addr le64 at 0, len le32 at 8, flags le16 at 12 (NEXT 1, WRITE 2), next at 14. */
static void desc(unsigned i, uint32_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint32_t d = DESC + 16 * i;
	put32(d, addr), put32(d + 4, 0), put32(d + 8, len), put16(d + 12, flags), put16(d + 14, next);
}

static void post(uint16_t head, uint16_t idx)
{
	put16(AVAIL + 4 + 2 * (idx % NUM), head);
	barrier();
	put16(AVAIL + 2, (uint16_t)(idx + 1));
}

/* virtio 1.2 3.1.1 and 4.2.3.2: reset, ACKNOWLEDGE|DRIVER, VERSION_1, FEATURES_OK, queue q, DRIVER_OK. */
static uint32_t bring_up(uint32_t base, uint32_t q, uint32_t num, uint32_t desc_at, bool driver_ok)
{
	/* The console's control queues (2, 3) exist with VIRTIO_CONSOLE_F_MULTIPORT, bit 1 (virtio 1.2 5.3.3). */
	uint32_t features_lo = rd(base, 0x008) == 3 ? 1u << 1 : 0;

	memset((void *)DESC, 0, 0x3000);
	wr(base, 0x070, 0);
	wr(base, 0x070, 1);
	wr(base, 0x070, 1 | 2);
	wr(base, 0x024, 1), wr(base, 0x020, 1); /* bit 32: VIRTIO_F_VERSION_1 */
	wr(base, 0x024, 0), wr(base, 0x020, features_lo);
	wr(base, 0x070, 1 | 2 | 8);
	wr(base, 0x030, q);
	wr(base, 0x038, num);
	wr(base, 0x080, desc_at), wr(base, 0x084, 0);
	wr(base, 0x090, AVAIL), wr(base, 0x094, 0);
	wr(base, 0x0a0, USED), wr(base, 0x0a4, 0);
	wr(base, 0x044, 1);
	if (driver_ok)
		wr(base, 0x070, 1 | 2 | 8 | 4);
	return rd(base, 0x070);
}

static unsigned tried, contained;

/* After a bad act: NEEDS_RESET set, and a reset brings the device back to a clean bring-up. */
static void expect_broken(uint32_t base, uint32_t q, const char *what)
{
	uint32_t st = rd(base, 0x070), again;

	tried++;
	wr(base, 0x064, rd(base, 0x060)); /* acknowledge whatever interrupt it raised */
	wr(base, 0x070, 0);
	again = bring_up(base, q, NUM, DESC, true);
	if ((st & 0x40) && rd(base, 0x070) == 0x0f && again == 0x0f) {
		contained++;
		gprintf("virtio-hostile: %s: status 0x%x, reset brings it back\n", what, st);
	} else {
		gprintf("virtio-hostile: %s: FAILED status 0x%x, after reset 0x%x\n", what, st, again);
	}
}

static void attack_blk(uint32_t b)
{
	bring_up(b, 0, NUM, DESC, true);
	desc(0, OUT_OF_RAM, 16, 1, 1), desc(1, BUF, 1, 2, 0);
	post(0, 0), wr(b, 0x050, 0);
	expect_broken(b, 0, "out-of-RAM address");
	desc(0, BUF, 16, 1, 1), desc(1, BUF + 16, 512, 1, 0); /* 0 -> 1 -> 0 ... */
	post(0, 0), wr(b, 0x050, 0);
	expect_broken(b, 0, "descriptor loop");
	desc(0, BUF, 0xfffffff0u, 1, 1), desc(1, BUF, 1, 2, 0);
	post(0, 0), wr(b, 0x050, 0);
	expect_broken(b, 0, "huge length");
	desc(0, BUF, 16, 1, NUM), post(0, 0), wr(b, 0x050, 0);
	expect_broken(b, 0, "next index beyond the queue");
	post(200, 0), wr(b, 0x050, 0);
	expect_broken(b, 0, "head index beyond the queue");
	desc(0, BUF, 16, 0, 0), put16(AVAIL + 2, 100), wr(b, 0x050, 0);
	expect_broken(b, 0, "available index jumps past the queue size");
	desc(0, BUF, 16, 2, 0), post(0, 0), wr(b, 0x050, 0); /* a header the device would have to read is write-only */
	expect_broken(b, 0, "write-only request header");
	bring_up(b, 0, 6, DESC, false);
	expect_broken(b, 0, "queue size 6 (not a power of two)");
	bring_up(b, 0, NUM, 0, false);
	expect_broken(b, 0, "QueueReady with the descriptor table unset");
	bring_up(b, 0, NUM, DESC, true);
	wr(b, 0x050, 5);
	expect_broken(b, 0, "notify on a queue never set up");
}

static void attack_console(uint32_t c)
{
	bring_up(c, 3, NUM, DESC, true); /* 3: control transmit queue, the device only reads it */
	desc(0, BUF, 8, 1, 0), post(0, 0), wr(c, 0x050, 3);
	expect_broken(c, 3, "console: control message loop");
	desc(0, BUF, 8, 2, 0), post(0, 0), wr(c, 0x050, 3);
	expect_broken(c, 3, "console: write-only buffer on a transmit queue");
	bring_up(c, 3, NUM, DESC, true);
	wr(c, 0x050, 6);
	expect_broken(c, 3, "console: notify on a queue never set up");
}

/* One request of type `type` for sector `sector` into BUF; returns the status byte or -1 on no answer. */
static int blk_request(uint32_t b, uint32_t type, uint32_t sector)
{
	volatile uint8_t *status = (volatile uint8_t *)(BUF + 0x800);

	bring_up(b, 0, NUM, DESC, true);
	put32(BUF, type), put32(BUF + 4, 0), put32(BUF + 8, sector), put32(BUF + 12, 0);
	memset((void *)(BUF + 0x100), 0, 512);
	*status = 0xff;
	desc(0, BUF, 16, 1, 1), desc(1, BUF + 0x100, 512, 1 | 2, 2), desc(2, BUF + 0x800, 1, 2, 0);
	post(0, 0);
	wr(b, 0x050, 0);
	for (uint32_t spin = 0; get16(USED + 2) != 1; spin++)
		if (spin > 10000000u)
			return -1;
	return *status;
}

void guest_main(uint32_t ram_bytes)
{
	uint32_t blk = 0, con = 0;
	int st;

	gprintf("virtio-hostile: %u MiB of RAM\n", ram_bytes >> 20);
	for (uint32_t n = 0; n < 8; n++) {
		uint32_t base = SLOTS + n * SLOT_SIZE;
		if (rd(base, 0x000) != 0x74726976u || rd(base, 0x004) != 2)
			continue;
		gprintf("virtio-hostile: slot %u device %u\n", n, rd(base, 0x008));
		if (rd(base, 0x008) == 2 && !blk)
			blk = base;
		if (rd(base, 0x008) == 3 && !con)
			con = base;
	}
	if (!blk || !con) {
		gprintf("virtio-hostile: missing a device (blk 0x%x, console 0x%x)\n", blk, con);
		return;
	}
	attack_blk(blk);
	attack_console(con);
	gprintf("virtio-hostile: %u attempts, %u contained\n", tried, contained);
	st = blk_request(blk, 0, 1); /* VIRTIO_BLK_T_IN */
	gprintf("virtio-hostile: read sector 1: status %d, data '%s'\n", st, (const char *)(BUF + 0x100));
	st = blk_request(blk, 0, 0x7fffffffu);
	gprintf("virtio-hostile: read past the end: status %d\n", st);
	gprintf("virtio-hostile: done\n");
}
