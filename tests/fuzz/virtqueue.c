/* Fuzz harness of the device-side split virtqueue walker: guest RAM and ring registers are the input. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/virtio/virtqueue.h"
#include "tests/fuzz/fuzz.h"

/*
 * Input: le16 QueueNum, le32 desc, le32 avail, le32 used, u8 direction, then the
 * bytes of guest RAM from address 0 (the rest of the 64 KiB RAM is zero). RAM is
 * an exact-size heap block so ASan sees any access past it. The walker's promises:
 * it never touches anything outside RAM, every chain it returns lies in RAM with
 * at most QueueNum descriptors, readable ones first, and it returns (no spin).
 */
#define RAM_SIZE 0x10000u
#define HDR 15u

static uint8_t *ram_buf;

static void *flat_hva(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(gpa <= RAM_SIZE && len <= RAM_SIZE - gpa);
	return ram_buf + gpa;
}

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void check_chain(const struct vram *ram, const struct vq *q, const struct vq_chain *c, enum vq_dir dir)
{
	static uint8_t tmp[RAM_SIZE];
	uint64_t r = 0, w = 0;

	FUZZ_CHECK(c->n_read + c->n_write >= 1 && c->n_read + c->n_write <= q->num);
	FUZZ_CHECK(c->head < q->num);
	FUZZ_CHECK(dir != VQ_DEV_READS || c->n_write == 0);
	FUZZ_CHECK(dir != VQ_DEV_WRITES || c->n_read == 0);
	for (unsigned k = 0; k < (unsigned)(c->n_read + c->n_write); k++) {
		FUZZ_CHECK(c->seg[k].len > 0 && vram_contains(ram, c->seg[k].gpa, c->seg[k].len));
		*(k < c->n_read ? &r : &w) += c->seg[k].len;
	}
	FUZZ_CHECK(r == c->read_bytes && w == c->write_bytes);
	FUZZ_CHECK(vq_chain_read(ram, c, 0, tmp, sizeof(tmp)) == (r < sizeof(tmp) ? r : sizeof(tmp)));
	memset(tmp, 0x5a, sizeof(tmp));
	FUZZ_CHECK(vq_chain_write(ram, c, 1, tmp, sizeof(tmp)) == (w > 1 ? (w - 1 < sizeof(tmp) ? w - 1 : sizeof(tmp)) : 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vram ram = { NULL, RAM_SIZE, flat_hva };
	static struct vq_chain c;
	struct vq q;
	enum vq_dir dir;
	const char *why = NULL;

	if (size < HDR)
		return 0;
	if (!ram_buf)
		ram_buf = malloc(RAM_SIZE);
	FUZZ_CHECK(ram_buf);
	memset(ram_buf, 0, RAM_SIZE);
	memcpy(ram_buf, data + HDR, size - HDR < RAM_SIZE ? size - HDR : RAM_SIZE);
	vq_reset(&q);
	q.num = (uint16_t)le(data, 2);
	q.desc = le(data + 2, 4);
	q.driver = le(data + 6, 4);
	q.device = le(data + 10, 4);
	dir = (enum vq_dir)(data[14] % 3);
	if (vq_check_layout(&q, &ram, &why)) {
		FUZZ_CHECK(why && !q.ready);
		return 0;
	}
	/* Each chain the driver posted, and once more: the walker ends on its own. */
	for (unsigned n = 0; n <= q.num + 1u; n++) {
		int rc = vq_pop(&q, &ram, dir, &c, &why);
		if (rc <= 0) {
			FUZZ_CHECK(rc == 0 || why);
			break;
		}
		check_chain(&ram, &q, &c, dir);
		FUZZ_CHECK(vq_push(&q, &ram, c.head, (uint32_t)c.write_bytes, &why) == 0);
	}
	return 0;
}
