/* Split virtqueues (virtio 1.2 2.7), device side: descriptor chains from the guest as checked scatter lists. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_VIRTIO_VIRTQUEUE_H
#define HYPERVISOR_DEV_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/dev/virtio/vram.h"

/*
 * Everything in the rings is guest-controlled and may change under us (other
 * vCPUs): each descriptor and ring entry is read once into a local copy and
 * checked there. Every address and length is checked against the VM's RAM
 * and every index against the queue size; a chain is bounded by the queue size
 * (virtio 1.2 2.7.5.2: a chain longer than that is a loop). Indirect
 * descriptors (VIRTIO_F_INDIRECT_DESC) and event-index suppression
 * (VIRTIO_F_EVENT_IDX) are not offered, so a descriptor that says INDIRECT is
 * an error. Any error means the device is to be marked DEVICE_NEEDS_RESET
 * (virtio 1.2 2.1.2); `why` then says what was wrong. Pure logic.
 */
#define VQ_NUM_MAX 256u          /* QueueNumMax of every queue (a power of two, virtio 1.2 2.7) */

/* virtio 1.2 2.7.5: struct virtq_desc flags. */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u

/* One queue's registers (set through the transport) and the device's positions in its rings. */
struct vq {
	uint16_t num;            /* QueueNum */
	bool ready;              /* QueueReady, accepted by vq_check_layout */
	uint64_t desc, driver, device;  /* descriptor table, available ring, used ring (guest-physical) */
	uint16_t last_avail;     /* the next available-ring entry the device takes */
	uint16_t used_idx;       /* the device's used->idx */
};

struct vq_seg {
	uint64_t gpa;
	uint32_t len;
};

/* A chain: the first n_read segments are device-readable, the n_write after them device-writable. */
struct vq_chain {
	uint16_t head;
	uint16_t n_read, n_write;
	uint64_t read_bytes, write_bytes;
	struct vq_seg seg[VQ_NUM_MAX];
};

/* What the device may find in a chain of this queue. */
enum vq_dir {
	VQ_MIXED,        /* readable part then writable part, either may be empty (but not both) */
	VQ_DEV_READS,    /* only device-readable descriptors (a transmit queue) */
	VQ_DEV_WRITES,   /* only device-writable descriptors (a receive queue) */
};

/* Resets the device's positions and registers (virtio 1.2 4.2.3.1: a reset queue is not ready). */
void vq_reset(struct vq *q);
/*
 * QueueReady = 1 (virtio 1.2 4.2.3.2): the size is a power of two within
 * VQ_NUM_MAX and the three areas are set (non-zero), aligned (2.7: 16, 2, 4)
 * and inside RAM. 0 and q->ready set, or -1 with `why`.
 */
int vq_check_layout(struct vq *q, const struct vram *ram, const char **why);
/*
 * The next available chain: 1 with *c filled and the queue advanced, 0 when
 * the driver has posted nothing new, -1 with `why` for a bad index, flag,
 * address, length, direction or chain length (the queue is then not advanced).
 */
int vq_pop(struct vq *q, const struct vram *ram, enum vq_dir dir, struct vq_chain *c, const char **why);
/* Gives back the chain vq_pop returned last (the device cannot take it yet). */
void vq_unpop(struct vq *q);
/* Chains posted and not yet taken, or -1 with `why` (avail idx more than the queue size ahead). */
int vq_pending(const struct vq *q, const struct vram *ram, const char **why);
/* Returns chain `head` to the driver with `written` bytes written into it (virtio 1.2 2.7.8). 0 or -1 with `why`. */
int vq_push(struct vq *q, const struct vram *ram, uint16_t head, uint32_t written, const char **why);

/* Copies between a chain's readable part (from offset `off`) / writable part and a host buffer; bytes moved. */
size_t vq_chain_read(const struct vram *ram, const struct vq_chain *c, uint64_t off, void *dst, size_t len);
size_t vq_chain_write(const struct vram *ram, const struct vq_chain *c, uint64_t off, const void *src, size_t len);

#endif
