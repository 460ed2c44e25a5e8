/* A split virtqueue the hypervisor drives as a device's driver (virtio 1.2 2.7), for its own NIC. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_NET_VIRTQUEUE_H
#define DRIVERS_NET_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#define VQ_SIZE 64        /* descriptors per queue; a power of two, at most the device's queue_size,
                           at most 64 (one bit each in `offered`) */
#define VQ_BUF_BYTES 2048 /* one buffer per descriptor */

/* virtio 1.2 2.7.5 */
struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VQ_DESC_F_WRITE 2

/* virtio 1.2 2.7.6 and 2.7.8, with room for the event fields. */
struct vq_avail {
	uint16_t flags, idx, ring[VQ_SIZE], used_event;
};
struct vq_used_elem {
	uint32_t id, len;
};
struct vq_used {
	uint16_t flags, idx;
	struct vq_used_elem ring[VQ_SIZE];
	uint16_t avail_event;
};

/*
 * The rings and buffers live in frames the hypervisor took for itself from the frame
 * allocator: no guest's second-level tables map them.
 */
struct virtqueue {
	volatile struct vq_desc *desc;
	volatile struct vq_avail *avail;
	volatile struct vq_used *used;
	uint8_t *bufs;                 /* VQ_SIZE buffers of VQ_BUF_BYTES */
	uint64_t desc_phys, avail_phys, used_phys, bufs_phys;
	uint16_t avail_idx;            /* next free slot in avail->ring (free-running) */
	uint16_t used_seen;            /* used entries consumed (free-running) */
	uint16_t size;
	uint64_t offered;               /* bit per descriptor the device holds */
};

/* Takes frames for the rings and buffers; 0 or -1 (out of memory). */
int vq_alloc(struct virtqueue *q);
/* Offers descriptor `id` (its buffer, `len` bytes, device-writable or not) to the device. */
void vq_offer(struct virtqueue *q, uint16_t id, uint32_t len, bool device_writes);
/*
 * The next used entry, if any: its descriptor id and length. Returns 1 with *id, *len
 * set, 0 when none, -1 when the device broke the protocol (an id out of range or not offered, a length
 * beyond the buffer, the used index running ahead of what was offered).
 */
int vq_next_used(struct virtqueue *q, uint16_t *id, uint32_t *len);
static inline uint8_t *vq_buf(struct virtqueue *q, uint16_t id) { return q->bufs + (uint32_t)id * VQ_BUF_BYTES; }
/* Descriptors offered and not yet returned. */
static inline uint16_t vq_in_flight(const struct virtqueue *q) { return (uint16_t)(q->avail_idx - q->used_seen); }

#endif
