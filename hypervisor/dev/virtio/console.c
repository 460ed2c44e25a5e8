/* virtio-console with VIRTIO_CONSOLE_F_MULTIPORT (virtio 1.2 5.3): hvc0 and the agent port, and the vport.h API. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "bulwark/agent_proto.h"
#include "hypervisor/dev/virtio/virtio.h"
#include "hypervisor/dev/virtio/vport.h"
#include "hypervisor/load/le_bytes.h"
#include "hypervisor/vm.h"
#include "kernel/sched.h"

/* virtio 1.2 5.3.2: queue 0/1 port 0 receive/transmit, 2/3 control receive/transmit, then 2 per further port. */
#define Q_CTRL_RX 2u
#define Q_CTRL_TX 3u
#define CON_QUEUES (2u + 2u * VPORT_COUNT)
/* virtio 1.2 5.3.3: feature bits. */
#define VIRTIO_CONSOLE_F_MULTIPORT (1ull << 1)
/* virtio 1.2 5.3.6.2: control events. */
#define CTL_DEVICE_READY 0
#define CTL_DEVICE_ADD 1
#define CTL_PORT_READY 3
#define CTL_CONSOLE_PORT 4
#define CTL_PORT_OPEN 6
#define CTL_PORT_NAME 7
#define CTL_HDR 8u            /* struct virtio_console_control: le32 id, le16 event, le16 value */
#define CTL_PENDING_MAX 16u

struct fifo {
	uint8_t *buf;
	size_t head, len;     /* VPORT_BUF_BYTES bytes */
};

struct port {
	struct fifo to_guest, from_guest;
	bool guest_open;      /* PORT_OPEN value 1 from the guest */
};

struct ctl_msg {
	uint32_t id;
	uint16_t event, value;
};

struct vcon {
	struct virtio_slot *slot;
	struct port port[VPORT_COUNT];
	struct ctl_msg pending[CTL_PENDING_MAX];  /* control messages for the guest, oldest first */
	unsigned npending;
	struct vq_chain chain;                    /* scratch, under the slot lock */
};

static const char *const port_names[VPORT_COUNT] = { NULL, AGENT_PORT_NAME };

static unsigned rx_queue(unsigned port) { return port == 0 ? 0 : 2 + 2 * port; }
static unsigned tx_queue(unsigned port) { return rx_queue(port) + 1; }

static size_t fifo_put(struct fifo *f, const uint8_t *src, size_t n)
{
	size_t room = VPORT_BUF_BYTES - f->len;
	if (n > room)
		n = room;
	for (size_t i = 0; i < n; i++)
		f->buf[(f->head + f->len + i) % VPORT_BUF_BYTES] = src[i];
	f->len += n;
	return n;
}

static size_t fifo_peek(const struct fifo *f, uint8_t *dst, size_t n)
{
	if (n > f->len)
		n = f->len;
	for (size_t i = 0; i < n; i++)
		dst[i] = f->buf[(f->head + i) % VPORT_BUF_BYTES];
	return n;
}

static void fifo_drop(struct fifo *f, size_t n)
{
	if (n > f->len)
		n = f->len;
	f->head = (f->head + n) % VPORT_BUF_BYTES;
	f->len -= n;
}

static bool multiport(const struct virtio_mmio *m)
{
	return m->driver_features & VIRTIO_CONSOLE_F_MULTIPORT;
}

/* Pops a chain or fails the device; 1 chain, 0 none or broken. */
static int pop(struct virtio_mmio *m, struct vcon *c, unsigned q, enum vq_dir dir)
{
	const char *why = NULL;
	int rc = vq_pop(&m->q[q], &m->ram, dir, &c->chain, &why);
	if (rc < 0)
		virtio_mmio_fail(m, why);
	return rc > 0;
}

static void push(struct virtio_mmio *m, unsigned q, uint16_t head, uint32_t len)
{
	const char *why = NULL;
	if (vq_push(&m->q[q], &m->ram, head, len, &why))
		virtio_mmio_fail(m, why);
	else
		virtio_mmio_used(m);
}

/* Control messages for the guest into the buffers it posted on the control receive queue. */
static void flush_control(struct virtio_mmio *m, struct vcon *c)
{
	while (c->npending && virtio_mmio_live(m) && m->q[Q_CTRL_RX].ready && pop(m, c, Q_CTRL_RX, VQ_DEV_WRITES)) {
		const struct ctl_msg *msg = &c->pending[0];
		const char *name = msg->event == CTL_PORT_NAME ? port_names[msg->id] : NULL;
		size_t len = CTL_HDR + (name ? strlen(name) : 0);
		uint8_t b[CTL_HDR + 64];

		if (c->chain.write_bytes < len) {
			virtio_mmio_fail(m, "control receive buffer too small for a control message");
			return;
		}
		le_write(b, msg->id, 4);
		le_write(b + 4, msg->event, 2);
		le_write(b + 6, msg->value, 2);
		if (name)
			memcpy(b + CTL_HDR, name, len - CTL_HDR); /* 5.3.6.2: the name follows, not NUL-terminated */
		vq_chain_write(&m->ram, &c->chain, 0, b, len);
		push(m, Q_CTRL_RX, c->chain.head, (uint32_t)len);
		memmove(&c->pending[0], &c->pending[1], --c->npending * sizeof(c->pending[0]));
	}
}

static void send_control(struct vcon *c, uint32_t id, uint16_t event, uint16_t value)
{
	if (c->npending < CTL_PENDING_MAX)
		c->pending[c->npending++] = (struct ctl_msg){ id, event, value };
}

/* Host -> guest bytes of a port into the receive buffers the guest posted (only while it has the port open). */
static void flush_to_guest(struct virtio_mmio *m, struct vcon *c, unsigned p)
{
	struct port *pt = &c->port[p];
	uint8_t buf[512];

	while (pt->to_guest.len && pt->guest_open && virtio_mmio_live(m) && m->q[rx_queue(p)].ready &&
	       pop(m, c, rx_queue(p), VQ_DEV_WRITES)) {
		uint64_t room = c->chain.write_bytes, done = 0;
		while (done < room && pt->to_guest.len) {
			size_t n = fifo_peek(&pt->to_guest, buf, room - done < sizeof(buf) ? (size_t)(room - done) : sizeof(buf));
			vq_chain_write(&m->ram, &c->chain, done, buf, n);
			fifo_drop(&pt->to_guest, n);
			done += n;
		}
		push(m, rx_queue(p), c->chain.head, (uint32_t)done);
	}
}

/*
 * Guest -> host bytes of a port. The agent port holds back when its buffer is full (Linux's
 * generic port then sleeps in write); hvc0's writer spins until its buffer comes back, so
 * port 0 always takes the bytes and drops the oldest ones nobody read.
 */
static void take_from_guest(struct virtio_mmio *m, struct vcon *c, unsigned p)
{
	struct fifo *f = &c->port[p].from_guest;
	bool took = false;
	uint8_t buf[512];

	while (virtio_mmio_live(m) && m->q[tx_queue(p)].ready && pop(m, c, tx_queue(p), VQ_DEV_READS)) {
		uint64_t total = c->chain.read_bytes;
		if (p != VPORT_CONSOLE && total > VPORT_BUF_BYTES - f->len && total <= VPORT_BUF_BYTES) {
			vq_unpop(&m->q[tx_queue(p)]); /* wait for vport_read to make room */
			break;
		}
		for (uint64_t off = 0; off < total;) {
			size_t n = vq_chain_read(&m->ram, &c->chain, off, buf,
						 total - off < sizeof(buf) ? (size_t)(total - off) : sizeof(buf));
			if (n == 0)
				break;
			if (p == VPORT_CONSOLE && n > VPORT_BUF_BYTES - f->len)
				fifo_drop(f, n - (VPORT_BUF_BYTES - f->len));
			fifo_put(f, buf, n);
			off += n;
			took = true;
		}
		push(m, tx_queue(p), c->chain.head, 0);
	}
	if (took)
		sched_wake_console(); /* the agent client or an attached session reads them there */
}

/* virtio 1.2 5.3.6.2: what the driver tells the device, and the device's answers. */
static void control_event(struct vcon *c, const struct ctl_msg *msg)
{
	switch (msg->event) {
	case CTL_DEVICE_READY:
		if (msg->value == 1)
			for (unsigned p = 0; p < VPORT_COUNT; p++)
				send_control(c, p, CTL_DEVICE_ADD, 0);
		break;
	case CTL_PORT_READY:
		if (msg->id >= VPORT_COUNT || msg->value != 1)
			break;
		if (msg->id == VPORT_CONSOLE)
			send_control(c, msg->id, CTL_CONSOLE_PORT, 1);
		else
			send_control(c, msg->id, CTL_PORT_NAME, 1);
		send_control(c, msg->id, CTL_PORT_OPEN, 1); /* the host side is always connected */
		break;
	case CTL_PORT_OPEN:
		if (msg->id < VPORT_COUNT)
			c->port[msg->id].guest_open = msg->value == 1;
		break;
	}
}

static void take_control(struct virtio_mmio *m, struct vcon *c)
{
	while (virtio_mmio_live(m) && pop(m, c, Q_CTRL_TX, VQ_DEV_READS)) {
		uint8_t b[CTL_HDR];
		struct ctl_msg msg;
		if (vq_chain_read(&m->ram, &c->chain, 0, b, CTL_HDR) != CTL_HDR) {
			virtio_mmio_fail(m, "control message shorter than 8 bytes");
			return;
		}
		msg = (struct ctl_msg){ (uint32_t)le_read(b, 4), (uint16_t)le_read(b + 4, 2), (uint16_t)le_read(b + 6, 2) };
		push(m, Q_CTRL_TX, c->chain.head, 0);
		control_event(c, &msg);
	}
}

static void vcon_notify(struct virtio_mmio *m, unsigned q)
{
	struct vcon *c = m->dev;

	if (!multiport(m))
		c->port[0].guest_open = true; /* 5.3.5: without MULTIPORT port 0 is just there */
	if (q == Q_CTRL_TX && multiport(m))
		take_control(m, c);
	for (unsigned p = 0; p < VPORT_COUNT; p++)
		if (q == tx_queue(p) && (p == 0 || multiport(m)))
			take_from_guest(m, c, p);
	flush_control(m, c);
	for (unsigned p = 0; p < VPORT_COUNT; p++)
		flush_to_guest(m, c, p);
}

/* virtio 1.2 5.3.4: cols, rows (VIRTIO_CONSOLE_F_SIZE not offered: 0), max_nr_ports, emerg_wr. */
static uint32_t vcon_config_read(struct virtio_mmio *m, uint32_t offset, unsigned size)
{
	uint8_t cfg[12] = { 0 };
	uint64_t v = 0;

	(void)m;
	le_write(cfg + 4, VPORT_COUNT, 4);
	if (size > 4 || offset >= sizeof(cfg) || size > sizeof(cfg) - offset)
		return 0;
	v = le_read(cfg + offset, size);
	return (uint32_t)v;
}

static void vcon_reset(struct virtio_mmio *m)
{
	struct vcon *c = m->dev;

	c->npending = 0;
	for (unsigned p = 0; p < VPORT_COUNT; p++) {
		c->port[p].guest_open = false;
		c->port[p].to_guest.head = c->port[p].to_guest.len = 0;
		c->port[p].from_guest.head = c->port[p].from_guest.len = 0;
	}
}

static const struct virtio_device_ops vcon_ops = {
	.device_id = 3, /* virtio 1.2 5: console */
	.queues = CON_QUEUES,
	.config_read = vcon_config_read,
	.notify = vcon_notify,
	.reset = vcon_reset,
};

int vcon_create(struct vm *vm, struct virtio_slot *s, const struct vram *ram)
{
	struct vcon *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	vm->virtio->con = c;
	c->slot = s;
	for (unsigned p = 0; p < VPORT_COUNT; p++) {
		c->port[p].to_guest.buf = malloc(VPORT_BUF_BYTES);
		c->port[p].from_guest.buf = malloc(VPORT_BUF_BYTES);
		if (!c->port[p].to_guest.buf || !c->port[p].from_guest.buf)
			return -1;
	}
	s->kind = "console";
	virtio_mmio_init(&s->m, &vcon_ops, c, VIRTIO_CONSOLE_F_MULTIPORT, ram);
	return 0;
}

void vcon_free(struct vcon *c)
{
	if (!c)
		return;
	for (unsigned p = 0; p < VPORT_COUNT; p++) {
		free(c->port[p].to_guest.buf);
		free(c->port[p].from_guest.buf);
	}
	free(c);
}

static struct vcon *console_of(struct vm *vm, unsigned port)
{
	return vm && vm->virtio && port < VPORT_COUNT ? vm->virtio->con : NULL;
}

long vport_write(struct vm *vm, unsigned port, const void *buf, size_t len)
{
	struct vcon *c = console_of(vm, port);
	uint64_t flags;
	size_t n;

	if (!c)
		return -1;
	flags = virtio_slot_lock(c->slot);
	n = fifo_put(&c->port[port].to_guest, buf, len);
	flush_to_guest(&c->slot->m, c, port);
	virtio_slot_unlock(c->slot, flags);
	return (long)n;
}

size_t vport_read(struct vm *vm, unsigned port, void *buf, size_t cap)
{
	struct vcon *c = console_of(vm, port);
	uint64_t flags;
	size_t n;

	if (!c)
		return 0;
	flags = virtio_slot_lock(c->slot);
	n = fifo_peek(&c->port[port].from_guest, buf, cap);
	fifo_drop(&c->port[port].from_guest, n);
	if (n && (port == 0 || multiport(&c->slot->m)))
		take_from_guest(&c->slot->m, c, port); /* chains held back for room */
	virtio_slot_unlock(c->slot, flags);
	return n;
}

bool vport_connected(struct vm *vm, unsigned port)
{
	struct vcon *c = console_of(vm, port);
	const char *why = NULL;
	uint64_t flags;
	bool up;

	if (!c)
		return false;
	flags = virtio_slot_lock(c->slot);
	up = c->port[port].guest_open && virtio_mmio_live(&c->slot->m) &&
	     vq_pending(&c->slot->m.q[rx_queue(port)], &c->slot->m.ram, &why) > 0;
	virtio_slot_unlock(c->slot, flags);
	return up;
}
