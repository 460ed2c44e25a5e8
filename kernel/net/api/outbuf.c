/* A bounded growable buffer: API responses never take more memory than their limit. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/outbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void outbuf_init(struct outbuf *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

void outbuf_free(struct outbuf *b)
{
	free(b->data);
	outbuf_init(b, b->limit);
}

void outbuf_reset(struct outbuf *b)
{
	b->len = 0;
	b->overflow = false;
}

static bool reserve(struct outbuf *b, size_t more)
{
	size_t want = b->len + more + 1, cap = b->cap ? b->cap : 256;
	char *p;

	if (want > b->limit) {
		b->overflow = true;
		return false;
	}
	if (want <= b->cap)
		return true;
	while (cap < want)
		cap *= 2;
	if (cap > b->limit)
		cap = b->limit;
	if (!(p = realloc(b->data, cap))) {
		b->overflow = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void outbuf_append(struct outbuf *b, const char *s, size_t n)
{
	if (b->overflow || !reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

void outbuf_puts(struct outbuf *b, const char *s)
{
	outbuf_append(b, s, strlen(s));
}

void outbuf_printf(struct outbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		outbuf_append(b, small, (size_t)n);
		return;
	}
	if (b->overflow || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void outbuf_json_string(struct outbuf *b, const char *s, size_t n)
{
	outbuf_append(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			outbuf_append(b, esc, 2);
		} else if (c == '\n') {
			outbuf_append(b, "\\n", 2);
		} else if (c == '\t') {
			outbuf_append(b, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			outbuf_printf(b, "\\u%04x", c);
		} else {
			outbuf_append(b, (const char *)&s[i], 1);
		}
	}
	outbuf_append(b, "\"", 1);
}
