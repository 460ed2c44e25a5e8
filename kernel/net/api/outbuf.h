/* A growable text buffer with a hard size limit, for API responses (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_OUTBUF_H
#define KERNEL_NET_API_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct outbuf {
	char *data;
	size_t len, cap, limit;
	bool overflow; /* something did not fit (the limit, or no memory); the text is cut */
};

void outbuf_init(struct outbuf *b, size_t limit);
void outbuf_free(struct outbuf *b);
void outbuf_reset(struct outbuf *b);
void outbuf_append(struct outbuf *b, const char *s, size_t n);
void outbuf_puts(struct outbuf *b, const char *s);
void outbuf_printf(struct outbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal, quotes included, of s[0..n) (RFC 8259 7). */
void outbuf_json_string(struct outbuf *b, const char *s, size_t n);

#endif
