/* A VM's virtio-mmio slots: the MMIO window, one lock per slot, interrupt lines through the IOAPIC, logging once. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "hypervisor/dev/irq.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/virtio/virtio.h"
#include "hypervisor/errf.h"
#include "hypervisor/gmem.h"
#include "hypervisor/vm.h"
#include "kernel/log.h"

_Static_assert(PLAT_VIRTIO_MMIO_SLOTS == sizeof(((struct vm_virtio *)0)->slot) / sizeof(struct virtio_slot),
	       "one slot state per DSDT slot");
_Static_assert(PLAT_GSI_VIRTIO_FIRST + PLAT_VIRTIO_MMIO_SLOTS <= PLAT_IOAPIC_PINS, "virtio GSIs are IOAPIC pins");

static const struct virtio_device_ops empty_ops = { .device_id = 0 };

static void *ram_hva(void *ctx, uint64_t gpa, size_t len)
{
	return gmem_hva(ctx, gpa, len);
}

uint64_t virtio_slot_lock(struct virtio_slot *s)
{
	return spin_lock_irqsave(&s->lock);
}

void virtio_slot_unlock(struct virtio_slot *s, uint64_t flags)
{
	struct virtio_mmio *m = &s->m;

	if (m->bad_new) {
		m->bad_new = false;
		if (s->errors < VIRTIO_LOG_MAX)
			log_warn("vm %s: virtio-%s (slot %u): %s; the device needs a reset%s", s->vm->name, s->kind,
				 s->index, m->bad, s->errors + 1 == VIRTIO_LOG_MAX ? " (further errors not logged)" : "");
		s->errors++;
	}
	if (m->line != s->line) {
		s->line = m->line;
		vm_irq_set(s->vm, PLAT_GSI_VIRTIO_FIRST + s->index, s->line); /* level, active high (dsdt.asl) */
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

static uint64_t slots_read(void *dev, struct vcpu *v, uint64_t offset, unsigned size)
{
	struct vm_virtio *vv = dev;
	struct virtio_slot *s = &vv->slot[offset / PLAT_VIRTIO_MMIO_SLOT];
	uint32_t off = (uint32_t)(offset % PLAT_VIRTIO_MMIO_SLOT);
	uint64_t flags, value;

	(void)v;
	flags = virtio_slot_lock(s);
	if (size == 8 && off >= VIRTIO_MMIO_CONFIG) /* a 64-bit config field read at once: two halves */
		value = virtio_mmio_read(&s->m, off, 4) | (uint64_t)virtio_mmio_read(&s->m, off + 4, 4) << 32;
	else
		value = virtio_mmio_read(&s->m, off, size);
	virtio_slot_unlock(s, flags);
	return value;
}

static void slots_write(void *dev, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value)
{
	struct vm_virtio *vv = dev;
	struct virtio_slot *s = &vv->slot[offset / PLAT_VIRTIO_MMIO_SLOT];
	uint64_t flags;

	(void)v;
	flags = virtio_slot_lock(s);
	virtio_mmio_write(&s->m, (uint32_t)(offset % PLAT_VIRTIO_MMIO_SLOT), size, (uint32_t)value);
	virtio_slot_unlock(s, flags);
}

static const struct mmio_ops slots_ops = { slots_read, slots_write };

int virtio_vm_create(struct vm *vm, char *err, size_t errlen)
{
	struct vm_virtio *vv = calloc(1, sizeof(*vv));
	struct vram ram = { vm, vm->mem_bytes, ram_hva };

	if (!vv)
		return errf(err, errlen, "out of hypervisor memory for the virtio devices");
	vm->virtio = vv;
	for (unsigned i = 0; i < PLAT_VIRTIO_MMIO_SLOTS; i++) {
		struct virtio_slot *s = &vv->slot[i];
		s->vm = vm;
		s->index = i;
		s->kind = "empty";
		virtio_mmio_init(&s->m, &empty_ops, NULL, 0, &ram);
	}
	if (vcon_create(vm, &vv->slot[VIRTIO_SLOT_CONSOLE], &ram))
		return errf(err, errlen, "out of hypervisor memory for the virtio console");
	for (unsigned d = 0; d < vm->boot.disk_count; d++)
		if (vblk_create(vm, &vv->slot[VIRTIO_SLOT_BLK_FIRST + d], &ram, d, err, errlen))
			return -1;
	if (mmio_bus_add(&vm->mmio, PLAT_VIRTIO_MMIO_BASE, PLAT_VIRTIO_MMIO_SLOT * PLAT_VIRTIO_MMIO_SLOTS, &slots_ops,
			 vv))
		return errf(err, errlen, "the VM's MMIO bus is full");
	return 0;
}

void virtio_vm_free(struct vm *vm)
{
	struct vm_virtio *vv = vm->virtio;

	if (!vv)
		return;
	vcon_free(vv->con);
	for (unsigned d = 0; d < sizeof(vv->blk) / sizeof(vv->blk[0]); d++)
		vblk_free(vv->blk[d]);
	free(vv);
	vm->virtio = NULL;
}

void virtio_vm_reset(struct vm *vm)
{
	struct vm_virtio *vv = vm->virtio;

	if (!vv)
		return;
	for (unsigned i = 0; i < PLAT_VIRTIO_MMIO_SLOTS; i++) {
		struct virtio_slot *s = &vv->slot[i];
		uint64_t flags = virtio_slot_lock(s);
		virtio_mmio_write(&s->m, VIRTIO_MMIO_STATUS, 4, 0); /* virtio 1.2 2.1.2: writing 0 resets */
		s->errors = 0;
		virtio_slot_unlock(s, flags);
	}
}
