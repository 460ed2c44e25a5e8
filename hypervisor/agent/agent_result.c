/* Decoding and checking the result objects of agent replies (include/bulwark/agent_proto.h, "Requests"). */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/agent/agent_result.h"

#include <stdio.h>
#include <string.h>

static int bad(char *err, size_t errlen, const char *what, const char *key)
{
	snprintf(err, errlen, "%s \"%s\"", what, key);
	return -1;
}

/* A container or image NAME of agent_proto.h: 1..AGENT_NAME_MAX of [A-Za-z0-9_.-], not starting with '.' or '-'. */
bool agent_name_ok(const char *name, size_t len)
{
	if (len == 0 || len > AGENT_NAME_MAX || strlen(name) != len || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '.' || c == '-'))
			return false;
	}
	return true;
}

static int want_int(const struct json_doc *d, int obj, const char *key, int64_t max, int64_t *out, char *err,
		    size_t errlen)
{
	if (json_get_int(d, json_get(d, obj, key), 0, max, out))
		return bad(err, errlen, "no integer in range for", key);
	return 0;
}

/* An integer or null (-1); absent is refused unless `optional`. */
static int want_int_or_null(const struct json_doc *d, int obj, const char *key, int64_t max, bool optional,
			    int64_t *out, char *err, size_t errlen)
{
	int at = json_get(d, obj, key);

	*out = -1;
	if ((at < 0 && optional) || json_type_of(d, at) == JSON_NULL)
		return 0;
	return want_int(d, obj, key, max, out, err, errlen);
}

static int want_str(const struct json_doc *d, int obj, const char *key, char *out, size_t cap, char *err,
		    size_t errlen)
{
	size_t n;

	if (json_get_str(d, json_get(d, obj, key), out, cap, &n) || strlen(out) != n)
		return bad(err, errlen, "no string of the right length for", key);
	return 0;
}

/* A NAME (agent_proto.h): the console prints it as it is. */
static int want_name(const struct json_doc *d, int obj, const char *key, char *out, size_t cap, char *err,
		     size_t errlen)
{
	if (want_str(d, obj, key, out, cap, err, errlen))
		return -1;
	if (!agent_name_ok(out, strlen(out)))
		return bad(err, errlen, "not a name of [A-Za-z0-9_.-] in", key);
	return 0;
}

/* Printable ASCII, no spaces (an OCI ref name): the console prints it as it is. */
static int want_token(const struct json_doc *d, int obj, const char *key, char *out, size_t cap, char *err,
		      size_t errlen)
{
	if (want_str(d, obj, key, out, cap, err, errlen))
		return -1;
	for (const char *p = out; *p; p++)
		if (*p <= ' ' || *p > '~')
			return bad(err, errlen, "a control byte or space in", key);
	return 0;
}

static int want_bool(const struct json_doc *d, int obj, const char *key, bool *out, char *err, size_t errlen)
{
	if (json_get_bool(d, json_get(d, obj, key), out))
		return bad(err, errlen, "no true/false for", key);
	return 0;
}

int agent_result_hello(const struct json_doc *d, int res, struct agent_hello *out, char *err, size_t errlen)
{
	if (want_int(d, res, "protocol", INT32_MAX, &out->protocol, err, errlen))
		return -1;
	if (json_get(d, res, "agent") < 0) {
		snprintf(out->agent, sizeof(out->agent), "?");
		return 0;
	}
	return want_str(d, res, "agent", out->agent, sizeof(out->agent), err, errlen);
}

int agent_result_exit(const struct json_doc *d, int at, struct agent_exit *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (json_type_of(d, at) == JSON_NULL)
		return 0;
	if (json_type_of(d, at) != JSON_OBJECT)
		return bad(err, errlen, "no object or null for", "exit");
	if (want_int_or_null(d, at, "code", 255, true, &out->code, err, errlen) ||
	    want_int_or_null(d, at, "signal", 64, true, &out->signal, err, errlen) ||
	    want_str(d, at, "reason", out->reason, sizeof(out->reason), err, errlen))
		return -1;
	if (strcmp(out->reason, "exited") && strcmp(out->reason, "killed") && strcmp(out->reason, "oom-killed"))
		return bad(err, errlen, "an unknown reason in", "exit");
	out->present = true;
	return 0;
}

int agent_result_state(const struct json_doc *d, int at, struct agent_ct_state *out, char *err, size_t errlen)
{
	static const char *const states[] = { "created", "running", "paused", "stopped" };
	bool known = false;

	memset(out, 0, sizeof(*out));
	if (json_type_of(d, at) != JSON_OBJECT)
		return bad(err, errlen, "no object for", "state");
	if (want_name(d, at, "name", out->name, sizeof(out->name), err, errlen) ||
	    want_name(d, at, "image", out->image, sizeof(out->image), err, errlen) ||
	    want_str(d, at, "state", out->state, sizeof(out->state), err, errlen) ||
	    want_int(d, at, "pid", INT32_MAX, &out->pid, err, errlen) ||
	    want_int(d, at, "created", AGENT_JSON_UINT_MAX, &out->created, err, errlen))
		return -1;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		known |= strcmp(out->state, states[i]) == 0;
	if (!known || !out->name[0])
		return bad(err, errlen, "an unknown value in", known ? "name" : "state");
	if (json_get(d, at, "exit") < 0)
		return 0;
	return agent_result_exit(d, json_get(d, at, "exit"), &out->exit, err, errlen);
}

int agent_result_array(const struct json_doc *d, int res, const char *key, char *err, size_t errlen)
{
	int at = json_get(d, res, key);

	if (json_type_of(d, at) != JSON_ARRAY)
		return bad(err, errlen, "no array for", key);
	return at;
}

int agent_result_image(const struct json_doc *d, int at, struct agent_image *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (want_name(d, at, "name", out->name, sizeof(out->name), err, errlen) ||
	    want_int(d, at, "size", AGENT_JSON_UINT_MAX, &out->size, err, errlen))
		return -1;
	if (json_get(d, at, "ref") >= 0)
		return want_token(d, at, "ref", out->ref, sizeof(out->ref), err, errlen);
	return 0;
}

int agent_result_stats(const struct json_doc *d, int res, struct agent_stats *out, char *err, size_t errlen)
{
	const int64_t big = AGENT_JSON_UINT_MAX;

	if (want_int(d, res, "memory_bytes", big, &out->memory_bytes, err, errlen) ||
	    want_int_or_null(d, res, "memory_max", big, false, &out->memory_max, err, errlen) ||
	    want_int_or_null(d, res, "memory_peak", big, true, &out->memory_peak, err, errlen) ||
	    want_int(d, res, "cpu_usec", big, &out->cpu_usec, err, errlen) ||
	    want_int_or_null(d, res, "cpu_max_milli", big, false, &out->cpu_max_milli, err, errlen) ||
	    want_int(d, res, "pids", INT32_MAX, &out->pids, err, errlen) ||
	    want_int_or_null(d, res, "pids_max", INT32_MAX, false, &out->pids_max, err, errlen) ||
	    want_int(d, res, "oom_kills", big, &out->oom_kills, err, errlen))
		return -1;
	return 0;
}

int agent_result_logs(const struct json_doc *d, int res, char *buf, size_t cap, struct agent_logs *out, char *err,
		      size_t errlen)
{
	if (json_get_str(d, json_get(d, res, "data"), buf, cap, &out->len))
		return bad(err, errlen, "no string of the right length for", "data");
	if (want_int(d, res, "offset", AGENT_JSON_UINT_MAX, &out->offset, err, errlen) ||
	    want_int(d, res, "start", AGENT_JSON_UINT_MAX, &out->start, err, errlen) ||
	    want_bool(d, res, "running", &out->running, err, errlen))
		return -1;
	if (out->start > out->offset)
		return bad(err, errlen, "a start after the offset in", "start");
	return 0;
}

int agent_result_exec(const struct json_doc *d, int res, struct agent_exec *out, char *out_buf, char *err_buf,
		      size_t cap, char *err, size_t errlen)
{
	size_t n;

	out->truncated = false;
	if (want_int_or_null(d, res, "exit_code", 255, false, &out->exit_code, err, errlen) ||
	    want_int_or_null(d, res, "signal", 64, true, &out->signal, err, errlen))
		return -1;
	if (json_get_str(d, json_get(d, res, "stdout"), out_buf, cap, &n))
		return bad(err, errlen, "no string of the right length for", "stdout");
	if (json_get_str(d, json_get(d, res, "stderr"), err_buf, cap, &n))
		return bad(err, errlen, "no string of the right length for", "stderr");
	if (json_get(d, res, "truncated") >= 0)
		return want_bool(d, res, "truncated", &out->truncated, err, errlen);
	return 0;
}

int agent_result_stop(const struct json_doc *d, int res, bool *killed, char *err, size_t errlen)
{
	*killed = false;
	if (json_get(d, res, "killed") < 0)
		return 0;
	return want_bool(d, res, "killed", killed, err, errlen);
}

int agent_result_started(const struct json_doc *d, int res, int64_t *pid, int64_t *session, char *err, size_t errlen)
{
	if (want_int(d, res, "pid", INT32_MAX, pid, err, errlen))
		return -1;
	return want_int_or_null(d, res, "session", INT32_MAX, true, session, err, errlen);
}

void agent_exit_text(const struct agent_exit *e, char *out, size_t cap)
{
	if (!e->present)
		snprintf(out, cap, "-");
	else if (!strcmp(e->reason, "oom-killed"))
		snprintf(out, cap, "OOM-killed");
	else if (!strcmp(e->reason, "killed"))
		snprintf(out, cap, "killed by signal %lld", (long long)e->signal);
	else
		snprintf(out, cap, "exited %lld", (long long)e->code);
}
