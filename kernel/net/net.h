/* The management network: one NIC, lwIP on it, polled by the console CPU. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_NET_H
#define KERNEL_NET_NET_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/net/nic.h"
#include "kernel/net/net_config.h"

struct net_status {
	bool present;            /* a NIC was found and started */
	char nic[NIC_NAME_MAX], where[16];
	uint8_t mac[6];
	bool link, dhcp, has_address;
	uint32_t ip, mask, gw, dns; /* host byte order */
	struct nic_counters count;
	uint64_t stack_static_bytes; /* lwIP's heap and pools, fixed at build time */
	uint64_t stack_heap_used, stack_heap_max; /* lwIP's heap now and at its peak */
	uint64_t pbuf_pool_used;
	uint64_t tcp_reopened; /* connections in TIME-WAIT a new SYN reopened (RFC 1122 4.2.2.13) */
};

/* Finds the NIC on PCI (ECAM at `ecam_phys` if not 0), starts lwIP and the address. */
void net_init(const struct net_config *cfg, uint64_t ecam_phys);
/* Receives frames, runs lwIP's timers and the API's; the console CPU calls it between slices. */
void net_poll(void);
void net_get_status(struct net_status *out);
/* Formats a host-order IPv4 address. */
const char *net_ipv4_str(uint32_t ip, char buf[16]);

#endif
