/* lwIP configuration for the management network (options: lwIP 2.1 src/include/lwip/opt.h). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_PORT_LWIPOPTS_H
#define KERNEL_NET_PORT_LWIPOPTS_H

/*
 * NO_SYS: lwIP runs without threads, polled by the console CPU between guest slices (see
 * kernel/net/net.c). The console and every API request already run there, one at a time, so
 * the stack, the NIC rings and the VM operations the API calls are never entered twice and
 * need no locks; nothing in lwIP runs in interrupt context. A NIC with MSI-X (virtio-net)
 * interrupts only to wake the console CPU from HLT, so a frame is handled at once rather than
 * at the next timer tick; the e1000 is polled between slices and at each 100 Hz tick.
 */
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_TIMERS 1

/* Memory: lwIP's own pools and heap, fixed size in .bss, so the stack cannot grow without bound. */
#define MEM_ALIGNMENT 8
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_SIZE (192 * 1024)
#define MEMP_NUM_PBUF 32
#define PBUF_POOL_SIZE 48
#define MEMP_NUM_TCP_PCB 16 /* the API's 6 connections, the echo service, TIME_WAIT and 503 answers */
#define MEMP_NUM_TCP_PCB_LISTEN 2
#define MEMP_NUM_TCP_SEG 64
#define MEMP_NUM_UDP_PCB 4
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 2)

/* IPv4 with ARP, ICMP, DHCP and DNS; no IPv6 (not needed on a management LAN yet). */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_DHCP 1
#define LWIP_DNS 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_RAW 0
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define IP_REASSEMBLY 0
#define IP_FRAG 0

/* TCP: a full-size MSS and a few segments of window each way. */
#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (8 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 0

/* altcp: the API listener is written against it so altcp_tls can wrap it later. */
#define LWIP_ALTCP 1
#define LWIP_ALTCP_TLS 0

#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 1
#define LWIP_SINGLE_NETIF 0
#define LWIP_HAVE_LOOPIF 0

/* Checksums in software: the drivers do not offload them. */
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_UDP 1

/* Counters for `net` and /metrics. */
#define LWIP_STATS 1
#define LWIP_STATS_DISPLAY 0
#define LINK_STATS 1
#define IP_STATS 1
#define TCP_STATS 1
#define UDP_STATS 1
#define MEM_STATS 1
#define MEMP_STATS 1
#define ICMP_STATS 0
#define SYS_STATS 0

#define LWIP_DEBUG 0

/* TCP initial sequence numbers and SYNs in TIME-WAIT: kernel/net/port/lwip_hooks.c */
#define LWIP_HOOK_FILENAME "lwip_hooks.h"

#endif
