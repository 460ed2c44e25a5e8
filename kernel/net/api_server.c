/* The management API's HTTP/1.1 listener (placeholder until the API lands). */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api_server.h"

#include <string.h>

static struct api_status status;

void api_server_start(const struct net_config *cfg)
{
	status.port = cfg->api_port;
}

void api_server_poll(void)
{
}

void api_get_status(struct api_status *out)
{
	*out = status;
}
