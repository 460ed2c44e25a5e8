/* The vport API (vport.h) before the virtio-console exists: every VM answers "no such port". */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/dev/virtio/vport.h"

/*
 * Placeholder so that callers build and link against the final API: no VM has a
 * virtio-console yet, so writes are refused (-1), reads find nothing and no port is
 * connected. The device (hypervisor/dev/virtio/console.c) replaces this file.
 */
long vport_write(struct vm *vm, unsigned port, const void *buf, size_t len)
{
	(void)vm, (void)port, (void)buf, (void)len;
	return -1;
}

size_t vport_read(struct vm *vm, unsigned port, void *buf, size_t cap)
{
	(void)vm, (void)port, (void)buf, (void)cap;
	return 0;
}

bool vport_connected(struct vm *vm, unsigned port)
{
	(void)vm, (void)port;
	return false;
}
