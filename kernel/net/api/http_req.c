/* Incremental HTTP/1.1 request parsing with hard limits (RFC 9112 2-7, RFC 9110 for field semantics). */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/http_req.h"

#include <string.h>

enum { ST_REQUEST_LINE, ST_HEADERS, ST_BODY, ST_DONE, ST_ERROR };

void http_req_init(struct http_req *r)
{
	memset(r, 0, sizeof(*r));
}

static int fail(struct http_req *r, int status, const char *why)
{
	r->state = ST_ERROR;
	r->status = status;
	r->why = why;
	return HTTP_PARSE_ERROR;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool ieq(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return *a == *b;
}

/* RFC 9110 5.6.2 tchar */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool known_method(const char *m)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };
	for (unsigned i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(m, methods[i]))
			return true;
	return false;
}

/* RFC 9112 3: method SP request-target SP HTTP-version */
static int request_line(struct http_req *r, char *line)
{
	char *sp1 = strchr(line, ' '), *sp2, *version;
	size_t mlen;

	if (!sp1 || !(sp2 = strchr(sp1 + 1, ' ')))
		return fail(r, 400, "malformed request line");
	mlen = (size_t)(sp1 - line);
	version = sp2 + 1;
	*sp1 = *sp2 = 0;
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar((unsigned char)line[i]))
			return fail(r, 400, "malformed method");
	if (mlen == 0 || mlen >= sizeof(r->method) || !known_method(line))
		return fail(r, 501, "method not implemented");
	memcpy(r->method, line, mlen + 1);
	if (sp1[1] != '/')
		return fail(r, 400, "the target must be an absolute path");
	for (char *p = sp1 + 1; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return fail(r, 400, "bad character in the target");
	strcpy(r->target, sp1 + 1); /* shorter than the line, which fits */
	if (strncmp(version, "HTTP/", 5) || version[5] < '0' || version[5] > '9' || version[6] != '.' ||
	    version[7] < '0' || version[7] > '9' || version[8])
		return fail(r, 400, "malformed HTTP version");
	if (version[5] != '1' || version[7] > '1')
		return fail(r, 505, "only HTTP/1.0 and HTTP/1.1 are served");
	r->minor = version[7] - '0';
	r->keep_alive = r->minor == 1;
	r->state = ST_HEADERS;
	return HTTP_PARSE_MORE;
}

static void trim(char **s, char **end)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
	while (*end > *s && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
	**end = 0;
}

/* RFC 9110 7.6.1: Connection is a comma-separated list of options. */
static void connection_options(struct http_req *r, const char *v)
{
	char opt[32];

	while (*v) {
		size_t n = 0;
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		while (*v && *v != ',' && *v != ' ' && *v != '\t') {
			if (n < sizeof(opt) - 1)
				opt[n++] = *v;
			v++;
		}
		opt[n] = 0;
		if (ieq(opt, "close"))
			r->keep_alive = false;
		else if (ieq(opt, "keep-alive"))
			r->keep_alive = true;
	}
}

/* RFC 9110 8.6: 1*DIGIT; several equal values are one. */
static int content_length(struct http_req *r, const char *v)
{
	size_t n = 0;

	if (!*v)
		return fail(r, 400, "empty Content-Length");
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return fail(r, 400, "malformed Content-Length");
		if (n > HTTP_BODY_MAX)
			return fail(r, 413, "body larger than the limit");
		n = n * 10 + (size_t)(*v - '0');
	}
	if (r->has_length && n != r->content_length)
		return fail(r, 400, "conflicting Content-Length fields");
	if (n > HTTP_BODY_MAX)
		return fail(r, 413, "body larger than the limit");
	r->has_length = true;
	r->content_length = n;
	return HTTP_PARSE_MORE;
}

static int end_of_headers(struct http_req *r)
{
	if (r->minor == 1 && !r->has_host)
		return fail(r, 400, "HTTP/1.1 request without Host"); /* RFC 9112 3.2 */
	if (r->has_length && r->content_length > 0) {
		r->state = ST_BODY;
		return HTTP_PARSE_MORE;
	}
	r->state = ST_DONE;
	return HTTP_PARSE_DONE;
}

/* RFC 9112 5: field-name ":" OWS field-value OWS */
static int header_line(struct http_req *r, char *line, size_t len)
{
	char *colon, *v, *end = line + len;

	if (len == 0)
		return end_of_headers(r);
	if (++r->header_count > HTTP_HEADERS_MAX)
		return fail(r, 431, "too many header fields");
	if (line[0] == ' ' || line[0] == '\t')
		return fail(r, 400, "obsolete line folding"); /* RFC 9112 5.2 */
	if (!(colon = strchr(line, ':')) || colon == line)
		return fail(r, 400, "malformed header field");
	for (char *p = line; p < colon; p++)
		if (!is_tchar((unsigned char)*p))
			return fail(r, 400, "malformed header field name"); /* includes space before ':' (5.1) */
	*colon = 0;
	v = colon + 1;
	trim(&v, &end);
	for (char *p = v; p < end; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return fail(r, 400, "control character in a header field");
	if (ieq(line, "Host"))
		r->has_host = true;
	else if (ieq(line, "Content-Length"))
		return content_length(r, v);
	else if (ieq(line, "Transfer-Encoding"))
		return fail(r, 501, "transfer codings are not supported; send Content-Length");
	else if (ieq(line, "Connection"))
		connection_options(r, v);
	else if (ieq(line, "Authorization")) {
		if (strlen(v) > HTTP_AUTH_MAX)
			return fail(r, 431, "Authorization field too long");
		strcpy(r->auth, v);
		r->has_auth = true;
	}
	return HTTP_PARSE_MORE;
}

static int complete_line(struct http_req *r)
{
	char *line = r->line;
	size_t len = r->line_len;

	if (len && line[len - 1] == '\r')
		len--; /* CRLF; a bare LF is accepted too (RFC 9112 2.2) */
	line[len] = 0;
	if (memchr(line, '\r', len) || memchr(line, 0, len))
		return fail(r, 400, "stray CR or NUL in a line");
	r->line_len = 0;
	if (r->state == ST_REQUEST_LINE) {
		if (len == 0 && r->header_bytes <= 2 * 2)
			return HTTP_PARSE_MORE; /* RFC 9112 2.2: ignore at least one empty line before the request */
		return request_line(r, line);
	}
	return header_line(r, line, len);
}

int http_req_feed(struct http_req *r, const uint8_t *data, size_t len, size_t *used)
{
	size_t i = 0;
	int rc = HTTP_PARSE_MORE;

	while (i < len && rc == HTTP_PARSE_MORE && (r->state == ST_REQUEST_LINE || r->state == ST_HEADERS)) {
		uint8_t c = data[i++];
		if (++r->header_bytes > HTTP_HEADER_BYTES_MAX) {
			rc = fail(r, r->state == ST_REQUEST_LINE ? 414 : 431, "request header section too large");
			break;
		}
		if (c == '\n') {
			rc = complete_line(r);
			continue;
		}
		if (r->line_len >= HTTP_LINE_MAX) {
			rc = fail(r, r->state == ST_REQUEST_LINE ? 414 : 431,
				  r->state == ST_REQUEST_LINE ? "request line too long" : "header field too long");
			break;
		}
		r->line[r->line_len++] = (char)c;
	}
	if (rc == HTTP_PARSE_MORE && r->state == ST_BODY) {
		size_t take = r->content_length - r->body_len;
		if (take > len - i)
			take = len - i;
		memcpy(r->body + r->body_len, data + i, take);
		r->body_len += take;
		i += take;
		if (r->body_len == r->content_length) {
			r->body[r->body_len] = 0;
			r->state = ST_DONE;
			rc = HTTP_PARSE_DONE;
		}
	}
	if (r->state == ST_DONE)
		rc = HTTP_PARSE_DONE;
	else if (r->state == ST_ERROR)
		rc = HTTP_PARSE_ERROR;
	*used = i;
	return rc;
}

void http_req_split_target(const char *target, char *path, size_t pathlen, char *query, size_t querylen)
{
	const char *q = strchr(target, '?');
	size_t n = q ? (size_t)(q - target) : strlen(target);

	if (pathlen) {
		if (n >= pathlen)
			n = pathlen - 1;
		memcpy(path, target, n);
		path[n] = 0;
	}
	if (querylen) {
		const char *src = q ? q + 1 : "";
		size_t m = strlen(src);
		if (m >= querylen)
			m = querylen - 1;
		memcpy(query, src, m);
		query[m] = 0;
	}
}

int http_query_get(const char *query, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);

	for (const char *p = query; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = n - klen - 1;
			if (vlen >= outlen)
				return -1;
			memcpy(out, p + klen + 1, vlen);
			out[vlen] = 0;
			return 0;
		}
		p = amp ? amp + 1 : NULL;
	}
	return -1;
}
