/* The one JSON parser (RFC 8259): untrusted text into a caller-sized token array, bounded in every dimension. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_JSON_PARSE_H
#define KERNEL_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Used by the management API (kernel/net/api/json_in.c, flat request bodies) and the agent
 * client (hypervisor/agent/agent_codec.c, nested replies from the guest). It never allocates:
 * every value becomes one token in an array the caller owns, and strings stay in the text,
 * decoded only when asked for (json_get_str). Pure logic, no kernel dependencies.
 */

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_tok {
	uint8_t type;   /* enum json_type */
	uint32_t start; /* offset in the text: a string's first byte after the quote, a number's first digit */
	uint32_t len;   /* bytes of that span (a string's without the quotes, escapes undecoded) */
	uint32_t count; /* an array's elements, an object's members */
	uint32_t next;  /* index of the token after this value and everything inside it */
};

/* The bounds a document must keep; every one is checked while parsing. */
struct json_limits {
	uint32_t depth_max;   /* nesting of arrays and objects; the top-level value is depth 1 */
	uint32_t str_max;     /* bytes of a decoded string value, UTF-8 */
	uint32_t key_max;     /* bytes of a decoded member name */
	uint32_t members_max; /* elements of one array or members of one object */
	uint32_t num_max;     /* characters of a number literal */
	bool ascii_escapes;   /* refuse \u escapes outside U+0001-U+007F */
};

struct json_doc {
	const char *text;
	size_t len;
	struct json_tok *tok;
	uint32_t ntok;
};

/*
 * Parses `text[0..len)` as exactly one JSON value (whitespace around it allowed) into
 * `toks[0..cap)`; token 0 is the top-level value, an object's member name (a JSON_STRING
 * token) comes just before its value. Refused, with a static reason in *err: bad syntax,
 * control characters or bad escapes in strings, lone surrogates, leading zeros, duplicate
 * member names, trailing bytes, more than `cap` values, and anything over `lim`.
 * Returns 0 or -1.
 */
int json_parse(struct json_doc *doc, const char *text, size_t len, struct json_tok *toks, uint32_t cap,
	       const struct json_limits *lim, const char **err);

/* The value of member `key` of object token `obj`, or -1 (not an object, or no such member). */
int json_get(const struct json_doc *doc, int obj, const char *key);
/* The first element (or member name) inside container token `at`, or -1 when empty. */
int json_first(const struct json_doc *doc, int at);
/* The element after `at` in an array (for an object: pass a member's value, get the next name). */
int json_after(const struct json_doc *doc, int at);
/* Token `at`'s type, or -1 for at < 0. */
int json_type_of(const struct json_doc *doc, int at);
/* An integer number (no fraction or exponent) within [min, max]: 0, or -1 (absent, other type, out of range). */
int json_get_int(const struct json_doc *doc, int at, int64_t min, int64_t max, int64_t *out);
/* true/false: 0, or -1. */
int json_get_bool(const struct json_doc *doc, int at, bool *out);
/*
 * A string, decoded into out[0..cap) and NUL-terminated; *n (if not NULL) gets its length
 * (it may hold NUL bytes from \u0000). 0, or -1 (absent, other type, does not fit).
 */
int json_get_str(const struct json_doc *doc, int at, char *out, size_t cap, size_t *n);
/* Whether string token `at` decodes to exactly `s`. */
bool json_str_eq(const struct json_doc *doc, int at, const char *s);

#endif
