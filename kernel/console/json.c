/* Streams JSON values to the console with commas and escaping handled once. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/console.h"
#include "kernel/console/escape.h"

void json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
}

void json_init_sink(struct json *j, void (*write)(void *ctx, const char *buf, size_t len), void *ctx)
{
	json_init(j);
	j->write = write;
	j->ctx = ctx;
}

static void put(struct json *j, const char *buf, size_t len)
{
	if (j->write)
		j->write(j->ctx, buf, len);
	else
		console_write(buf, len);
}

static void put_str(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void json_put_string(struct json *j, const char *s)
{
	char buf[2 * 256 + 8];

	put(j, "\"", 1);
	/* long strings go out in slices so nothing is lost to the buffer size */
	while (*s) {
		char slice[64];
		size_t n = strnlen(s, sizeof(slice) - 1);
		memcpy(slice, s, n);
		slice[n] = '\0';
		escape_json(slice, buf, sizeof(buf));
		put_str(j, buf);
		s += n;
	}
	put(j, "\"", 1);
}

static void put_num(struct json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_num(struct json *j, const char *fmt, ...)
{
	char buf[48];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(j, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Comma and key before a value. */
static void json_prefix(struct json *j, const char *key)
{
	if (j->has_member[j->depth])
		put(j, ",", 1);
	j->has_member[j->depth] = true;
	if (key) {
		json_put_string(j, key);
		put(j, ":", 1);
	}
}

static void json_open(struct json *j, const char *key, const char *bracket)
{
	json_prefix(j, key);
	put(j, bracket, 1);
	if (j->depth < JSON_DEPTH_MAX)
		j->depth++;
	j->has_member[j->depth] = false;
}

static void json_close(struct json *j, const char *bracket)
{
	put(j, bracket, 1);
	if (j->depth > 0)
		j->depth--;
}

void json_object_begin(struct json *j, const char *key) { json_open(j, key, "{"); }
void json_object_end(struct json *j) { json_close(j, "}"); }
void json_array_begin(struct json *j, const char *key) { json_open(j, key, "["); }
void json_array_end(struct json *j) { json_close(j, "]"); }

void json_string(struct json *j, const char *key, const char *value)
{
	json_prefix(j, key);
	json_put_string(j, value ? value : "");
}

void json_u64(struct json *j, const char *key, uint64_t value)
{
	json_prefix(j, key);
	put_num(j, "%" PRIu64, value);
}

void json_i64(struct json *j, const char *key, int64_t value)
{
	json_prefix(j, key);
	put_num(j, "%" PRId64, value);
}

void json_null(struct json *j, const char *key)
{
	json_prefix(j, key);
	put(j, "null", 4);
}

void json_bool(struct json *j, const char *key, bool value)
{
	json_prefix(j, key);
	put_str(j, value ? "true" : "false");
}

void json_milli(struct json *j, const char *key, uint64_t thousandths)
{
	json_prefix(j, key);
	put_num(j, "%" PRIu64 ".%03" PRIu64, thousandths / 1000, thousandths % 1000);
}

void json_end(struct json *j)
{
	put(j, "\n", 1);
}
