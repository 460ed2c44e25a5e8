/* The management API's operations: each one runs the console command that does the same thing. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_HANDLERS_H
#define KERNEL_NET_API_HANDLERS_H

#include "kernel/net/api/api_route.h"
#include "kernel/net/api/http_req.h"
#include "kernel/net/api/outbuf.h"

#define API_RESPONSE_MAX (128 * 1024)

struct api_response {
	int status;
	const char *content_type;
	struct outbuf body;
	char allow[64]; /* for 405 */
};

/* Serves one authorised request matched to `m`; fills `resp` (status, body). */
void api_handle(const struct http_req *req, const struct api_match *m, const char *query, struct api_response *resp);
/* A JSON error body {"error": "..."} with `status`. */
void api_error(struct api_response *resp, int status, const char *msg);
/* /metrics in the Prometheus text format. */
void api_metrics(struct outbuf *b);

#endif
