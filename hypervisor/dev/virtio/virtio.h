/* A VM's virtio-mmio devices: the slots declared in the DSDT, their locks, interrupt lines and logging. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_VIRTIO_VIRTIO_H
#define HYPERVISOR_DEV_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hypervisor/dev/virtio/transport.h"
#include "kernel/spinlock.h"

struct vm;
struct vcon;
struct vblk;

/*
 * Slot n is the page PLAT_VIRTIO_MMIO_BASE + n * PLAT_VIRTIO_MMIO_SLOT on GSI
 * PLAT_GSI_VIRTIO_FIRST + n (hypervisor/dev/platform.h, hypervisor/dev/dsdt.asl):
 *   slot 0      virtio-console (hvc0 and the agent port, vport.h)
 *   slots 1-4   virtio-blk, one per disk= of the VM's configuration, in order
 *   the rest    empty: DeviceID 0, which a driver ignores (virtio 1.2 4.2.2.2)
 * Each slot has its own lock: guest MMIO on the vCPUs' CPUs and the console
 * CPU's vport calls take it; the interrupt line (via vm_irq_set, which takes
 * the platform lock inside it) is updated before it is released.
 */
#define VIRTIO_SLOT_CONSOLE 0
#define VIRTIO_SLOT_BLK_FIRST 1
#define VIRTIO_LOG_MAX 8   /* guest errors logged per slot per boot; the rest are counted */

struct virtio_slot {
	struct spinlock lock;
	struct vm *vm;
	unsigned index;
	const char *kind;   /* "console", "blk", "empty" */
	struct virtio_mmio m;
	uint32_t errors;    /* guest errors this boot */
	bool line;          /* the level last given to vm_irq_set */
};

struct vm_virtio {
	struct virtio_slot slot[8];
	struct vcon *con;
	struct vblk *blk[4];
};

/* Creates the VM's devices (console, a disk per disk=) and claims the slots' window on vm->mmio. 0 or -1 with `err`. */
int virtio_vm_create(struct vm *vm, char *err, size_t errlen);
void virtio_vm_free(struct vm *vm);
/* Every device back to its power-on state (each boot of the VM). */
void virtio_vm_reset(struct vm *vm);

/* For device types, around work started outside a guest access (vport.h calls): */
uint64_t virtio_slot_lock(struct virtio_slot *s);
/* Publishes the interrupt line, logs a new guest error, releases the lock. */
void virtio_slot_unlock(struct virtio_slot *s, uint64_t flags);

/* Device types (console.c, blk.c): set up a slot's device, free it. */
int vcon_create(struct vm *vm, struct virtio_slot *s, const struct vram *ram);
void vcon_free(struct vcon *c);
int vblk_create(struct vm *vm, struct virtio_slot *s, const struct vram *ram, unsigned disk, char *err, size_t errlen);
void vblk_free(struct vblk *b);

#endif
