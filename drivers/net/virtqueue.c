/* Split virtqueue, driver side (virtio 1.2 2.7): offering buffers and taking back used ones. */
/* SPDX-License-Identifier: MIT */
#include "drivers/net/virtqueue.h"

#include <string.h>
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

_Static_assert(sizeof(struct vq_desc) == 16, "virtio 1.2 2.7.5: 16-byte descriptors");
_Static_assert(VQ_SIZE * sizeof(struct vq_desc) + sizeof(struct vq_avail) <= 2048, "rings fit the layout below");
_Static_assert(sizeof(struct vq_used) <= 2048, "used ring fits its half page");

#define BUF_FRAMES (VQ_SIZE * VQ_BUF_BYTES / 4096)

/* One frame: descriptors at 0, the available ring after them, the used ring at 2048 (4-byte aligned). */
int vq_alloc(struct virtqueue *q)
{
	uint64_t ring = pmm_alloc_frame(), bufs = pmm_alloc(BUF_FRAMES, 4096);
	uint8_t *r;

	if (!ring || !bufs) {
		if (ring)
			pmm_free(ring, 1);
		if (bufs)
			pmm_free(bufs, BUF_FRAMES);
		return -1;
	}
	r = phys_to_virt(ring);
	memset(r, 0, 4096);
	memset(phys_to_virt(bufs), 0, BUF_FRAMES * 4096);
	q->size = VQ_SIZE;
	q->desc = (volatile struct vq_desc *)r;
	q->avail = (volatile struct vq_avail *)(r + VQ_SIZE * sizeof(struct vq_desc));
	q->used = (volatile struct vq_used *)(r + 2048);
	q->bufs = phys_to_virt(bufs);
	q->desc_phys = ring;
	q->avail_phys = ring + VQ_SIZE * sizeof(struct vq_desc);
	q->used_phys = ring + 2048;
	q->bufs_phys = bufs;
	q->avail_idx = q->used_seen = 0;
	q->offered = 0;
	return 0;
}

void vq_offer(struct virtqueue *q, uint16_t id, uint32_t len, bool device_writes)
{
	q->desc[id].addr = q->bufs_phys + (uint64_t)id * VQ_BUF_BYTES;
	q->desc[id].len = len;
	q->desc[id].flags = device_writes ? VQ_DESC_F_WRITE : 0;
	q->desc[id].next = 0;
	q->offered |= 1ull << id;
	q->avail->ring[q->avail_idx % VQ_SIZE] = id;
	/* virtio 1.2 2.7.13: the descriptor and ring entry are visible before the index moves */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
}

int vq_next_used(struct virtqueue *q, uint16_t *id, uint32_t *len)
{
	uint16_t idx = q->used->idx;
	volatile struct vq_used_elem *e;

	if (idx == q->used_seen)
		return 0;
	if ((uint16_t)(idx - q->used_seen) > vq_in_flight(q))
		return -1; /* more used than were offered */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	e = &q->used->ring[q->used_seen % VQ_SIZE];
	*id = (uint16_t)e->id;
	*len = e->len;
	if (e->id >= VQ_SIZE || e->len > VQ_BUF_BYTES || !(q->offered & (1ull << e->id)))
		return -1;
	q->offered &= ~(1ull << e->id);
	q->used_seen++;
	return 1;
}
