/* Encoding agent requests with the console's JSON writer and decoding the guest's replies with the one JSON parser. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/agent/agent_codec.h"

#include <stdio.h>
#include <string.h>

#include "bulwark/agent_proto.h"

const struct json_limits agent_limits = {
	.depth_max = 8,              /* the deepest reply is result.containers[].exit: 4 */
	.str_max = AGENT_DATA_MAX,   /* agent_proto.h: "data" strings, the longest ones */
	.key_max = 32,
	.members_max = 256,          /* a list of containers; argv and env lists are AGENT_LIST_MAX */
	.num_max = 24,               /* -9223372036854775808 is 20 characters */
	.ascii_escapes = false,
};

static void request_write(void *ctx, const char *buf, size_t len)
{
	struct agent_request *r = ctx;

	if (r->overflow || len > r->cap - r->len) {
		r->overflow = true;
		return;
	}
	memcpy(r->buf + r->len, buf, len);
	r->len += len;
}

void agent_request_begin(struct agent_request *r, char *buf, size_t cap, uint32_t id, const char *op)
{
	r->buf = buf;
	r->cap = cap;
	r->len = 0;
	r->overflow = cap == 0;
	json_init_sink(&r->json, request_write, r);
	json_object_begin(&r->json, NULL);
	json_u64(&r->json, "v", AGENT_PROTO_VERSION);
	json_u64(&r->json, "id", id);
	json_string(&r->json, "op", op);
	json_object_begin(&r->json, "args");
}

long agent_request_end(struct agent_request *r)
{
	json_object_end(&r->json);
	json_object_end(&r->json);
	json_end(&r->json); /* the "\n" that ends a message */
	if (r->overflow || r->len > AGENT_LINE_MAX)
		return -1;
	return (long)r->len;
}

static int refuse(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

static int decode_error(struct agent_msg *m, char *err, size_t errlen)
{
	int e = json_get(&m->doc, 0, "error"), code = json_get(&m->doc, e, "code");
	int msg = json_get(&m->doc, e, "message");

	if (json_type_of(&m->doc, e) != JSON_OBJECT)
		return refuse(err, errlen, "an error reply without an \"error\" object");
	if (json_get_str(&m->doc, code, m->code, sizeof(m->code), NULL) || !m->code[0])
		return refuse(err, errlen, "an error reply without a short \"code\" string");
	if (json_type_of(&m->doc, msg) != JSON_STRING)
		return refuse(err, errlen, "an error reply without a \"message\" string");
	if (json_get_str(&m->doc, msg, m->message, sizeof(m->message), NULL))
		snprintf(m->message, sizeof(m->message), "(a message over %d bytes)", AGENT_MSG_MAX - 1);
	return 0;
}

static int decode_reply(struct agent_msg *m, char *err, size_t errlen)
{
	int64_t id;

	m->kind = AGENT_MSG_REPLY;
	if (json_get_int(&m->doc, json_get(&m->doc, 0, "id"), 1, AGENT_ID_MAX, &id))
		return refuse(err, errlen, "a reply without an \"id\" from 1 to 2147483647");
	m->id = (uint32_t)id;
	if (json_get_bool(&m->doc, json_get(&m->doc, 0, "ok"), &m->ok))
		return refuse(err, errlen, "a reply without \"ok\": true or false");
	if (!m->ok)
		return decode_error(m, err, errlen);
	m->result = json_get(&m->doc, 0, "result");
	if (json_type_of(&m->doc, m->result) != JSON_OBJECT)
		return refuse(err, errlen, "a reply without a \"result\" object");
	return 0;
}

static int decode_event(struct agent_msg *m, int ev, char *err, size_t errlen)
{
	m->kind = AGENT_MSG_EVENT;
	if (json_get_str(&m->doc, ev, m->event, sizeof(m->event), NULL) || !m->event[0])
		return refuse(err, errlen, "an \"event\" that is not a short string");
	m->data = json_get(&m->doc, 0, "data");
	if (json_type_of(&m->doc, m->data) != JSON_OBJECT)
		return refuse(err, errlen, "an event without a \"data\" object");
	return 0;
}

int agent_decode(const char *line, size_t len, struct json_tok *toks, uint32_t cap, struct agent_msg *m,
		 char *err, size_t errlen)
{
	const char *why = NULL;
	int64_t v;
	int ev;

	memset(m, 0, sizeof(*m));
	m->result = m->data = -1;
	if (json_parse(&m->doc, line, len, toks, cap, &agent_limits, &why)) {
		snprintf(err, errlen, "bad JSON: %s", why);
		return -1;
	}
	if (m->doc.tok[0].type != JSON_OBJECT)
		return refuse(err, errlen, "a message that is not a JSON object");
	if (json_get_int(&m->doc, json_get(&m->doc, 0, "v"), INT64_MIN, INT64_MAX, &v))
		return refuse(err, errlen, "a message without an integer \"v\"");
	if (v != AGENT_PROTO_VERSION) {
		snprintf(err, errlen, "protocol version %lld, not %d", (long long)v, AGENT_PROTO_VERSION);
		return -1;
	}
	ev = json_get(&m->doc, 0, "event");
	if (ev >= 0)
		return decode_event(m, ev, err, errlen);
	return decode_reply(m, err, errlen);
}
