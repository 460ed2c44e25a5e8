/* Split virtqueues, device side (virtio 1.2 2.7): the walker that turns guest rings into checked chains. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/virtio/virtqueue.h"
#include "hypervisor/load/le_bytes.h"

/* virtio 1.2 2.7 "Split Virtqueues": sizes and alignments of the three areas. */
#define DESC_SIZE 16u
#define DESC_ALIGN 16u
#define AVAIL_ALIGN 2u
#define USED_ALIGN 4u
#define AVAIL_BYTES(n) (4u + 2u * (n) + 2u)  /* flags, idx, ring[n], used_event (2.7.6) */
#define USED_BYTES(n) (4u + 8u * (n) + 2u)   /* flags, idx, ring[n] of {id, len}, avail_event (2.7.8) */
#define VQ_KNOWN_FLAGS (VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE)

void vq_reset(struct vq *q)
{
	memset(q, 0, sizeof(*q));
}

static bool area_ok(const struct vram *ram, uint64_t gpa, uint64_t len, uint64_t align)
{
	return gpa != 0 && (gpa & (align - 1)) == 0 && vram_contains(ram, gpa, len);
}

int vq_check_layout(struct vq *q, const struct vram *ram, const char **why)
{
	if (q->num == 0 || q->num > VQ_NUM_MAX || (q->num & (q->num - 1))) {
		*why = "queue size is not a power of two up to QueueNumMax";
		return -1;
	}
	if (!area_ok(ram, q->desc, (uint64_t)DESC_SIZE * q->num, DESC_ALIGN)) {
		*why = "descriptor table unset, misaligned or outside RAM";
		return -1;
	}
	if (!area_ok(ram, q->driver, AVAIL_BYTES(q->num), AVAIL_ALIGN)) {
		*why = "available ring unset, misaligned or outside RAM";
		return -1;
	}
	if (!area_ok(ram, q->device, USED_BYTES(q->num), USED_ALIGN)) {
		*why = "used ring unset, misaligned or outside RAM";
		return -1;
	}
	q->last_avail = 0;
	q->used_idx = 0;
	q->ready = true;
	return 0;
}

static int read_u16(const struct vram *ram, uint64_t gpa, uint16_t *v)
{
	uint8_t b[2];
	if (vram_read(ram, gpa, b, sizeof(b)))
		return -1;
	*v = (uint16_t)le_read(b, 2);
	return 0;
}

static int avail_idx(const struct vq *q, const struct vram *ram, uint16_t *idx, const char **why)
{
	if (!q->ready || read_u16(ram, q->driver + 2, idx)) {
		*why = "queue not ready";
		return -1;
	}
	/* virtio 1.2 2.7.6: idx runs ahead of what the device took by at most the queue size. */
	if ((uint16_t)(*idx - q->last_avail) > q->num) {
		*why = "available index moved more than the queue size";
		return -1;
	}
	return 0;
}

int vq_pending(const struct vq *q, const struct vram *ram, const char **why)
{
	uint16_t idx;
	if (avail_idx(q, ram, &idx, why))
		return -1;
	return (uint16_t)(idx - q->last_avail);
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static int read_desc(const struct vq *q, const struct vram *ram, uint16_t i, struct desc *d)
{
	uint8_t b[DESC_SIZE];
	if (vram_read(ram, q->desc + (uint64_t)i * DESC_SIZE, b, sizeof(b)))
		return -1;
	d->addr = le_read(b, 8);
	d->len = (uint32_t)le_read(b + 8, 4);
	d->flags = (uint16_t)le_read(b + 12, 2);
	d->next = (uint16_t)le_read(b + 14, 2);
	return 0;
}

/* Checks one descriptor and appends it to the chain; NULL or what was wrong. */
static const char *take_desc(const struct vram *ram, enum vq_dir dir, const struct desc *d, struct vq_chain *c)
{
	bool writable = d->flags & VIRTQ_DESC_F_WRITE;

	if (d->flags & VIRTQ_DESC_F_INDIRECT)
		return "indirect descriptor (VIRTIO_F_INDIRECT_DESC not offered)";
	if (d->flags & ~VQ_KNOWN_FLAGS)
		return "descriptor with unknown flags";
	if (d->len == 0)
		return "descriptor of length 0";
	if (!vram_contains(ram, d->addr, d->len))
		return "descriptor buffer outside RAM";
	if (dir == VQ_DEV_READS && writable)
		return "device-writable descriptor in a queue the device only reads";
	if (dir == VQ_DEV_WRITES && !writable)
		return "device-readable descriptor in a queue the device only writes";
	if (!writable && c->n_write)
		return "device-readable descriptor after a device-writable one (virtio 1.2 2.7.4.2)";
	c->seg[c->n_read + c->n_write] = (struct vq_seg){ d->addr, d->len };
	if (writable)
		c->n_write++, c->write_bytes += d->len;
	else
		c->n_read++, c->read_bytes += d->len;
	return NULL;
}

int vq_pop(struct vq *q, const struct vram *ram, enum vq_dir dir, struct vq_chain *c, const char **why)
{
	uint16_t idx, i;
	struct desc d;

	if (avail_idx(q, ram, &idx, why))
		return -1;
	if (idx == q->last_avail)
		return 0;
	if (read_u16(ram, q->driver + 4 + 2u * (q->last_avail % q->num), &i)) {
		*why = "available ring outside RAM";
		return -1;
	}
	memset(c, 0, offsetof(struct vq_chain, seg));
	c->head = i;
	/* virtio 1.2 2.7.5.2: at most the queue size descriptors; one more is a loop. */
	for (unsigned count = 0;; count++) {
		if (i >= q->num) {
			*why = count ? "descriptor next index beyond the queue size" : "chain head beyond the queue size";
			return -1;
		}
		if (count == q->num) {
			*why = "descriptor chain longer than the queue (a loop)";
			return -1;
		}
		if (read_desc(q, ram, i, &d)) {
			*why = "descriptor table outside RAM";
			return -1;
		}
		if ((*why = take_desc(ram, dir, &d, c)))
			return -1;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		i = d.next;
	}
	q->last_avail++;
	return 1;
}

void vq_unpop(struct vq *q)
{
	q->last_avail--;
}

int vq_push(struct vq *q, const struct vram *ram, uint16_t head, uint32_t written, const char **why)
{
	uint8_t e[8], idx[2];
	uint64_t slot;

	if (!q->ready) {
		*why = "queue not ready";
		return -1;
	}
	slot = q->device + 4 + 8ull * (q->used_idx % q->num);
	le_write(e, head, 4);
	le_write(e + 4, written, 4);
	le_write(idx, (uint16_t)(q->used_idx + 1), 2);
	/* virtio 1.2 2.7.8.2: the element is visible before the index that publishes it (x86 keeps store order). */
	if (vram_write(ram, slot, e, sizeof(e))) {
		*why = "used ring outside RAM";
		return -1;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (vram_write(ram, q->device + 2, idx, sizeof(idx))) {
		*why = "used ring outside RAM";
		return -1;
	}
	q->used_idx++;
	return 0;
}

/* Copies between the segments [first, first+n) of a chain, from byte `off` of that part, and a host buffer. */
static size_t chain_copy(const struct vram *ram, const struct vq_seg *seg, unsigned n, uint64_t off, uint8_t *buf,
			 size_t len, bool to_guest)
{
	size_t done = 0;
	for (unsigned k = 0; k < n && done < len; k++) {
		uint64_t chunk;
		if (off >= seg[k].len) {
			off -= seg[k].len;
			continue;
		}
		chunk = seg[k].len - off;
		if (chunk > len - done)
			chunk = len - done;
		if ((to_guest ? vram_write(ram, seg[k].gpa + off, buf + done, chunk)
			      : vram_read(ram, seg[k].gpa + off, buf + done, chunk)))
			break;
		done += chunk;
		off = 0;
	}
	return done;
}

size_t vq_chain_read(const struct vram *ram, const struct vq_chain *c, uint64_t off, void *dst, size_t len)
{
	return chain_copy(ram, c->seg, c->n_read, off, dst, len, false);
}

size_t vq_chain_write(const struct vram *ram, const struct vq_chain *c, uint64_t off, const void *src, size_t len)
{
	return chain_copy(ram, c->seg + c->n_read, c->n_write, off, (uint8_t *)(uintptr_t)src, len, true);
}
