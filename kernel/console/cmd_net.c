/* The `net` command: the management NIC, its link, address and counters. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"
#include "kernel/net/net.h"

static void net_json(const struct net_status *s)
{
	char mac[18], b[16];
	struct json j;

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", s->mac[0], s->mac[1], s->mac[2], s->mac[3],
		 s->mac[4], s->mac[5]);
	json_init(&j);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "interfaces");
	if (s->present) {
		json_object_begin(&j, NULL);
		json_string(&j, "name", "en0");
		json_string(&j, "driver", s->nic);
		json_string(&j, "pci", s->where);
		json_string(&j, "mac", mac);
		json_bool(&j, "link", s->link);
		json_string(&j, "mode", s->dhcp ? "dhcp" : "static");
		json_string(&j, "address", net_ipv4_str(s->ip, b));
		json_string(&j, "netmask", net_ipv4_str(s->mask, b));
		json_string(&j, "gateway", net_ipv4_str(s->gw, b));
		json_string(&j, "dns", net_ipv4_str(s->dns, b));
		json_u64(&j, "rx_packets", s->count.rx_packets);
		json_u64(&j, "rx_bytes", s->count.rx_bytes);
		json_u64(&j, "rx_errors", s->count.rx_errors);
		json_u64(&j, "rx_dropped", s->count.rx_dropped);
		json_u64(&j, "tx_packets", s->count.tx_packets);
		json_u64(&j, "tx_bytes", s->count.tx_bytes);
		json_u64(&j, "tx_errors", s->count.tx_errors);
		json_u64(&j, "tx_dropped", s->count.tx_dropped);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_u64(&j, "stack_static_bytes", s->stack_static_bytes);
	json_u64(&j, "stack_heap_used_bytes", s->stack_heap_used);
	json_u64(&j, "stack_heap_peak_bytes", s->stack_heap_max);
	json_u64(&j, "tcp_reopened", s->tcp_reopened);
	json_object_end(&j);
	json_end(&j);
}

static int cmd_net(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	struct net_status s;
	char a[16], m[16], g[16];

	if (cmd_parse_opts(&argc, argv, opts, 1, 0))
		return CMD_USAGE;
	net_get_status(&s);
	if (opts[0].seen) {
		net_json(&s);
		return CMD_OK;
	}
	if (!s.present) {
		console_printf("no management NIC (virtio-net or e1000 on PCI); the network is off\n");
		return CMD_OK;
	}
	console_printf("en0: %s at %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", s.nic, s.where, s.mac[0], s.mac[1],
		       s.mac[2], s.mac[3], s.mac[4], s.mac[5], s.link ? "up" : "down");
	if (s.has_address)
		console_printf("  address %s netmask %s gateway %s (%s)\n", net_ipv4_str(s.ip, a), net_ipv4_str(s.mask, m),
			       net_ipv4_str(s.gw, g), s.dhcp ? "DHCP" : "static");
	else
		console_printf("  no address yet (%s)\n", s.dhcp ? "DHCP in progress" : "static");
	console_printf("  rx %llu packets %llu bytes, %llu errors, %llu dropped\n", (unsigned long long)s.count.rx_packets,
		       (unsigned long long)s.count.rx_bytes, (unsigned long long)s.count.rx_errors,
		       (unsigned long long)s.count.rx_dropped);
	console_printf("  tx %llu packets %llu bytes, %llu errors, %llu dropped\n", (unsigned long long)s.count.tx_packets,
		       (unsigned long long)s.count.tx_bytes, (unsigned long long)s.count.tx_errors,
		       (unsigned long long)s.count.tx_dropped);
	console_printf("  stack memory: %llu KiB fixed, heap %llu bytes in use (peak %llu)\n",
		       (unsigned long long)(s.stack_static_bytes >> 10), (unsigned long long)s.stack_heap_used,
		       (unsigned long long)s.stack_heap_max);
	console_printf("  tcp: %llu connections reopened from TIME-WAIT by a new SYN\n", (unsigned long long)s.tcp_reopened);
	return CMD_OK;
}

CONSOLE_COMMAND(net, .name = "net", .usage = "net [--json]",
		.help = "the management network: NIC, link, MAC, address, counters", .handler = cmd_net);
