/* The agent's wire codec: decode, then invoke. A line becomes a request only once every member of
 * it has been checked against include/bulwark/agent_proto.h; results become reply lines. */
/* SPDX-License-Identifier: MIT */
#include "codec.h"
#include "../runtime/signals.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

enum member {
	M_PROTOCOL = 1 << 0,
	M_NAME = 1 << 1,
	M_IMAGE = 1 << 2,
	M_ARGS = 1 << 3,
	M_ENV = 1 << 4,
	M_MEM = 1 << 5,
	M_PIDS = 1 << 6,
	M_CPUS = 1 << 7,
	M_TTY = 1 << 8,
	M_ATTACH = 1 << 9,
	M_FORCE = 1 << 10,
	M_SIGNAL = 1 << 11,
	M_TIMEOUT = 1 << 12,
	M_LINES = 1 << 13,
	M_FROM = 1 << 14,
	M_SESSION = 1 << 15,
	M_DATA = 1 << 16,
};

static const char *const member_names[] = { "protocol", "name", "image", "args", "env", "mem",
					    "pids", "cpus_milli", "tty", "attach", "force", "signal",
					    "timeout_s", "lines", "from", "session", "data" };
#define N_MEMBERS (sizeof(member_names) / sizeof(member_names[0]))

#define CREATE_MEMBERS (M_NAME | M_IMAGE | M_ARGS | M_ENV | M_MEM | M_PIDS | M_CPUS | M_TTY)

static const struct {
	const char *name;
	unsigned allowed, required;
} ops[AGENT_OP_COUNT] = {
	[AGENT_OP_HELLO] = { "hello", M_PROTOCOL, M_PROTOCOL },
	[AGENT_OP_IMAGES] = { "images", 0, 0 },
	[AGENT_OP_CREATE] = { "create", CREATE_MEMBERS, M_NAME | M_IMAGE },
	[AGENT_OP_START] = { "start", M_NAME, M_NAME },
	[AGENT_OP_RUN] = { "run", CREATE_MEMBERS | M_ATTACH, M_NAME | M_IMAGE },
	[AGENT_OP_EXEC] = { "exec", M_NAME | M_ARGS | M_ENV | M_ATTACH, M_NAME | M_ARGS },
	[AGENT_OP_KILL] = { "kill", M_NAME | M_SIGNAL, M_NAME },
	[AGENT_OP_STOP] = { "stop", M_NAME | M_TIMEOUT, M_NAME },
	[AGENT_OP_DELETE] = { "delete", M_NAME | M_FORCE, M_NAME },
	[AGENT_OP_LIST] = { "list", 0, 0 },
	[AGENT_OP_STATE] = { "state", M_NAME, M_NAME },
	[AGENT_OP_LOGS] = { "logs", M_NAME | M_LINES | M_FROM, M_NAME },
	[AGENT_OP_STATS] = { "stats", M_NAME, M_NAME },
	[AGENT_OP_INPUT] = { "input", M_SESSION | M_DATA, M_SESSION | M_DATA },
	[AGENT_OP_DETACH] = { "detach", M_SESSION, M_SESSION },
};

const char *agent_op_name(enum agent_op op)
{
	return op < AGENT_OP_COUNT ? ops[op].name : "?";
}

static int fail(struct agent_err *err, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct agent_err *err, const char *code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

bool agent_name_valid(const char *s, size_t len)
{
	if (len < 1 || len > AGENT_NAME_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Object members in the raw text: the ':' outside strings. -1 for a quote json-c lets through
 * but RFC 8259 section 7 does not (strings are in double quotes). */
static long raw_member_count(const char *s, size_t len)
{
	long n = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = false;
		} else if (s[i] == '"') {
			in_str = true;
		} else if (s[i] == ':') {
			n++;
		} else if (s[i] == '\'') {
			return -1;
		}
	}
	return n;
}

/* Members in the parsed tree; json-c keeps only the last of duplicate keys, so fewer here than in
 * the text means a duplicate somewhere. */
static long tree_member_count(struct json_object *o)
{
	long n = 0;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			(void)k;
			n += 1 + tree_member_count(v);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			n += tree_member_count(json_object_array_get_idx(o, i));
	}
	return n;
}

/* An integer member in lo..hi. json-c saturates integers beyond 64 bits, which then fall outside
 * every range here. */
static int get_int(struct json_object *v, const char *what, int64_t lo, int64_t hi, int64_t *out,
		   struct agent_err *err)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return fail(err, "EINVAL", "%s: not an integer", what);
	if (json_object_get_uint64(v) > (uint64_t)INT64_MAX)
		return fail(err, "EINVAL", "%s: out of range %lld..%lld", what, (long long)lo,
			    (long long)hi);
	n = json_object_get_int64(v);
	if (n < lo || n > hi)
		return fail(err, "EINVAL", "%s: out of range %lld..%lld", what, (long long)lo,
			    (long long)hi);
	*out = n;
	return 0;
}

/* A limit: 0 (none) or lo..hi. */
static int get_limit(struct json_object *v, const char *what, int64_t lo, int64_t hi, int64_t *out,
		     struct agent_err *err)
{
	if (get_int(v, what, 0, hi, out, err) < 0)
		return -1;
	if (*out != 0 && *out < lo)
		return fail(err, "EINVAL", "%s: 0 (no limit) or %lld..%lld", what, (long long)lo,
			    (long long)hi);
	return 0;
}

static int get_bool(struct json_object *v, const char *what, bool *out, struct agent_err *err)
{
	if (!json_object_is_type(v, json_type_boolean))
		return fail(err, "EINVAL", "%s: not a boolean", what);
	*out = json_object_get_boolean(v);
	return 0;
}

/* A string of at most max bytes; NULs refused unless allow_nul. */
static int get_str(struct json_object *v, const char *what, size_t max, bool allow_nul,
		   const char **out, size_t *len, struct agent_err *err)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(err, "EINVAL", "%s: not a string", what);
	*out = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	if (*len > max)
		return fail(err, "E2BIG", "%s: %zu bytes, at most %zu", what, *len, max);
	if (!allow_nul && memchr(*out, '\0', *len))
		return fail(err, "EINVAL", "%s: contains a NUL", what);
	return 0;
}

static int get_name(struct json_object *v, const char *what, char *out, struct agent_err *err)
{
	const char *s;
	size_t len;

	if (get_str(v, what, AGENT_STR_MAX, false, &s, &len, err) < 0)
		return -1;
	if (len > AGENT_NAME_MAX)
		return fail(err, "E2BIG", "%s: %zu characters, at most %d", what, len,
			    AGENT_NAME_MAX);
	if (!agent_name_valid(s, len))
		return fail(err, "EINVAL",
			    "%s: 1..%d characters of [A-Za-z0-9_.-], not starting with '.' or '-'",
			    what, AGENT_NAME_MAX);
	memcpy(out, s, len + 1);
	return 0;
}

/* A list of strings (args: at least one, the first not empty; env: each K=V with K not empty). */
static int get_list(struct json_object *v, const char *what, bool is_env, char **out, size_t *n,
		    struct agent_err *err)
{
	size_t len;

	if (!json_object_is_type(v, json_type_array))
		return fail(err, "EINVAL", "%s: not a list", what);
	len = json_object_array_length(v);
	if (len > AGENT_LIST_MAX)
		return fail(err, "E2BIG", "%s: %zu entries, at most %d", what, len, AGENT_LIST_MAX);
	if (!is_env && len == 0)
		return fail(err, "EINVAL", "%s: empty", what);
	for (size_t i = 0; i < len; i++) {
		char where[32];
		const char *s;
		size_t sl;

		snprintf(where, sizeof(where), "%s[%zu]", what, i);
		if (get_str(json_object_array_get_idx(v, i), where, AGENT_STR_MAX, false, &s, &sl,
			    err) < 0)
			return -1;
		if (is_env && (sl == 0 || s[0] == '=' || !memchr(s, '=', sl)))
			return fail(err, "EINVAL", "%s: not KEY=VALUE", where);
		if (!is_env && i == 0 && sl == 0)
			return fail(err, "EINVAL", "%s: empty program name", where);
		out[i] = strdup(s);
		if (!out[i])
			return fail(err, "ENOSPC", "out of memory");
		*n = i + 1;
	}
	out[len] = NULL;
	return 0;
}

static int decode_member(unsigned m, struct json_object *v, struct agent_req *r,
			 struct agent_err *err)
{
	const char *s;
	size_t len;
	int64_t n;

	switch (m) {
	case M_PROTOCOL:
		return get_int(v, "args.protocol", 0, AGENT_ID_MAX, &r->protocol, err);
	case M_NAME:
		return get_name(v, "args.name", r->name, err);
	case M_IMAGE:
		return get_name(v, "args.image", r->image, err);
	case M_ARGS:
		r->has_args = true;
		return get_list(v, "args.args", false, r->args, &r->n_args, err);
	case M_ENV:
		return get_list(v, "args.env", true, r->env, &r->n_env, err);
	case M_MEM:
		if (get_limit(v, "args.mem", AGENT_MEM_MIN, AGENT_MEM_MAX, &n, err) < 0)
			return -1;
		r->mem = (uint64_t)n;
		return 0;
	case M_PIDS:
		return get_limit(v, "args.pids", 1, AGENT_PIDS_MAX, &r->pids, err);
	case M_CPUS:
		return get_limit(v, "args.cpus_milli", AGENT_CPUS_MILLI_MIN, AGENT_CPUS_MILLI_MAX,
				 &r->cpus_milli, err);
	case M_TTY:
		return get_bool(v, "args.tty", &r->tty, err);
	case M_ATTACH:
		return get_bool(v, "args.attach", &r->attach, err);
	case M_FORCE:
		return get_bool(v, "args.force", &r->force, err);
	case M_SIGNAL:
		if (json_object_is_type(v, json_type_int)) {
			if (get_int(v, "args.signal", 1, SIGNAL_MAX, &n, err) < 0)
				return -1;
			r->signal = (int)n;
			return 0;
		}
		if (get_str(v, "args.signal", 16, false, &s, &len, err) < 0)
			return fail(err, "EINVAL", "args.signal: a number 1..64 or a name");
		r->signal = signal_parse(s);
		if (r->signal < 0)
			return fail(err, "EINVAL", "args.signal: unknown signal \"%s\"", s);
		return 0;
	case M_TIMEOUT:
		return get_int(v, "args.timeout_s", 0, AGENT_TIMEOUT_S_MAX, &r->timeout_s, err);
	case M_LINES:
		r->has_lines = true;
		return get_int(v, "args.lines", 0, AGENT_LINES_MAX, &r->lines, err);
	case M_FROM:
		r->has_from = true;
		return get_int(v, "args.from", 0, AGENT_OFFSET_MAX, &r->from, err);
	case M_SESSION:
		return get_int(v, "args.session", 1, AGENT_ID_MAX, &r->session, err);
	case M_DATA:
		if (get_str(v, "args.data", AGENT_DATA_MAX, true, &s, &len, err) < 0)
			return -1;
		r->data = malloc(len + 1);
		if (!r->data)
			return fail(err, "ENOSPC", "out of memory");
		memcpy(r->data, s, len + 1);
		r->data_len = len;
		return 0;
	}
	return fail(err, "EINVAL", "internal: member %#x", m);
}

static int decode_args(struct json_object *args, struct agent_req *r, struct agent_err *err)
{
	unsigned seen = 0, allowed = ops[r->op].allowed;

	if (!json_object_is_type(args, json_type_object))
		return fail(err, "EINVAL", "args: not an object");
	json_object_object_foreach(args, k, v) {
		unsigned m = 0;

		for (size_t i = 0; i < N_MEMBERS; i++)
			if (!strcmp(k, member_names[i]))
				m = 1u << i;
		if (!(m & allowed))
			return fail(err, "EINVAL", "args: unknown member \"%.64s\" for %s", k,
				    ops[r->op].name);
		if (decode_member(m, v, r, err) < 0)
			return -1;
		seen |= m;
	}
	for (size_t i = 0; i < N_MEMBERS; i++)
		if ((ops[r->op].required & (1u << i)) && !(seen & (1u << i)))
			return fail(err, "EINVAL", "args: missing member \"%s\" for %s",
				    member_names[i], ops[r->op].name);
	return 0;
}

static int decode_object(struct json_object *o, struct agent_req *r, struct agent_err *err)
{
	struct json_object *v, *op, *args = NULL;
	const char *s;
	int64_t n;

	/* The id first, so that every later refusal can be answered with it. */
	if (!json_object_object_get_ex(o, "id", &v))
		return fail(err, "EINVAL", "missing member \"id\"");
	if (get_int(v, "id", 1, AGENT_ID_MAX, &n, err) < 0)
		return -1;
	r->id = err->id = n;
	if (!json_object_object_get_ex(o, "v", &v))
		return fail(err, "EPROTO", "missing member \"v\"");
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != AGENT_PROTO_VERSION)
		return fail(err, "EPROTO", "v: protocol version %d only", AGENT_PROTO_VERSION);
	json_object_object_foreach(o, k, val) {
		(void)val;
		if (strcmp(k, "v") && strcmp(k, "id") && strcmp(k, "op") && strcmp(k, "args"))
			return fail(err, "EINVAL", "unknown member \"%.64s\"", k);
	}
	if (!json_object_object_get_ex(o, "op", &op))
		return fail(err, "EINVAL", "missing member \"op\"");
	if (!json_object_is_type(op, json_type_string))
		return fail(err, "EINVAL", "op: not a string");
	s = json_object_get_string(op);
	for (r->op = 0; r->op < AGENT_OP_COUNT; r->op++)
		if (!strcmp(s, ops[r->op].name) &&
		    strlen(s) == (size_t)json_object_get_string_len(op))
			break;
	if (r->op == AGENT_OP_COUNT)
		return fail(err, "EINVAL", "unknown op \"%.64s\"", s);
	r->signal = SIGTERM;
	r->timeout_s = AGENT_STOP_TIMEOUT_S;
	if (json_object_object_get_ex(o, "args", &args))
		return decode_args(args, r, err);
	/* No "args" is the empty object: only the ops without required members accept it. */
	for (size_t i = 0; i < N_MEMBERS; i++)
		if (ops[r->op].required & (1u << i))
			return fail(err, "EINVAL", "args: missing member \"%s\" for %s",
				    member_names[i], ops[r->op].name);
	return 0;
}

int agent_decode(const char *line, size_t len, struct agent_req *req, struct agent_err *err)
{
	struct json_tokener *tok;
	struct json_object *o;
	char *text;
	long raw;
	int r;

	memset(req, 0, sizeof(*req));
	memset(err, 0, sizeof(*err));
	if (len >= AGENT_LINE_MAX)
		return fail(err, "EPROTO", "line over %d bytes", AGENT_LINE_MAX);
	if (memchr(line, '\0', len))
		return fail(err, "EPROTO", "NUL byte in the line");
	if (!agent_utf8_valid(line, len))
		return fail(err, "EPROTO", "not JSON: not UTF-8 (RFC 8259 section 8.1)");
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	tok = json_tokener_new();
	if (!tok)
		return fail(err, "ENOSPC", "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	/* With its terminating NUL, so that json-c sees where the text ends. */
	text = malloc(len + 1);
	if (!text) {
		json_tokener_free(tok);
		return fail(err, "ENOSPC", "out of memory");
	}
	memcpy(text, line, len);
	text[len] = '\0';
	o = json_tokener_parse_ex(tok, text, (int)len + 1);
	raw = raw_member_count(text, len);
	free(text);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) < len || raw < 0) {
		enum json_tokener_error je = json_tokener_get_error(tok);
		json_object_put(o);
		json_tokener_free(tok);
		return fail(err, "EPROTO", "not JSON: %s",
			    raw < 0 && o ? "a string in single quotes" :
			    je == json_tokener_continue ? "incomplete" : json_tokener_error_desc(je));
	}
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object)) { /* a JSON null is o == NULL */
		json_object_put(o);
		return fail(err, "EPROTO", "not a JSON object");
	}
	if (tree_member_count(o) != raw) {
		json_object_put(o);
		return fail(err, "EINVAL", "a member appears twice");
	}
	r = decode_object(o, req, err);
	json_object_put(o);
	if (r < 0)
		agent_req_free(req);
	return r;
}

void agent_req_free(struct agent_req *req)
{
	for (size_t i = 0; i < req->n_args; i++)
		free(req->args[i]);
	for (size_t i = 0; i < req->n_env; i++)
		free(req->env[i]);
	free(req->data);
	req->n_args = req->n_env = 0;
	req->data = NULL;
}

int agent_req_copy(struct agent_req *dst, const struct agent_req *src)
{
	*dst = *src;
	dst->n_args = dst->n_env = 0;
	dst->data = NULL;
	for (size_t i = 0; i < src->n_args; i++) {
		if (!(dst->args[i] = strdup(src->args[i])))
			goto fail;
		dst->n_args = i + 1;
	}
	dst->args[src->n_args] = NULL;
	for (size_t i = 0; i < src->n_env; i++) {
		if (!(dst->env[i] = strdup(src->env[i])))
			goto fail;
		dst->n_env = i + 1;
	}
	dst->env[src->n_env] = NULL;
	if (src->data) {
		if (!(dst->data = malloc(src->data_len + 1)))
			goto fail;
		memcpy(dst->data, src->data, src->data_len + 1);
	}
	return 0;
fail:
	agent_req_free(dst);
	return -1;
}

int agent_gate(const struct agent_req *r, bool hello_done, struct agent_err *err)
{
	memset(err, 0, sizeof(*err));
	err->id = r->id;
	if (r->op == AGENT_OP_HELLO && r->protocol != AGENT_PROTO_VERSION)
		return fail(err, "EPROTO", "protocol %lld: this agent speaks %d",
			    (long long)r->protocol, AGENT_PROTO_VERSION);
	if (r->op != AGENT_OP_HELLO && !hello_done)
		return fail(err, "EPROTO", "hello first");
	return 0;
}
