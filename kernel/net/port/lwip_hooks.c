/*
 * lwIP's hooks. lwIP answers a SYN that meets one of its connections in TIME-WAIT with an ACK
 * of the old connection (or a reset) for the whole 2 MSL (2 minutes), so a client that reuses a
 * source port within that time cannot connect: the API's server closes first after each
 * "Connection: close" answer and so holds the TIME-WAIT, and clients behind NAT or QEMU's user
 * network reuse ports within seconds. Here a SYN that RFC 1122 4.2.2.13 allows to reopen the
 * connection ends its TIME-WAIT before lwIP sees the SYN, which then reaches the listener; the
 * initial sequence numbers are RFC 6528's, which the rule needs to grow from one incarnation to
 * the next (and which a blind attacker cannot predict, unlike lwIP's counter).
 */
/* SPDX-License-Identifier: MIT */
#include "lwip_hooks.h"

#include "kernel/net/tcp/tcp_seq.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "lwip/def.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"

static uint64_t isn_key[2];
static bool isn_keyed;
static unsigned long reopened;

static const uint64_t *key(void)
{
	if (!isn_keyed) {
		for (int i = 0; i < 2; i++)
			if (!random_hw_u64(&isn_key[i]))
				isn_key[i] = random_u64();
		isn_keyed = true;
	}
	return isn_key;
}

u32_t net_hook_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip, u16_t remote_port)
{
	struct tcp_tuple t = { .local_ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(local_ip))),
			       .remote_ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(remote_ip))),
			       .local_port = local_port,
			       .remote_port = remote_port };

	return tcp_isn(key(), &t, time_ns());
}

int net_hook_ip4_input(struct pbuf *p, struct netif *inp)
{
	struct tcp_syn syn;

	(void)inp;
	if (!tcp_syn_parse(p->payload, p->len, &syn))
		return 0;
	for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
		if (pcb->local_port != syn.tuple.local_port || pcb->remote_port != syn.tuple.remote_port ||
		    lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&pcb->local_ip))) != syn.tuple.local_ip ||
		    lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip))) != syn.tuple.remote_ip)
			continue;
		if (tcp_timewait_may_reopen(syn.seq, pcb->rcv_nxt, tcp_isn(key(), &syn.tuple, time_ns()), pcb->snd_nxt)) {
			tcp_abort(pcb); /* in TIME-WAIT: removed and freed, nothing sent */
			reopened++;
		}
		break;
	}
	return 0; /* lwIP goes on with the datagram */
}

unsigned long net_tcp_reopened(void)
{
	return reopened;
}
