/* Ports of a VM's virtio-console, seen from the hypervisor: bytes to and from the guest's hvc0 and agent port. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_VIRTIO_VPORT_H
#define HYPERVISOR_DEV_VIRTIO_VPORT_H

#include <stdbool.h>
#include <stddef.h>

struct vm;

/*
 * Every VM's virtio-console (virtio 1.2 5.3, with VIRTIO_CONSOLE_F_MULTIPORT) has two ports:
 *   VPORT_CONSOLE  port 0, the guest's second console (hvc0 in Linux; `vm console NAME --hvc`)
 *   VPORT_AGENT    port 1, named AGENT_PORT_NAME (include/bulwark/agent_proto.h), the agent channel
 *
 * Each port has two bounded byte buffers of VPORT_BUF_BYTES in the hypervisor: host -> guest
 * (filled by vport_write, drained into the receive buffers the guest posts) and guest -> host
 * (filled from the guest's transmit queue, drained by vport_read). Bytes are a stream: the
 * guest's message boundaries are not kept.
 *
 * The three calls may be made from any CPU (the console CPU), also while the VM's vCPUs run on
 * other CPUs or on the same one; they take the device's lock, never block, never sleep, and
 * never touch guest memory outside what the guest offered in its queues. `vm` must be a VM
 * that exists for the duration of the call (the console holds it, as for `vm console`).
 * A VM whose device is not (yet) there, or a `port` it does not have, answers -1 / 0 / false.
 */
#define VPORT_CONSOLE 0
#define VPORT_AGENT 1
#define VPORT_COUNT 2
#define VPORT_BUF_BYTES (64u * 1024u)

/*
 * Host -> guest: queues up to `len` bytes for the guest; returns the bytes taken (0..len: fewer
 * when the buffer is full) or -1 if the VM has no such port. Bytes queued while the guest has
 * the port closed wait (bounded) until it opens it. Whatever the guest has posted receive
 * buffers for is copied there at once and the device interrupt raised (the vCPU's CPU is kicked).
 */
long vport_write(struct vm *vm, unsigned port, const void *buf, size_t len);

/* Guest -> host: copies out up to `cap` bytes the guest wrote (oldest first); 0 if none. */
size_t vport_read(struct vm *vm, unsigned port, void *buf, size_t cap);

/* The guest has the port open (PORT_OPEN with value 1, virtio 1.2 5.3.6.2) and its receive queue has buffers. */
bool vport_connected(struct vm *vm, unsigned port);

#endif
