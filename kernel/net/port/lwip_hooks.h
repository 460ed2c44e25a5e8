/* lwIP's hooks (LWIP_HOOK_FILENAME): TCP initial sequence numbers and SYNs that meet a connection
 * in TIME-WAIT, both decided by kernel/net/tcp/tcp_seq.c. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_PORT_LWIP_HOOKS_H
#define KERNEL_NET_PORT_LWIP_HOOKS_H

#include "lwip/ip_addr.h"

struct pbuf;
struct netif;

int net_hook_ip4_input(struct pbuf *p, struct netif *inp);
u32_t net_hook_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip, u16_t remote_port);
/* How many connections in TIME-WAIT a SYN has reopened since boot. */
unsigned long net_tcp_reopened(void);

#define LWIP_HOOK_IP4_INPUT(p, inp) net_hook_ip4_input((p), (inp))
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) net_hook_tcp_isn((lip), (lport), (rip), (rport))

#endif
