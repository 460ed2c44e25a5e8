/* A small streaming JSON writer for the `--json` form of console listings. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_JSON_H
#define KERNEL_CONSOLE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX 16

/*
 * Writes one JSON value to the console. Members of an object take a key; the
 * top-level value and array elements pass key = NULL. Commas are placed by the
 * writer. Strings are escaped (see escape_json()). json_end() ends the
 * top-level value with a newline.
 */
struct json {
	uint32_t depth;
	bool has_member[JSON_DEPTH_MAX + 1];
	void (*write)(void *ctx, const char *buf, size_t len); /* NULL: the console */
	void *ctx;
};

void json_init(struct json *j);
/* The same writer into `write` instead of the console (e.g. the agent client's request buffer). */
void json_init_sink(struct json *j, void (*write)(void *ctx, const char *buf, size_t len), void *ctx);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_u64(struct json *j, const char *key, uint64_t value);
void json_i64(struct json *j, const char *key, int64_t value);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* A decimal with three fractional digits: `thousandths` = 12345 gives 12.345. */
void json_milli(struct json *j, const char *key, uint64_t thousandths);
void json_end(struct json *j);

#endif
