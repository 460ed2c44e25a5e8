/* Streams JSON values to the console with commas and escaping handled once. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/json.h"

#include <inttypes.h>
#include <string.h>

#include "kernel/console/console.h"
#include "kernel/console/escape.h"

void json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
}

static void json_put_string(const char *s)
{
	char buf[2 * 256 + 8];

	console_write("\"", 1);
	/* long strings go out in slices so nothing is lost to the buffer size */
	while (*s) {
		char slice[64];
		size_t n = strnlen(s, sizeof(slice) - 1);
		memcpy(slice, s, n);
		slice[n] = '\0';
		escape_json(slice, buf, sizeof(buf));
		console_write(buf, strlen(buf));
		s += n;
	}
	console_write("\"", 1);
}

/* Comma and key before a value. */
static void json_prefix(struct json *j, const char *key)
{
	if (j->has_member[j->depth])
		console_write(",", 1);
	j->has_member[j->depth] = true;
	if (key) {
		json_put_string(key);
		console_write(":", 1);
	}
}

static void json_open(struct json *j, const char *key, const char *bracket)
{
	json_prefix(j, key);
	console_write(bracket, 1);
	if (j->depth < JSON_DEPTH_MAX)
		j->depth++;
	j->has_member[j->depth] = false;
}

static void json_close(struct json *j, const char *bracket)
{
	console_write(bracket, 1);
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
	json_put_string(value ? value : "");
}

void json_u64(struct json *j, const char *key, uint64_t value)
{
	json_prefix(j, key);
	console_printf("%" PRIu64, value);
}

void json_null(struct json *j, const char *key)
{
	json_prefix(j, key);
	console_write("null", 4);
}

void json_bool(struct json *j, const char *key, bool value)
{
	json_prefix(j, key);
	console_printf("%s", value ? "true" : "false");
}

void json_milli(struct json *j, const char *key, uint64_t thousandths)
{
	json_prefix(j, key);
	console_printf("%" PRIu64 ".%03" PRIu64, thousandths / 1000, thousandths % 1000);
}

void json_end(struct json *j)
{
	(void)j;
	console_write("\n", 1);
}
