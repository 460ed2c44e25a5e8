/* The management API's HTTP/1.1 listener on lwIP (altcp, so TLS can wrap it later). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_SERVER_H
#define KERNEL_NET_API_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/net/net_config.h"

/* Listens on cfg->api_port with cfg's token (or one generated from RDSEED/RDRAND). */
void api_server_start(const struct net_config *cfg);
/* Closes connections past their deadlines; called from net_poll(). */
void api_server_poll(void);

struct api_status {
	bool listening;
	uint16_t port;
	bool metrics_open, token_generated;
	const char *token;
	uint32_t connections, connections_max;
	uint64_t requests, rejected_auth, rejected_bad, dropped_limit, timeouts;
};
void api_get_status(struct api_status *out);

#endif
