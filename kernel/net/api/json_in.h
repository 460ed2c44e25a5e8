/* Parsing the JSON bodies the API accepts: one flat object of strings, integers and booleans (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_JSON_IN_H
#define KERNEL_NET_API_JSON_IN_H

#include <stddef.h>

#define JSON_IN_MAX_MEMBERS 16
#define JSON_IN_KEY_MAX 32
#define JSON_IN_VALUE_MAX 256

struct json_member {
	char key[JSON_IN_KEY_MAX];
	char value[JSON_IN_VALUE_MAX]; /* a string's characters, or the literal text of a number or boolean */
	int is_string;
};

/*
 * Parses `text[0..len)` as one JSON object (RFC 8259) whose members are strings
 * (escapes decoded; \u escapes only for U+0001-U+007F), integers or true/false.
 * Nested values, null, duplicate keys, trailing bytes, and keys or values over the
 * limits are refused. Returns the member count, or -1 with `err` saying why.
 */
int json_in_object(const char *text, size_t len, struct json_member *out, int max, const char **err);

#endif
