/* virtio-blk (virtio 1.2 5.2): a disk per disk= word, backed by a copy of a boot module in hypervisor memory. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "hypervisor/dev/virtio/virtio.h"
#include "hypervisor/errf.h"
#include "hypervisor/load/le_bytes.h"
#include "hypervisor/vm.h"
#include "kernel/kernel.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

/* virtio 1.2 5.2.3: feature bits. */
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
/* virtio 1.2 5.2.6: request types and status values. */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define BLK_HDR 16u           /* le32 type, le32 reserved, le64 sector */
#define BLK_ID_BYTES 20u      /* 5.2.6: GET_ID writes a 20-byte serial, NUL-padded */
#define SECTOR 512u           /* 5.2.6: sectors are 512 bytes whatever blk_size says */

struct vblk {
	struct virtio_slot *slot;
	uint8_t *data;            /* the copy of the module, through the direct map */
	uint64_t phys, frames;
	uint64_t sectors;         /* capacity: whole 512-byte sectors of the module */
	bool ro;
	char serial[BLK_ID_BYTES + 1];
	struct vq_chain chain;    /* scratch, under the slot lock */
};

/* The request's sector range lies within the disk (no overflow). */
static bool in_range(const struct vblk *b, uint64_t sector, uint64_t bytes)
{
	return bytes % SECTOR == 0 && sector <= b->sectors && bytes / SECTOR <= b->sectors - sector;
}

/* Does the request of the chain in b->chain; returns its status and the data bytes written to the guest. */
static uint8_t do_request(struct virtio_mmio *m, struct vblk *b, uint32_t type, uint64_t sector, uint64_t *written)
{
	const struct vq_chain *c = &b->chain;
	uint64_t in_bytes = c->write_bytes - 1, out_bytes = c->read_bytes - BLK_HDR;

	*written = 0;
	switch (type) {
	case VIRTIO_BLK_T_IN:
		if (!in_range(b, sector, in_bytes))
			return VIRTIO_BLK_S_IOERR;
		*written = vq_chain_write(&m->ram, c, 0, b->data + sector * SECTOR, (size_t)in_bytes);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_OUT:
		if (b->ro || !in_range(b, sector, out_bytes))
			return VIRTIO_BLK_S_IOERR;
		vq_chain_read(&m->ram, c, BLK_HDR, b->data + sector * SECTOR, (size_t)out_bytes);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		return VIRTIO_BLK_S_OK; /* the disk is memory: nothing is cached on the way */
	case VIRTIO_BLK_T_GET_ID: {
		uint8_t id[BLK_ID_BYTES] = { 0 };
		memcpy(id, b->serial, strlen(b->serial));
		*written = vq_chain_write(&m->ram, c, 0, id, in_bytes < BLK_ID_BYTES ? (size_t)in_bytes : BLK_ID_BYTES);
		return VIRTIO_BLK_S_OK;
	}
	}
	return VIRTIO_BLK_S_UNSUPP;
}

static void vblk_notify(struct virtio_mmio *m, unsigned q)
{
	struct vblk *b = m->dev;
	const char *why = NULL;
	int rc;

	while (virtio_mmio_live(m) && (rc = vq_pop(&m->q[q], &m->ram, VQ_MIXED, &b->chain, &why)) > 0) {
		uint8_t hdr[BLK_HDR], status;
		uint64_t written;

		/* 5.2.6: a readable header first, the status byte the last writable byte. */
		if (b->chain.read_bytes < BLK_HDR || b->chain.write_bytes < 1 ||
		    vq_chain_read(&m->ram, &b->chain, 0, hdr, BLK_HDR) != BLK_HDR) {
			virtio_mmio_fail(m, "block request without a 16-byte header or a status byte");
			return;
		}
		status = do_request(m, b, (uint32_t)le_read(hdr, 4), le_read(hdr + 8, 8), &written);
		vq_chain_write(&m->ram, &b->chain, b->chain.write_bytes - 1, &status, 1); /* the status byte last */
		if (vq_push(&m->q[q], &m->ram, b->chain.head, (uint32_t)(written + 1), &why)) {
			virtio_mmio_fail(m, why);
			return;
		}
		virtio_mmio_used(m);
	}
	if (rc < 0)
		virtio_mmio_fail(m, why);
}

/* virtio 1.2 5.2.4: capacity (le64, 512-byte sectors) at 0; the rest (not offered) reads 0. */
static uint32_t vblk_config_read(struct virtio_mmio *m, uint32_t offset, unsigned size)
{
	struct vblk *b = m->dev;
	uint8_t cfg[8];

	le_write(cfg, b->sectors, 8);
	if (size > 4 || offset >= sizeof(cfg) || size > sizeof(cfg) - offset)
		return 0;
	return (uint32_t)le_read(cfg + offset, size);
}

static const struct virtio_device_ops vblk_ops = {
	.device_id = 2, /* virtio 1.2 5: block device */
	.queues = 1,    /* 5.2.2: requestq (VIRTIO_BLK_F_MQ not offered) */
	.config_read = vblk_config_read,
	.notify = vblk_notify,
};

int vblk_create(struct vm *vm, struct virtio_slot *s, const struct vram *ram, unsigned disk, char *err, size_t errlen)
{
	const struct vm_disk *d = &vm->boot.disks[disk];
	const struct boot_module *mod = kernel_find_module(d->file);
	struct vblk *b;

	if (!mod)
		return errf(err, errlen, "no disk '%s' was loaded at boot; 'vm images' lists them", d->file);
	if (mod->size < SECTOR)
		return errf(err, errlen, "disk '%s' is smaller than one 512-byte sector", d->file);
	b = calloc(1, sizeof(*b));
	if (!b)
		return errf(err, errlen, "out of hypervisor memory for disk '%s'", d->file);
	vm->virtio->blk[disk] = b;
	b->slot = s;
	b->sectors = mod->size / SECTOR;
	b->frames = (b->sectors * SECTOR + PMM_FRAME - 1) / PMM_FRAME;
	b->phys = pmm_alloc(b->frames, PMM_FRAME);
	if (!b->phys)
		return errf(err, errlen, "not enough free memory for a copy of disk '%s' (%llu KiB)", d->file,
			    (unsigned long long)(b->frames * PMM_FRAME >> 10));
	b->data = phys_to_virt(b->phys);
	memcpy(b->data, phys_to_virt(mod->base), b->sectors * SECTOR); /* writes live in this copy until vm destroy */
	b->ro = d->ro;
	snprintf(b->serial, sizeof(b->serial), "%s", d->file);
	s->kind = "blk";
	virtio_mmio_init(&s->m, &vblk_ops, b, VIRTIO_BLK_F_FLUSH | (d->ro ? VIRTIO_BLK_F_RO : 0), ram);
	return 0;
}

void vblk_free(struct vblk *b)
{
	if (!b)
		return;
	if (b->phys)
		pmm_free(b->phys, b->frames);
	free(b);
}
