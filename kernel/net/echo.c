/* A TCP echo service (RFC 862) on the management network, off unless `net echo=PORT` is set: the
 * benchmarks' ceiling for the API, through the same NIC, lwIP and polling path. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/echo.h"

#include "lwip/altcp.h"
#include "lwip/altcp_tcp.h"
#include "lwip/tcp.h"
#include "kernel/log.h"

static err_t echo_recv(void *arg, struct altcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	if (!p || err != ERR_OK) {
		if (p)
			pbuf_free(p);
		if (altcp_close(pcb) != ERR_OK) {
			altcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	/* Echo what fits in the send buffer; the rest is dropped (a benchmark sends small messages). */
	for (struct pbuf *q = p; q; q = q->next)
		if (q->len <= altcp_sndbuf(pcb))
			altcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY);
	altcp_output(pcb);
	altcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static err_t echo_accept(void *arg, struct altcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	altcp_recv(pcb, echo_recv);
	altcp_nagle_disable(pcb);
	return ERR_OK;
}

void echo_start(uint16_t port)
{
	struct altcp_pcb *pcb = altcp_tcp_new_ip_type(IPADDR_TYPE_V4), *l;

	if (!pcb || altcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK || !(l = altcp_listen(pcb))) {
		log_error("net: cannot start the echo service on port %u", port);
		return;
	}
	altcp_accept(l, echo_accept);
	log_info("net: TCP echo service on port %u", port);
}
