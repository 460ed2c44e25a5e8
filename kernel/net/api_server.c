/* The management API's HTTP/1.1 listener on lwIP's altcp interface (so altcp_tls can wrap it later):
 * bounded connections, bounded requests and responses, deadlines for slow and idle clients. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lwip/altcp.h"
#include "lwip/altcp_tcp.h"
#include "lwip/tcp.h"
#include "kernel/log.h"
#include "kernel/net/api/api_route.h"
#include "kernel/net/api/api_token.h"
#include "kernel/net/api/http_req.h"
#include "kernel/net/api_handlers.h"
#include "kernel/random.h"
#include "kernel/time.h"

#define CONN_MAX 6                       /* concurrent API connections; one more gets 503 and is closed */
#define REQUEST_TIMEOUT_NS 10000000000ull /* from a request's first byte to its last */
#define IDLE_TIMEOUT_NS 30000000000ull    /* a kept-alive connection with no request */
#define TOKEN_BYTES 32

struct conn {
	bool used;
	struct altcp_pcb *pcb;
	struct http_req *req;
	struct outbuf out;
	size_t out_sent;
	uint64_t deadline;
	bool in_request, close_after, reading_stopped;
};

static struct conn conns[CONN_MAX];
static struct altcp_pcb *listener;
static struct api_status st;
static char token[API_TOKEN_MAX + 1];

static const char *reason_phrase(int status)
{
	switch (status) { /* RFC 9110 15 */
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

static void conn_free(struct conn *c)
{
	free(c->req);
	outbuf_free(&c->out);
	memset(c, 0, sizeof(*c));
	st.connections--;
}

static void conn_close(struct conn *c)
{
	if (c->pcb) {
		altcp_arg(c->pcb, NULL);
		altcp_recv(c->pcb, NULL);
		altcp_sent(c->pcb, NULL);
		altcp_err(c->pcb, NULL);
		if (altcp_close(c->pcb) != ERR_OK)
			altcp_abort(c->pcb);
	}
	conn_free(c);
}

/* Copies as much of the pending response as lwIP's send buffer takes. */
static void flush(struct conn *c)
{
	while (c->out_sent < c->out.len) {
		size_t room = altcp_sndbuf(c->pcb), n = c->out.len - c->out_sent;
		if (n > room)
			n = room;
		if (n > 0xffff)
			n = 0xffff;
		if (n == 0 || altcp_write(c->pcb, c->out.data + c->out_sent, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		c->out_sent += n;
	}
	altcp_output(c->pcb);
	if (c->out_sent == c->out.len) {
		outbuf_reset(&c->out);
		c->out_sent = 0;
		if (c->close_after)
			conn_close(c);
	}
}

static void respond(struct conn *c, struct api_response *r, bool head, bool keep_alive)
{
	size_t body = r->body.len;

	if (!keep_alive)
		c->close_after = true;
	outbuf_printf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %lu\r\nCache-Control: no-store\r\n",
		      r->status, reason_phrase(r->status), r->content_type ? r->content_type : "application/json",
		      (unsigned long)(r->status == 204 ? 0 : body));
	if (r->status == 401)
		outbuf_puts(&c->out, "WWW-Authenticate: Bearer realm=\"bulwark\"\r\n"); /* RFC 6750 3 */
	if (r->status == 405 && r->allow[0])
		outbuf_printf(&c->out, "Allow: %s\r\n", r->allow);
	outbuf_printf(&c->out, "Connection: %s\r\n\r\n", c->close_after ? "close" : "keep-alive");
	if (!head && r->status != 204 && body)
		outbuf_append(&c->out, r->body.data, body);
	if (c->out.overflow) {
		outbuf_reset(&c->out);
		c->close_after = true; /* the client is not reading its answers: drop it */
	}
	st.requests++;
}

static void respond_error(struct conn *c, int status, const char *why, bool keep_alive)
{
	struct api_response r = { 0 };

	outbuf_init(&r.body, 1024);
	api_error(&r, status, why);
	respond(c, &r, false, keep_alive);
	outbuf_free(&r.body);
}

static bool authorised(const struct http_req *req, const char *path)
{
	if (st.metrics_open && !strcmp(path, "/metrics"))
		return true;
	return req->has_auth && api_token_check(token, req->auth);
}

/* One complete request: authenticate, route, run. */
static void serve(struct conn *c, const struct http_req *req)
{
	char path[HTTP_LINE_MAX], query[HTTP_LINE_MAX];
	struct api_response r = { 0 };
	struct api_match m;
	int rc;

	http_req_split_target(req->target, path, sizeof(path), query, sizeof(query));
	outbuf_init(&r.body, API_RESPONSE_MAX);
	if (!authorised(req, path)) {
		st.rejected_auth++;
		api_error(&r, 401, "missing or wrong bearer token; send 'Authorization: Bearer TOKEN'");
	} else if ((rc = api_route_match(req->method, path, &m)) != 0) {
		api_error(&r, rc, rc == 405 ? "method not allowed on this path" : rc == 404 ? "no such route" : "bad path");
		if (rc == 405)
			api_route_allow(path, r.allow, sizeof(r.allow));
	} else {
		api_handle(req, &m, query, &r);
	}
	respond(c, &r, !strcmp(req->method, "HEAD"), req->keep_alive);
	outbuf_free(&r.body);
}

/* Feeds received bytes to the parser; complete requests are served in order (pipelining). */
static void feed(struct conn *c, const uint8_t *data, size_t len)
{
	while (len && !c->reading_stopped) {
		size_t used = 0;
		int rc;
		if (!c->in_request) {
			c->in_request = true;
			c->deadline = time_ns() + REQUEST_TIMEOUT_NS;
		}
		rc = http_req_feed(c->req, data, len, &used);
		data += used;
		len -= used;
		if (rc == HTTP_PARSE_MORE)
			return;
		if (rc == HTTP_PARSE_ERROR) {
			st.rejected_bad++;
			respond_error(c, c->req->status, c->req->why, false);
			c->reading_stopped = true;
			return;
		}
		serve(c, c->req);
		c->in_request = false;
		c->deadline = time_ns() + IDLE_TIMEOUT_NS;
		if (c->close_after) {
			c->reading_stopped = true;
			return;
		}
		http_req_init(c->req);
	}
}

static err_t on_recv(void *arg, struct altcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct conn *c = arg;

	if (!c) {
		if (p)
			pbuf_free(p);
		return ERR_OK;
	}
	if (!p || err != ERR_OK) { /* the client closed its side */
		if (p)
			pbuf_free(p);
		conn_close(c);
		return ERR_OK;
	}
	for (struct pbuf *q = p; q; q = q->next)
		feed(c, q->payload, q->len);
	altcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	flush(c); /* may close c */
	return ERR_OK;
}

static err_t on_sent(void *arg, struct altcp_pcb *pcb, u16_t len)
{
	(void)pcb, (void)len;
	if (arg)
		flush(arg);
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	struct conn *c = arg;
	(void)err;
	if (c) {
		c->pcb = NULL; /* lwIP has freed it already */
		conn_free(c);
	}
}

static err_t on_accept(void *arg, struct altcp_pcb *pcb, err_t err)
{
	struct conn *c = NULL;
	(void)arg;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	for (int i = 0; i < CONN_MAX && !c; i++)
		if (!conns[i].used)
			c = &conns[i];
	if (!c || !(c->req = malloc(sizeof(*c->req)))) {
		static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
					   "Content-Length: 42\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
					   "{\"error\":\"too many connections; retry\"}\r\n";
		st.dropped_limit++;
		altcp_write(pcb, busy, sizeof(busy) - 1, TCP_WRITE_FLAG_COPY);
		altcp_output(pcb);
		if (altcp_close(pcb) != ERR_OK) {
			altcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	c->used = true;
	c->pcb = pcb;
	http_req_init(c->req);
	outbuf_init(&c->out, API_RESPONSE_MAX + 1024);
	c->deadline = time_ns() + REQUEST_TIMEOUT_NS;
	st.connections++;
	altcp_arg(pcb, c);
	altcp_recv(pcb, on_recv);
	altcp_sent(pcb, on_sent);
	altcp_err(pcb, on_err);
	return ERR_OK;
}

static void make_token(void)
{
	uint8_t bytes[TOKEN_BYTES];
	bool hw = true;

	for (int i = 0; i < TOKEN_BYTES; i += 8) {
		uint64_t v;
		if (!random_hw_u64(&v)) {
			hw = false;
			v = random_u64();
		}
		memcpy(bytes + i, &v, 8);
	}
	api_token_hex(bytes, TOKEN_BYTES, token);
	if (!hw)
		log_warn("api: no RDSEED/RDRAND; the generated token is weak: set 'api token=...' in bulwark.cfg");
	st.token_generated = true;
}

void api_server_start(const struct net_config *cfg)
{
	struct altcp_pcb *pcb;

	st.port = cfg->api_port;
	st.metrics_open = cfg->metrics_open;
	st.connections_max = CONN_MAX;
	if (cfg->token[0])
		snprintf(token, sizeof(token), "%s", cfg->token);
	else
		make_token();
	st.token = token;
	pcb = altcp_tcp_new_ip_type(IPADDR_TYPE_V4);
	if (!pcb || altcp_bind(pcb, IP4_ADDR_ANY, cfg->api_port) != ERR_OK) {
		log_error("api: cannot listen on port %u", cfg->api_port);
		if (pcb)
			altcp_close(pcb);
		return;
	}
	listener = altcp_listen_with_backlog(pcb, CONN_MAX);
	if (!listener) {
		log_error("api: cannot listen on port %u", cfg->api_port);
		return;
	}
	/*
	 * Connections keep the listener's priority: when lwIP runs out of PCBs it drops a new
	 * SYN rather than kill an established connection of the same priority (tcp_kill_prio()
	 * only takes lower ones), so a flood of connections cannot cut the ones being served.
	 */
	altcp_accept(listener, on_accept);
	st.listening = true;
	log_info("api: HTTP on port %u (plain HTTP: for a management network only)%s", cfg->api_port,
		 st.token_generated ? "; type 'api' for the generated token" : "");
}

/* Slow or idle clients past their deadline get 408 (if mid-request) and are closed. */
void api_server_poll(void)
{
	uint64_t now = time_ns();

	for (int i = 0; i < CONN_MAX; i++) {
		struct conn *c = &conns[i];
		if (!c->used || now < c->deadline)
			continue;
		st.timeouts++;
		if (c->in_request && !c->reading_stopped) {
			c->reading_stopped = true;
			c->deadline = now + REQUEST_TIMEOUT_NS; /* time to deliver the 408, then dropped */
			respond_error(c, 408, "the request took too long", false);
			flush(c);
		} else {
			if (c->pcb)
				altcp_abort(c->pcb); /* calls on_err, which frees c */
			else
				conn_free(c);
		}
	}
}

void api_get_status(struct api_status *out)
{
	*out = st;
}
