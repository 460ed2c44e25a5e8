/* The management network's bring-up and polling loop: NIC, lwIP netif, DHCP or a static address. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/net.h"

#include <stdio.h>
#include <string.h>
#include "lwip_hooks.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/memp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "drivers/lapic.h"
#include "drivers/pci/pci.h"
#include "kernel/arch/idt.h"
#include "kernel/log.h"
#include "kernel/net/api_server.h"
#include "kernel/net/echo.h"

#define RX_BUDGET 32 /* frames per poll, so a flood cannot hold the console CPU */

static struct netif netif;
static struct nic *nic;
static bool dhcp_on, last_link;
static uint32_t last_ip;

static err_t netif_output(struct netif *n, struct pbuf *p)
{
	uint8_t frame[NIC_FRAME_MAX];
	(void)n;

	if (p->tot_len > sizeof(frame)) {
		nic->count.tx_dropped++;
		return ERR_IF;
	}
	pbuf_copy_partial(p, frame, p->tot_len, 0);
	if (nic->ops->send(nic, frame, p->tot_len)) {
		nic->count.tx_dropped++;
		return ERR_IF;
	}
	nic->count.tx_packets++;
	nic->count.tx_bytes += p->tot_len;
	return ERR_OK;
}

static err_t netif_setup(struct netif *n)
{
	n->name[0] = 'e';
	n->name[1] = 'n';
	n->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(n->hwaddr, nic->mac, ETH_HWADDR_LEN);
	n->mtu = 1500;
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	n->output = etharp_output;
	n->linkoutput = netif_output;
	netif_set_hostname(n, "bulwark");
	return ERR_OK;
}

static void deliver(void *ctx, const void *frame, size_t len)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	(void)ctx;

	if (!p) {
		nic->count.rx_dropped++;
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	nic->count.rx_packets++;
	nic->count.rx_bytes += len;
	if (netif.input(p, &netif) != ERR_OK)
		pbuf_free(p);
}

const char *net_ipv4_str(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return buf;
}

static void set_ip4(ip4_addr_t *a, uint32_t host_order)
{
	ip4_addr_set_u32(a, lwip_htonl(host_order));
}

/*
 * A NIC interrupt only ends the console CPU's HLT early: the loop then runs console_poll() and
 * so net_poll(). Nothing of lwIP runs here, so the stack stays single-threaded (see lwipopts.h).
 */
static void net_irq(struct trap_frame *tf)
{
	(void)tf;
	lapic_eoi();
}

void net_init(const struct net_config *cfg, uint64_t ecam_phys)
{
	ip4_addr_t ip, mask, gw;
	char b[16];

	pci_enumerate(ecam_phys);
	irq_register(VEC_NET, net_irq);
	nic = nic_probe();
	if (!nic) {
		log_info("net: no virtio-net or e1000 NIC found; the management network is off");
		return;
	}
	log_info("net: %s at %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, %s", nic->name, nic->where, nic->mac[0],
		 nic->mac[1], nic->mac[2], nic->mac[3], nic->mac[4], nic->mac[5],
		 nic->irq ? "MSI-X wakes the console CPU" : "polled");
	lwip_init();
	dhcp_on = cfg->dhcp;
	set_ip4(&ip, dhcp_on ? 0 : cfg->ip);
	set_ip4(&mask, dhcp_on ? 0 : cfg->mask);
	set_ip4(&gw, dhcp_on ? 0 : cfg->gw);
	netif_add(&netif, &ip, &mask, &gw, NULL, netif_setup, ethernet_input);
	netif_set_default(&netif);
	netif_set_up(&netif);
	last_link = nic->ops->link_up(nic);
	if (last_link)
		netif_set_link_up(&netif);
	if (cfg->dns) {
		ip_addr_t d;
		ip_addr_set_ip4_u32(&d, lwip_htonl(cfg->dns));
		dns_setserver(0, &d);
	}
	if (dhcp_on)
		dhcp_start(&netif);
	else
		log_info("net: static address %s", net_ipv4_str(cfg->ip, b));
	if (cfg->api_enabled)
		api_server_start(cfg);
	if (cfg->echo_port)
		echo_start(cfg->echo_port);
}

static void watch_link_and_address(void)
{
	bool link = nic->ops->link_up(nic);
	uint32_t now = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&netif)));
	char b[16];

	if (link != last_link) {
		last_link = link;
		if (link)
			netif_set_link_up(&netif);
		else
			netif_set_link_down(&netif);
		log_info("net: link %s", link ? "up" : "down");
	}
	if (now != last_ip) {
		last_ip = now;
		if (now)
			log_info("net: address %s%s", net_ipv4_str(now, b), dhcp_on ? " (DHCP)" : "");
	}
}

void net_poll(void)
{
	if (!nic)
		return;
	nic->ops->poll(nic, deliver, NULL, RX_BUDGET);
	watch_link_and_address();
	sys_check_timeouts();
	api_server_poll();
}

void net_get_status(struct net_status *s)
{
	memset(s, 0, sizeof(*s));
	if (!nic)
		return;
	s->present = true;
	snprintf(s->nic, sizeof(s->nic), "%s", nic->name);
	snprintf(s->where, sizeof(s->where), "%s", nic->where);
	memcpy(s->mac, nic->mac, 6);
	s->link = !nic->dead && last_link;
	s->dhcp = dhcp_on;
	s->ip = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&netif)));
	s->mask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(&netif)));
	s->gw = lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(&netif)));
	s->dns = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(dns_getserver(0))));
	s->has_address = s->ip != 0;
	s->count = nic->count;
	s->stack_static_bytes = MEM_SIZE;
	for (int i = 0; i < MEMP_MAX; i++)
		s->stack_static_bytes += (uint64_t)memp_pools[i]->num * memp_pools[i]->size;
	s->stack_heap_used = lwip_stats.mem.used;
	s->stack_heap_max = lwip_stats.mem.max;
	s->pbuf_pool_used = lwip_stats.memp[MEMP_PBUF_POOL]->used;
	s->tcp_reopened = net_tcp_reopened();
}
