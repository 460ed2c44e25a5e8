/* The --log file: errors, warnings and --debug lines as runc writes them (text or json). */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <json-c/json.h>

static int log_fd = -1;
static bool log_json;
static bool log_debug_on;

/* logrus' text form: time="..." level=error msg="..." (quotes and backslashes escaped);
 * its json form: {"level":"error","msg":"...","time":"..."}. containerd and CRI-O read
 * the last "error" entry of a failed call from this file. */
static void log_write(const char *level, const char *msg)
{
	char now[64];
	cleanup_free char *line = NULL;

	if (log_fd < 0)
		return;
	iso8601_now(now, sizeof(now));
	if (log_json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "level", json_object_new_string(level));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(now));
		line = xasprintf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		cleanup_free char *q = xmalloc(2 * strlen(msg) + 1);
		char *w = q;

		for (const char *r = msg; *r; r++) {
			if (*r == '"' || *r == '\\')
				*w++ = '\\';
			*w++ = *r == '\n' ? ' ' : *r;
		}
		*w = '\0';
		line = xasprintf("time=\"%s\" level=%s msg=\"%s\"\n", now, level, q);
	}
	write_all(log_fd, line, strlen(line));
}

static void log_error_sink(const char *msg)
{
	log_write("error", msg);
}

int log_setup(const char *path, const char *format, bool debug, struct rt_err *e)
{
	if (format && strcmp(format, "text") && strcmp(format, "json"))
		return rt_fail(e, 0, "--log-format: \"%s\" is not text or json", format);
	log_json = format && !strcmp(format, "json");
	log_debug_on = debug;
	if (!path || !path[0])
		return 0;
	log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return rt_fail(e, errno, "--log %s", path);
	rt_err_sink = log_error_sink;
	return 0;
}

void log_warn(const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "bwrun: warning: %s\n", msg);
	log_write("warning", msg);
}

void log_debug(const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_fd >= 0)
		log_write("debug", msg);
	else
		fprintf(stderr, "bwrun: debug: %s\n", msg);
}
