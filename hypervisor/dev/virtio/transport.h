/* The virtio-mmio transport, version 2 (virtio 1.2 4.2.2): one device's register file and status machine. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_VIRTIO_TRANSPORT_H
#define HYPERVISOR_DEV_VIRTIO_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/dev/virtio/virtqueue.h"
#include "hypervisor/dev/virtio/vram.h"

/* virtio 1.2 4.2.2: MMIO device register layout (offsets from the slot's base). */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_SHM_SEL 0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW 0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH 0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW 0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976u  /* "virt" */
#define VIRTIO_MMIO_VERSION_2 2u       /* the modern (non-legacy) interface */
#define VIRTIO_MMIO_VENDOR 0x4b525742u /* "BWRK" */

/* virtio 1.2 2.1: device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01u
#define VIRTIO_STATUS_DRIVER 0x02u
#define VIRTIO_STATUS_DRIVER_OK 0x04u
#define VIRTIO_STATUS_FEATURES_OK 0x08u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_STATUS_FAILED 0x80u

/* virtio 1.2 4.2.2: InterruptStatus bits. */
#define VIRTIO_INT_USED_BUFFER 0x1u
#define VIRTIO_INT_CONFIG_CHANGE 0x2u

/* virtio 1.2 6: reserved feature bits. */
#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTIO_QUEUES_MAX 8

struct virtio_mmio;

/* What a device type adds to the transport (console.c, blk.c). Called with the device's lock held. */
struct virtio_device_ops {
	uint32_t device_id;     /* virtio 1.2 5: 2 block, 3 console; 0 is an empty slot */
	uint16_t queues;        /* queues the device has (QueueNumMax 0 beyond) */
	/* Device configuration space (offset from 0x100), zero-extended; writes may be ignored. */
	uint32_t (*config_read)(struct virtio_mmio *m, uint32_t offset, unsigned size);
	void (*config_write)(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t value);
	/* The driver has buffers in queue `q` (QueueNotify, or DRIVER_OK with queues ready). */
	void (*notify)(struct virtio_mmio *m, unsigned q);
	/* Status 0 (virtio 1.2 2.1.2, 4.2.3.1): back to the state before the driver touched it. */
	void (*reset)(struct virtio_mmio *m);
};

/*
 * The register file. Pure logic: the lock, the interrupt line and the log are
 * the owner's (slots.c); it reads `line` after each access and logs `bad` once
 * when `bad_new` is set.
 */
struct virtio_mmio {
	const struct virtio_device_ops *ops;
	void *dev;                  /* the device type's state */
	struct vram ram;
	uint64_t features;          /* offered (VIRTIO_F_VERSION_1 always) */
	uint64_t driver_features;
	uint32_t status;
	uint32_t dev_features_sel, drv_features_sel, queue_sel;
	uint32_t isr;               /* InterruptStatus */
	uint32_t config_generation;
	struct vq q[VIRTIO_QUEUES_MAX];
	bool line;                  /* the interrupt line's level: InterruptStatus != 0 */
	bool bad_new;               /* a guest error since the owner last looked */
	const char *bad;            /* what the last one was */
};

/* An empty slot has ops with device_id 0. `features` is what the device type offers besides VERSION_1. */
void virtio_mmio_init(struct virtio_mmio *m, const struct virtio_device_ops *ops, void *dev, uint64_t features,
		      const struct vram *ram);
/* Guest accesses; `offset` < 0x1000, size 1, 2, 4 or 8 (registers below 0x100 only as 4, virtio 1.2 4.2.2.2). */
uint32_t virtio_mmio_read(struct virtio_mmio *m, uint32_t offset, unsigned size);
void virtio_mmio_write(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t value);

/* For device types: */
/* The device can go on: DRIVER_OK set and DEVICE_NEEDS_RESET not. */
bool virtio_mmio_live(const struct virtio_mmio *m);
/* The guest broke the device (virtio 1.2 2.1.2): DEVICE_NEEDS_RESET and a configuration-change interrupt. */
void virtio_mmio_fail(struct virtio_mmio *m, const char *why);
/* Buffers were returned in a used ring (virtio 1.2 2.7.7, 4.2.3.4): the used-buffer interrupt. */
void virtio_mmio_used(struct virtio_mmio *m);

#endif
