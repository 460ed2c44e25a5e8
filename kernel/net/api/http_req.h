/* An incremental, bounded HTTP/1.1 request parser (RFC 9112), pure logic: no allocation, no I/O. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_HTTP_REQ_H
#define KERNEL_NET_API_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX 1024          /* request line, and each header line */
#define HTTP_HEADERS_MAX 32         /* header fields per request */
#define HTTP_HEADER_BYTES_MAX 8192  /* request line and all header lines together */
#define HTTP_BODY_MAX 4096
#define HTTP_AUTH_MAX 256

enum http_parse { HTTP_PARSE_MORE = 0, HTTP_PARSE_DONE = 1, HTTP_PARSE_ERROR = -1 };

struct http_req {
	int state;               /* internal: request line, headers, body, done, error */
	char line[HTTP_LINE_MAX + 1];
	size_t line_len, header_bytes;
	unsigned header_count;
	/* the request */
	char method[8];          /* GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS */
	char target[HTTP_LINE_MAX];  /* origin-form: "/v1/vms?x=1" */
	int minor;               /* HTTP/1.minor: 0 or 1 */
	bool keep_alive;         /* after this request */
	bool has_host, has_length, has_auth;
	size_t content_length;
	char auth[HTTP_AUTH_MAX + 1]; /* the Authorization field value */
	char body[HTTP_BODY_MAX + 1];
	size_t body_len;
	int status;              /* on HTTP_PARSE_ERROR: the 4xx/5xx to answer */
	const char *why;         /* on HTTP_PARSE_ERROR: a short reason */
};

void http_req_init(struct http_req *r);
/*
 * Feeds bytes; *used says how many belong to this request (the rest are the next
 * pipelined one). Returns HTTP_PARSE_MORE until the request is complete, then
 * HTTP_PARSE_DONE; on bad input HTTP_PARSE_ERROR with r->status set (400 malformed,
 * 413 body too large, 414 request line too long, 431 header fields too large or too
 * many, 501 unknown method or a transfer coding, 505 a version other than 1.0/1.1).
 * Once DONE or ERROR it consumes nothing more until http_req_init().
 */
int http_req_feed(struct http_req *r, const uint8_t *data, size_t len, size_t *used);

/* The path part of the target (before '?') into `out`; the query after '?' (or "") into `query`. */
void http_req_split_target(const char *target, char *path, size_t pathlen, char *query, size_t querylen);
/* The value of `key` in a query string "a=1&b=2" into `out`; 0 if present, -1 if not. */
int http_query_get(const char *query, const char *key, char *out, size_t outlen);

#endif
