/* Fuzz harness of the guest agent's wire codec: any bytes as the channel stream. The line reader
 * splits them, each line is decoded, and whatever the agent would answer must be one valid line. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include <json-c/json.h>
#include "codec.h"
#include "linebuf.h"
#include "tests/fuzz/fuzz.h"

static const char *const codes[] = { "EPROTO", "EINVAL", "ENOENT", "EEXIST", "EBUSY",
				     "E2BIG", "ENOSPC", "EIO" };

/* A line the agent sends: ends in its only "\n", fits AGENT_LINE_MAX, parses as a JSON object. */
static void check_out_line(char *l)
{
	size_t n;
	struct json_object *o;

	FUZZ_CHECK(l);
	n = strlen(l);
	FUZZ_CHECK(n >= 2 && n <= AGENT_LINE_MAX && l[n - 1] == '\n');
	FUZZ_CHECK(!memchr(l, '\n', n - 1));
	FUZZ_CHECK(agent_utf8_valid(l, n));
	o = json_tokener_parse(l);
	FUZZ_CHECK(o && json_object_is_type(o, json_type_object));
	json_object_put(o);
	free(l);
}

static void on_line(void *ctx, const char *line, size_t len)
{
	struct agent_req r;
	struct agent_err e;
	struct json_object *res;

	(void)ctx;
	if (agent_decode(line, len, &r, &e) < 0) {
		size_t i;
		for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
			if (e.code && !strcmp(e.code, codes[i]))
				break;
		FUZZ_CHECK(i < sizeof(codes) / sizeof(codes[0]));
		FUZZ_CHECK(e.message[0] && memchr(e.message, '\0', sizeof(e.message)));
		FUZZ_CHECK(e.id >= 0 && e.id <= AGENT_ID_MAX);
		check_out_line(agent_reply_err(&e));
		return;
	}
	FUZZ_CHECK(r.id >= 1 && r.id <= AGENT_ID_MAX && r.op < AGENT_OP_COUNT);
	{
		struct agent_err g;
		if (agent_gate(&r, false, &g) < 0)
			FUZZ_CHECK(!strcmp(g.code, "EPROTO") && g.id == r.id);
		else
			FUZZ_CHECK(r.op == AGENT_OP_HELLO && r.protocol == AGENT_PROTO_VERSION);
	}
	FUZZ_CHECK(r.n_args <= AGENT_LIST_MAX && r.n_env <= AGENT_LIST_MAX);
	FUZZ_CHECK(!r.name[0] || agent_name_valid(r.name, strlen(r.name)));
	FUZZ_CHECK(!r.image[0] || agent_name_valid(r.image, strlen(r.image)));
	for (size_t i = 0; i < r.n_args; i++)
		FUZZ_CHECK(r.args[i] && strlen(r.args[i]) <= AGENT_STR_MAX);
	FUZZ_CHECK(r.args[r.n_args] == NULL);
	for (size_t i = 0; i < r.n_env; i++)
		FUZZ_CHECK(r.env[i] && strchr(r.env[i], '=') && r.env[i][0] != '=');
	FUZZ_CHECK(r.data_len <= AGENT_DATA_MAX);
	FUZZ_CHECK(r.mem == 0 || (r.mem >= AGENT_MEM_MIN && r.mem <= AGENT_MEM_MAX));
	FUZZ_CHECK(r.signal >= 1 && r.signal <= 64);
	/* a request that outlives its line is a copy owning its strings */
	{
		struct agent_req c;
		FUZZ_CHECK(agent_req_copy(&c, &r) == 0);
		FUZZ_CHECK(c.n_args == r.n_args && c.n_env == r.n_env && c.data_len == r.data_len);
		for (size_t i = 0; i < r.n_args; i++)
			FUZZ_CHECK(c.args[i] != r.args[i] && !strcmp(c.args[i], r.args[i]));
		FUZZ_CHECK(!r.data || !memcmp(c.data, r.data, r.data_len));
		agent_req_free(&c);
	}
	/* the agent echoes input data and names back in replies: they must stay one line */
	res = json_object_new_object();
	json_object_object_add(res, "name", json_object_new_string(r.name));
	json_object_object_add(res, "data", agent_data_string(r.data ? r.data : "", r.data_len));
	check_out_line(agent_reply_ok(r.id, res));
	agent_req_free(&r);
}

static void on_overlong(void *ctx)
{
	(void)ctx;
	check_out_line(agent_reply_error(0, "EPROTO", "line over %d bytes", AGENT_LINE_MAX));
}

static struct agent_linebuf lb;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct agent_line_sink sink = { on_line, on_overlong, NULL };
	struct json_object *j;
	size_t cut = size ? data[0] % 7 : 0;

	/* The stream arrives in two reads, split at a point the input picks. */
	agent_linebuf_init(&lb);
	if (cut > size)
		cut = size;
	agent_linebuf_feed(&lb, (const char *)data, cut, &sink);
	agent_linebuf_feed(&lb, (const char *)data + cut, size - cut, &sink);
	FUZZ_CHECK(lb.len < AGENT_LINE_MAX);
	/* Container output is any bytes: as "data" it is valid UTF-8. */
	j = agent_data_string((const char *)data, size < AGENT_DATA_MAX ? size : AGENT_DATA_MAX);
	FUZZ_CHECK(j && agent_utf8_valid(json_object_get_string(j),
					 (size_t)json_object_get_string_len(j)));
	json_object_put(j);
	return 0;
}
