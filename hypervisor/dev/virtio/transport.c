/* The virtio-mmio transport, version 2 (virtio 1.2 4.2.2, 4.2.3): registers, feature negotiation, device status. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/virtio/transport.h"

#define DRIVER_BITS (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | \
		     VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FAILED)

void virtio_mmio_init(struct virtio_mmio *m, const struct virtio_device_ops *ops, void *dev, uint64_t features,
		      const struct vram *ram)
{
	memset(m, 0, sizeof(*m));
	m->ops = ops;
	m->dev = dev;
	m->ram = *ram;
	m->features = features | VIRTIO_F_VERSION_1; /* virtio 1.2 6.1: a non-legacy device offers VERSION_1 */
}

static void update_line(struct virtio_mmio *m)
{
	m->line = m->isr != 0; /* level-triggered until InterruptACK clears it (virtio 1.2 4.2.3.4) */
}

bool virtio_mmio_live(const struct virtio_mmio *m)
{
	return (m->status & VIRTIO_STATUS_DRIVER_OK) && !(m->status & VIRTIO_STATUS_NEEDS_RESET);
}

void virtio_mmio_fail(struct virtio_mmio *m, const char *why)
{
	if (m->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	/* virtio 1.2 2.1.2: set DEVICE_NEEDS_RESET and, once DRIVER_OK is set, send a configuration change notification. */
	m->status |= VIRTIO_STATUS_NEEDS_RESET;
	m->bad = why;
	m->bad_new = true;
	if (m->status & VIRTIO_STATUS_DRIVER_OK) {
		m->isr |= VIRTIO_INT_CONFIG_CHANGE;
		m->config_generation++;
		update_line(m);
	}
}

void virtio_mmio_used(struct virtio_mmio *m)
{
	m->isr |= VIRTIO_INT_USED_BUFFER;
	update_line(m);
}

/* Status 0: virtio 1.2 2.1.2 / 4.2.3.1, everything the driver set is forgotten. */
static void device_reset(struct virtio_mmio *m)
{
	m->status = 0;
	m->driver_features = 0;
	m->dev_features_sel = m->drv_features_sel = m->queue_sel = 0;
	m->isr = 0;
	for (unsigned i = 0; i < VIRTIO_QUEUES_MAX; i++)
		vq_reset(&m->q[i]);
	update_line(m);
	if (m->ops->reset)
		m->ops->reset(m);
}

/* virtio 1.2 3.1.1: FEATURES_OK only for a subset of what was offered, and (2.2, 6.1) with VERSION_1. */
static bool features_acceptable(const struct virtio_mmio *m)
{
	return !(m->driver_features & ~m->features) && (m->driver_features & VIRTIO_F_VERSION_1);
}

static void write_status(struct virtio_mmio *m, uint32_t v)
{
	uint32_t old = m->status & DRIVER_BITS, set = v & DRIVER_BITS & ~old;

	if (v == 0) {
		device_reset(m);
		return;
	}
	/* virtio 1.2 3.1.1: ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK in that order; a bit out of order is not taken. */
	if ((set & VIRTIO_STATUS_DRIVER) && !((old | set) & VIRTIO_STATUS_ACKNOWLEDGE))
		set &= ~VIRTIO_STATUS_DRIVER;
	if ((set & VIRTIO_STATUS_FEATURES_OK) &&
	    (!((old | set) & VIRTIO_STATUS_DRIVER) || !features_acceptable(m)))
		set &= ~VIRTIO_STATUS_FEATURES_OK; /* the driver reads it back and gives up (3.1.1 step 6) */
	if ((set & VIRTIO_STATUS_DRIVER_OK) && !((old | set) & VIRTIO_STATUS_FEATURES_OK))
		set &= ~VIRTIO_STATUS_DRIVER_OK;
	/* 2.1.1: the driver never clears a bit; one it tries to clear stays set. NEEDS_RESET is the device's. */
	m->status = old | set | (m->status & VIRTIO_STATUS_NEEDS_RESET);
	if ((set & VIRTIO_STATUS_DRIVER_OK) && virtio_mmio_live(m))
		for (unsigned i = 0; i < m->ops->queues; i++)
			if (m->q[i].ready && m->ops->notify)
				m->ops->notify(m, i);
}

static struct vq *selected(struct virtio_mmio *m)
{
	return m->queue_sel < m->ops->queues ? &m->q[m->queue_sel] : NULL;
}

static void set_half(uint64_t *reg, bool high, uint32_t v)
{
	*reg = high ? (*reg & 0xffffffffull) | (uint64_t)v << 32 : (*reg & ~0xffffffffull) | v;
}

static void write_queue_ready(struct virtio_mmio *m, struct vq *q, uint32_t v)
{
	const char *why = NULL;

	if (!v) {
		q->ready = false;
		return;
	}
	if (q->ready)
		return;
	/* virtio 1.2 4.2.3.2: size, then the three areas, then QueueReady = 1. */
	if (vq_check_layout(q, &m->ram, &why))
		virtio_mmio_fail(m, why);
}

static void write_notify(struct virtio_mmio *m, uint32_t v)
{
	/* virtio 1.2 4.2.2: without VIRTIO_F_NOTIFICATION_DATA the value is the queue index. */
	if (v >= m->ops->queues || !m->q[v].ready) {
		virtio_mmio_fail(m, "notify on a queue that is not set up");
		return;
	}
	if (virtio_mmio_live(m) && m->ops->notify)
		m->ops->notify(m, v);
}

/* Queue registers (virtio 1.2 4.2.2): written only while the queue is not ready (4.2.2.2). */
static void write_queue_reg(struct virtio_mmio *m, uint32_t offset, uint32_t v)
{
	struct vq *q = selected(m);

	if (!q || q->ready)
		return;
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM: q->num = (uint16_t)(v > 0xffff ? 0xffff : v); break; /* checked at QueueReady */
	case VIRTIO_MMIO_QUEUE_DESC_LOW: set_half(&q->desc, false, v); break;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: set_half(&q->desc, true, v); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: set_half(&q->driver, false, v); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: set_half(&q->driver, true, v); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: set_half(&q->device, false, v); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: set_half(&q->device, true, v); break;
	}
}

static uint32_t read_reg(struct virtio_mmio *m, uint32_t offset)
{
	struct vq *q = selected(m);

	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return VIRTIO_MMIO_VERSION_2;
	case VIRTIO_MMIO_DEVICE_ID: return m->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return m->dev_features_sel < 2 ? (uint32_t)(m->features >> (32 * m->dev_features_sel)) : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return q ? VQ_NUM_MAX : 0; /* 0: no such queue (4.2.3.2) */
	case VIRTIO_MMIO_QUEUE_READY: return q ? q->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return m->isr;
	case VIRTIO_MMIO_STATUS: return m->status;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
		return 0xffffffffu; /* 4.2.2: length -1, no shared memory region */
	case VIRTIO_MMIO_CONFIG_GENERATION: return m->config_generation;
	}
	return 0;
}

static void write_reg(struct virtio_mmio *m, uint32_t offset, uint32_t v)
{
	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: m->dev_features_sel = v; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: m->drv_features_sel = v; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (!(m->status & VIRTIO_STATUS_FEATURES_OK) && m->drv_features_sel < 2)
			set_half(&m->driver_features, m->drv_features_sel == 1, v);
		break;
	case VIRTIO_MMIO_QUEUE_SEL: m->queue_sel = v; break;
	case VIRTIO_MMIO_QUEUE_READY: {
		struct vq *q = selected(m);
		if (q)
			write_queue_ready(m, q, v);
		break;
	}
	case VIRTIO_MMIO_QUEUE_NOTIFY: write_notify(m, v); break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		m->isr &= ~v;
		update_line(m);
		break;
	case VIRTIO_MMIO_STATUS: write_status(m, v); break;
	default: write_queue_reg(m, offset, v); break;
	}
}

uint32_t virtio_mmio_read(struct virtio_mmio *m, uint32_t offset, unsigned size)
{
	if (offset >= VIRTIO_MMIO_CONFIG)
		return m->ops->config_read ? m->ops->config_read(m, offset - VIRTIO_MMIO_CONFIG, size) : 0;
	if (size != 4 || (offset & 3))
		return 0; /* 4.2.2.2: the driver uses 32-bit aligned accesses below the configuration space */
	if (m->ops->device_id == 0 && offset > VIRTIO_MMIO_VENDOR_ID)
		return 0;
	return read_reg(m, offset);
}

void virtio_mmio_write(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t value)
{
	if (m->ops->device_id == 0)
		return; /* an empty slot (DeviceID 0, 4.2.2.2) keeps nothing */
	if (offset >= VIRTIO_MMIO_CONFIG) {
		if (m->ops->config_write)
			m->ops->config_write(m, offset - VIRTIO_MMIO_CONFIG, size, value);
		return;
	}
	if (size != 4 || (offset & 3))
		return;
	write_reg(m, offset, value);
}
