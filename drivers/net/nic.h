/* The network interface a NIC driver offers the hypervisor's stack: send, receive, link, counters. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_NET_NIC_H
#define DRIVERS_NET_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NIC_FRAME_MAX 1514 /* Ethernet header + 1500 bytes of payload, no FCS */
#define NIC_NAME_MAX 16

struct nic_counters {
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
};

struct nic;

struct nic_ops {
	/* Queues one frame (len <= NIC_FRAME_MAX); 0, or -1 when the ring is full or the NIC is dead. */
	int (*send)(struct nic *nic, const void *frame, size_t len);
	/* Hands each frame received since the last call to `deliver`, at most `budget` of them. */
	unsigned (*poll)(struct nic *nic, void (*deliver)(void *ctx, const void *frame, size_t len), void *ctx,
			 unsigned budget);
	bool (*link_up)(struct nic *nic);
};

struct nic {
	char name[NIC_NAME_MAX];  /* "virtio-net", "e1000" */
	char where[16];           /* PCI address "00:03.0" */
	uint8_t mac[6];
	bool dead;                /* stopped after misbehaving; the reason was logged */
	bool irq;                 /* received frames raise VEC_NET (which only wakes the console CPU) */
	struct nic_counters count;
	const struct nic_ops *ops;
	void *priv;
};

/* Probes the PCI devices for a NIC this hypervisor drives; the first one found, or NULL. */
struct nic *nic_probe(void);
/* Drivers: each tries the PCI devices and returns its NIC or NULL. */
struct nic *virtio_net_probe(void);
struct nic *e1000_probe(void);
/* Marks the NIC dead after it misbehaved, logging why once; the console is never held up by it. */
void nic_fail(struct nic *nic, const char *why);

#endif
