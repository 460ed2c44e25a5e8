/* virtio-net over PCI, modern interface (virtio 1.2 4.1 and 5.1): the management NIC under QEMU. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/nic.h"
#include "drivers/net/virtqueue.h"
#include "drivers/pci/pci.h"
#include "drivers/lapic.h"
#include "kernel/arch/idt.h"
#include "kernel/log.h"
#include "kernel/time.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_NET_TRANSITIONAL 0x1000 /* virtio 1.2 4.1.2.1 */
#define VIRTIO_NET_MODERN 0x1041       /* 0x1040 + device id 1 */

/* virtio 1.2 4.1.4: vendor-specific capabilities locate the structures in the BARs. */
#define PCI_CAP_VENDOR 0x09
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_DEVICE 4

/* virtio 1.2 4.1.4.3: struct virtio_pci_common_cfg offsets. */
#define CC_DEVICE_FEATURE_SELECT 0
#define CC_DEVICE_FEATURE 4
#define CC_DRIVER_FEATURE_SELECT 8
#define CC_DRIVER_FEATURE 12
#define CC_CONFIG_MSIX_VECTOR 16
#define CC_NUM_QUEUES 18
#define CC_DEVICE_STATUS 20
#define CC_QUEUE_SELECT 22
#define CC_QUEUE_SIZE 24
#define CC_QUEUE_MSIX_VECTOR 26
#define CC_QUEUE_ENABLE 28
#define CC_QUEUE_NOTIFY_OFF 30
#define CC_QUEUE_DESC 32
#define CC_QUEUE_DRIVER 40
#define CC_QUEUE_DEVICE 48

/* virtio 1.2 2.1: device status bits. */
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_NEEDS_RESET 64
#define STATUS_FAILED 128

/* Feature bits: virtio 1.2 5.1.3 and 6. */
#define F_NET_MAC (1ull << 5)
#define F_NET_STATUS (1ull << 16)
#define F_VERSION_1 (1ull << 32)
#define NET_S_LINK_UP 1 /* virtio 1.2 5.1.4 */
#define NET_HDR_BYTES 12 /* struct virtio_net_hdr with num_buffers, virtio 1.2 5.1.6 */
#define RXQ 0
#define TXQ 1
#define RESET_TIMEOUT_NS 100000000ull

struct vnet {
	struct nic nic;
	volatile uint8_t *common, *device;
	volatile uint8_t *notify_base;
	uint32_t notify_mult;
	volatile uint16_t *notify[2];
	struct virtqueue q[2];
	uint64_t features;
	bool msix; /* received frames raise VEC_NET on the console CPU */
};

#define MMIO8(p, off) (*(volatile uint8_t *)((p) + (off)))
#define MMIO16(p, off) (*(volatile uint16_t *)((p) + (off)))
#define MMIO32(p, off) (*(volatile uint32_t *)((p) + (off)))
#define MMIO64(p, off) (*(volatile uint64_t *)((p) + (off)))

/* Maps the structure a virtio capability at `cap` names; NULL if its BAR or range is unusable. */
static volatile uint8_t *map_cap(const struct pci_dev *d, uint8_t cap, uint32_t min_len)
{
	uint8_t bar = pci_read8(d, cap + 4);
	uint32_t off = pci_read32(d, cap + 8), len = pci_read32(d, cap + 12);
	volatile uint8_t *base;

	if (bar > 5 || len < min_len || (uint64_t)off + len > d->bars[bar].size)
		return NULL;
	base = pci_map_bar(d, bar);
	return base ? base + off : NULL;
}

static int find_caps(struct vnet *v, const struct pci_dev *d)
{
	for (uint8_t cap = pci_find_cap(d, PCI_CAP_VENDOR, 0); cap; cap = pci_find_cap(d, PCI_CAP_VENDOR, cap)) {
		uint8_t type = pci_read8(d, cap + 3);
		if (type == CAP_COMMON && !v->common)
			v->common = map_cap(d, cap, 56);
		else if (type == CAP_DEVICE && !v->device)
			v->device = map_cap(d, cap, 8);
		else if (type == CAP_NOTIFY && !v->notify_base) {
			v->notify_base = map_cap(d, cap, 2);
			v->notify_mult = pci_read32(d, cap + 16);
		}
	}
	return v->common && v->device && v->notify_base ? 0 : -1;
}

static uint64_t device_features(struct vnet *v)
{
	MMIO32(v->common, CC_DEVICE_FEATURE_SELECT) = 0;
	uint64_t lo = MMIO32(v->common, CC_DEVICE_FEATURE);
	MMIO32(v->common, CC_DEVICE_FEATURE_SELECT) = 1;
	return lo | (uint64_t)MMIO32(v->common, CC_DEVICE_FEATURE) << 32;
}

static int reset_device(struct vnet *v)
{
	uint64_t deadline = time_ns() + RESET_TIMEOUT_NS;

	MMIO8(v->common, CC_DEVICE_STATUS) = 0; /* virtio 1.2 4.1.4.3.2: reset, then read back 0 */
	while (MMIO8(v->common, CC_DEVICE_STATUS) != 0)
		if (time_ns() > deadline)
			return -1;
	return 0;
}

/* virtio 1.2 4.1.5.1.3: one queue's rings handed to the device. */
static int setup_queue(struct vnet *v, uint16_t index)
{
	struct virtqueue *q = &v->q[index];
	uint16_t size, noff;

	MMIO16(v->common, CC_QUEUE_SELECT) = index;
	size = MMIO16(v->common, CC_QUEUE_SIZE);
	if (size < VQ_SIZE || (size & (size - 1)))
		return -1;
	if (vq_alloc(q))
		return -1;
	MMIO16(v->common, CC_QUEUE_SIZE) = VQ_SIZE;
	/* virtio 1.2 4.1.5.1.2: receive completions use MSI-X entry 0 (if routed), the rest none */
	MMIO16(v->common, CC_QUEUE_MSIX_VECTOR) = index == RXQ && v->msix ? 0 : 0xffff;
	if (index == RXQ && v->msix && MMIO16(v->common, CC_QUEUE_MSIX_VECTOR) != 0)
		v->msix = false; /* the device could not map it: polling alone */
	MMIO64(v->common, CC_QUEUE_DESC) = q->desc_phys;
	MMIO64(v->common, CC_QUEUE_DRIVER) = q->avail_phys;
	MMIO64(v->common, CC_QUEUE_DEVICE) = q->used_phys;
	noff = MMIO16(v->common, CC_QUEUE_NOTIFY_OFF);
	v->notify[index] = (volatile uint16_t *)(v->notify_base + (uint32_t)noff * v->notify_mult);
	MMIO16(v->common, CC_QUEUE_ENABLE) = 1;
	return 0;
}

static void kick(struct vnet *v, uint16_t index)
{
	*v->notify[index] = index; /* virtio 1.2 4.1.5.2 */
}

/* virtio 1.2 3.1.1: the driver initialisation sequence. */
static const char *start_device(struct vnet *v, const struct pci_dev *d)
{
	uint64_t want;

	if (reset_device(v))
		return "the device does not come out of reset";
	MMIO8(v->common, CC_DEVICE_STATUS) = STATUS_ACKNOWLEDGE;
	MMIO8(v->common, CC_DEVICE_STATUS) = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
	v->features = device_features(v);
	if (!(v->features & F_VERSION_1))
		return "the device offers no VIRTIO_F_VERSION_1 (legacy only)";
	want = v->features & (F_VERSION_1 | F_NET_MAC | F_NET_STATUS);
	MMIO32(v->common, CC_DRIVER_FEATURE_SELECT) = 0;
	MMIO32(v->common, CC_DRIVER_FEATURE) = (uint32_t)want;
	MMIO32(v->common, CC_DRIVER_FEATURE_SELECT) = 1;
	MMIO32(v->common, CC_DRIVER_FEATURE) = (uint32_t)(want >> 32);
	MMIO8(v->common, CC_DEVICE_STATUS) = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK;
	if (!(MMIO8(v->common, CC_DEVICE_STATUS) & STATUS_FEATURES_OK))
		return "the device refused the features";
	v->features = want;
	v->msix = !pci_msix_route(d, 0, VEC_NET, lapic_id());
	MMIO16(v->common, CC_CONFIG_MSIX_VECTOR) = 0xffff; /* no configuration-change interrupts */
	if (MMIO16(v->common, CC_NUM_QUEUES) < 2 || setup_queue(v, RXQ) || setup_queue(v, TXQ))
		return "cannot set up the receive and transmit queues";
	for (uint16_t i = 0; i < VQ_SIZE; i++)
		vq_offer(&v->q[RXQ], i, VQ_BUF_BYTES, true);
	MMIO8(v->common, CC_DEVICE_STATUS) = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK;
	kick(v, RXQ);
	return NULL;
}

static bool device_broken(struct vnet *v)
{
	uint8_t st = MMIO8(v->common, CC_DEVICE_STATUS);
	if (st & (STATUS_NEEDS_RESET | STATUS_FAILED)) {
		nic_fail(&v->nic, "the device reports DEVICE_NEEDS_RESET");
		return true;
	}
	return v->nic.dead;
}

/* Takes back transmit buffers the device is done with. */
static void reclaim_tx(struct vnet *v)
{
	uint16_t id;
	uint32_t len;
	int r;

	while ((r = vq_next_used(&v->q[TXQ], &id, &len)) > 0)
		;
	if (r < 0)
		nic_fail(&v->nic, "bad entry in the transmit used ring");
}

static int vnet_send(struct nic *nic, const void *frame, size_t len)
{
	struct vnet *v = nic->priv;
	struct virtqueue *q = &v->q[TXQ];
	uint16_t id;

	if (device_broken(v) || len > NIC_FRAME_MAX)
		return -1;
	reclaim_tx(v);
	if (v->nic.dead || vq_in_flight(q) >= VQ_SIZE)
		return -1;
	/* the free slot: descriptors go out and come back in order in this driver's use, but not necessarily */
	for (id = q->avail_idx % VQ_SIZE; q->offered & (1ull << id); id = (id + 1) % VQ_SIZE)
		;
	memset(vq_buf(q, id), 0, NET_HDR_BYTES);
	memcpy(vq_buf(q, id) + NET_HDR_BYTES, frame, len);
	vq_offer(q, id, NET_HDR_BYTES + (uint32_t)len, false);
	kick(v, TXQ);
	return 0;
}

static unsigned vnet_poll(struct nic *nic, void (*deliver)(void *, const void *, size_t), void *ctx, unsigned budget)
{
	struct vnet *v = nic->priv;
	struct virtqueue *q = &v->q[RXQ];
	unsigned n = 0;
	uint16_t id;
	uint32_t len;
	int r = 0;

	if (device_broken(v))
		return 0;
	while (n < budget && (r = vq_next_used(q, &id, &len)) > 0) {
		if (len >= NET_HDR_BYTES + 14 && len <= NET_HDR_BYTES + NIC_FRAME_MAX) {
			deliver(ctx, vq_buf(q, id) + NET_HDR_BYTES, len - NET_HDR_BYTES);
			n++;
		} else {
			nic->count.rx_errors++;
		}
		vq_offer(q, id, VQ_BUF_BYTES, true);
	}
	if (r < 0)
		nic_fail(nic, "bad entry in the receive used ring");
	if (n)
		kick(v, RXQ);
	return n;
}

static bool vnet_link_up(struct nic *nic)
{
	struct vnet *v = nic->priv;
	if (nic->dead)
		return false;
	if (!(v->features & F_NET_STATUS))
		return true; /* virtio 1.2 5.1.4.2: without VIRTIO_NET_F_STATUS the link is assumed up */
	return MMIO16(v->device, 6) & NET_S_LINK_UP;
}

static const struct nic_ops vnet_ops = { .send = vnet_send, .poll = vnet_poll, .link_up = vnet_link_up };

static struct nic *vnet_attach(const struct pci_dev *d)
{
	struct vnet *v = calloc(1, sizeof(*v));
	const char *why;

	if (!v)
		return NULL;
	snprintf(v->nic.name, sizeof(v->nic.name), "virtio-net");
	snprintf(v->nic.where, sizeof(v->nic.where), "%02x:%02x.%x", d->bus, d->dev, d->fn);
	v->nic.ops = &vnet_ops;
	v->nic.priv = v;
	pci_enable(d);
	if (find_caps(v, d))
		why = "no modern virtio capabilities (common, notify, device)";
	else
		why = start_device(v, d);
	if (why) {
		log_warn("net: virtio-net at %s not used: %s", v->nic.where, why);
		if (v->common)
			MMIO8(v->common, CC_DEVICE_STATUS) = STATUS_FAILED;
		free(v); /* rings taken for a failed device stay allocated: the device may still hold them */
		return NULL;
	}
	v->nic.irq = v->msix;
	for (int i = 0; i < 6; i++)
		v->nic.mac[i] = (v->features & F_NET_MAC) ? MMIO8(v->device, i) : (uint8_t)(i == 0 ? 0x02 : i);
	return &v->nic;
}

struct nic *virtio_net_probe(void)
{
	static const uint16_t ids[] = { VIRTIO_NET_MODERN, VIRTIO_NET_TRANSITIONAL };

	for (unsigned i = 0; i < 2; i++) {
		uint32_t pos = 0;
		const struct pci_dev *d;
		while ((d = pci_find(VIRTIO_VENDOR, ids[i], &pos)) != NULL) {
			struct nic *n = vnet_attach(d);
			if (n)
				return n;
		}
	}
	return NULL;
}
