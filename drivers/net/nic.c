/* Picks the management NIC: the first PCI device one of the drivers accepts. */
/* SPDX-License-Identifier: MIT */
#include "drivers/net/nic.h"

#include "kernel/log.h"

static struct nic *(*const drivers[])(void) = { virtio_net_probe, e1000_probe };

struct nic *nic_probe(void)
{
	for (unsigned i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		struct nic *n = drivers[i]();
		if (n)
			return n;
	}
	return NULL;
}

void nic_fail(struct nic *nic, const char *why)
{
	if (nic->dead)
		return;
	nic->dead = true;
	log_error("net: %s at %s stopped: %s", nic->name, nic->where, why);
}
