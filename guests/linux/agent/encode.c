/* The agent's wire codec, the other way: results and events become lines (agent_proto.h). */
/* SPDX-License-Identifier: MIT */
#include "codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

struct json_object *agent_data_string(const char *bytes, size_t len)
{
	const unsigned char *s = (const unsigned char *)bytes;
	char *out = malloc(len * 3 + 1);
	size_t o = 0;
	struct json_object *j;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = agent_utf8_seq(s + i, len - i);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD REPLACEMENT CHARACTER */
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	j = json_object_new_string_len(out, (int)o);
	free(out);
	return j;
}

static char *to_line(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = s ? strlen(s) : 0;
	char *line = s ? malloc(n + 2) : NULL;

	if (line) {
		memcpy(line, s, n);
		line[n] = '\n';
		line[n + 1] = '\0';
	}
	json_object_put(o);
	return line;
}

static struct json_object *envelope(int64_t id)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(AGENT_PROTO_VERSION));
	json_object_object_add(o, "id", json_object_new_int64(id));
	return o;
}

char *agent_reply_ok(int64_t id, struct json_object *result)
{
	struct json_object *o = envelope(id);

	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "result", result ? result : json_object_new_object());
	return to_line(o);
}

char *agent_reply_error(int64_t id, const char *code, const char *fmt, ...)
{
	struct json_object *o = envelope(id), *e = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", agent_data_string(msg, strlen(msg)));
	json_object_object_add(o, "error", e);
	return to_line(o);
}

char *agent_reply_err(const struct agent_err *err)
{
	return agent_reply_error(err->id, err->code, "%s", err->message);
}

char *agent_event(const char *event, struct json_object *data)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(AGENT_PROTO_VERSION));
	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "data", data ? data : json_object_new_object());
	return to_line(o);
}

struct json_object *agent_exit_json(const struct agent_exit *x)
{
	static const char *const reasons[] = { [AGENT_EXIT_EXITED] = "exited",
					       [AGENT_EXIT_KILLED] = "killed",
					       [AGENT_EXIT_OOM] = "oom-killed" };
	struct json_object *o;

	if (x->reason == AGENT_EXIT_NONE)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_int(x->code));
	json_object_object_add(o, "signal", json_object_new_int(x->signal));
	json_object_object_add(o, "reason", json_object_new_string(reasons[x->reason]));
	return o;
}

struct json_object *agent_state_json(const struct agent_state *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "image", json_object_new_string(s->image));
	json_object_object_add(o, "state", json_object_new_string(s->state));
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "created", json_object_new_int64(s->created));
	json_object_object_add(o, "exit", agent_exit_json(&s->exit));
	return o;
}

static struct json_object *int_or_null(int64_t v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

struct json_object *agent_stats_json(const struct agent_stats *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "memory_bytes", json_object_new_int64((int64_t)s->memory_bytes));
	json_object_object_add(o, "memory_max", int_or_null(s->memory_max));
	if (s->memory_peak >= 0)
		json_object_object_add(o, "memory_peak", json_object_new_int64(s->memory_peak));
	json_object_object_add(o, "cpu_usec", json_object_new_int64((int64_t)s->cpu_usec));
	json_object_object_add(o, "cpu_max_milli", int_or_null(s->cpu_max_milli));
	json_object_object_add(o, "pids", json_object_new_int64((int64_t)s->pids));
	json_object_object_add(o, "pids_max", int_or_null(s->pids_max));
	json_object_object_add(o, "oom_kills", json_object_new_int64((int64_t)s->oom_kills));
	return o;
}
