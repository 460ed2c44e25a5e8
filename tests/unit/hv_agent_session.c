/* Host unit tests of the agent session (hypervisor/agent/agent_session.c) against a scripted fake agent. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hypervisor/agent/agent_session.h"
#include "kernel/console/console.h"

void console_write(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
	fail_msg("the agent session wrote to the console");
}

/*
 * The fake agent: what the hypervisor wrote lands in `sent`; each step() (10 ms of fake time)
 * it answers every complete request line with script(op, id), queued in `to_host`, which
 * read() hands out at most `chunk` bytes at a time.
 */
struct fake {
	char sent[8192];
	size_t sent_len, sent_seen;
	char *to_host;
	size_t to_len, to_pos, to_cap;
	size_t chunk;
	bool connected;
	uint64_t now;
	int steps, abort_after;
	void (*script)(struct fake *f, const char *op, unsigned id);
	char ops[16][16];
	int nops;
	int logs;
	char last_log[200];
	bool log_had_control;
	bool endless;      /* read() never runs dry: a guest that floods its port */
	unsigned long reads;
};

static struct fake F;
static struct agent_session S;

static void emit(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct fake *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && n < (int)sizeof(buf));
	if (f->to_len + (size_t)n > f->to_cap) {
		f->to_cap = (f->to_len + (size_t)n) * 2;
		f->to_host = realloc(f->to_host, f->to_cap);
	}
	memcpy(f->to_host + f->to_len, buf, (size_t)n);
	f->to_len += (size_t)n;
}

static void emit_bytes(struct fake *f, char c, size_t n)
{
	if (f->to_len + n > f->to_cap) {
		f->to_cap = (f->to_len + n) * 2;
		f->to_host = realloc(f->to_host, f->to_cap);
	}
	memset(f->to_host + f->to_len, c, n);
	f->to_len += n;
}

static long fake_write(void *ctx, const void *buf, size_t len)
{
	struct fake *f = ctx;
	if (len > sizeof(f->sent) - f->sent_len)
		len = sizeof(f->sent) - f->sent_len;
	memcpy(f->sent + f->sent_len, buf, len);
	f->sent_len += len;
	return (long)len;
}

static long fake_read(void *ctx, void *buf, size_t cap)
{
	static const char line[] = "{\"v\":1,\"id\":999,\"ok\":true,\"result\":{}}\n";
	struct fake *f = ctx;
	size_t n = f->to_len - f->to_pos;

	f->reads++;
	if (f->endless && n == 0) {
		for (n = 0; n + sizeof(line) - 1 <= cap; n += sizeof(line) - 1)
			memcpy((char *)buf + n, line, sizeof(line) - 1);
		return (long)n;
	}
	if (n > cap)
		n = cap;
	if (n > f->chunk)
		n = f->chunk;
	if (n)
		memcpy(buf, f->to_host + f->to_pos, n);
	f->to_pos += n;
	return (long)n;
}

static bool fake_connected(void *ctx)
{
	return ((struct fake *)ctx)->connected;
}

static const struct agent_chan_ops chan = { fake_write, fake_read, fake_connected };

/* Reads the requests written since the last step: {"v":1,"id":N,"op":"OP",... */
static void fake_agent_run(struct fake *f)
{
	while (f->sent_seen < f->sent_len) {
		char *line = f->sent + f->sent_seen, *nl = memchr(line, '\n', f->sent_len - f->sent_seen);
		char op[16];
		unsigned id;
		if (!nl)
			return;
		*nl = '\0';
		assert_int_equal(sscanf(line, "{\"v\":1,\"id\":%u,\"op\":\"%15[a-z]\"", &id, op), 2);
		*nl = '\n';
		f->sent_seen = (size_t)(nl - f->sent) + 1;
		if (f->nops < 16)
			snprintf(f->ops[f->nops++], sizeof(f->ops[0]), "%s", op);
		if (f->script)
			f->script(f, op, id);
	}
}

static uint64_t w_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void w_step(void *ctx)
{
	struct fake *f = ctx;
	f->now += 10000000ull;
	f->steps++;
	fake_agent_run(f);
}

static bool w_aborted(void *ctx)
{
	struct fake *f = ctx;
	return f->abort_after && f->steps >= f->abort_after;
}

static const struct agent_wait_ops wait_ops = { w_now, w_step, w_aborted };

static void log_hook(const char *msg)
{
	F.logs++;
	snprintf(F.last_log, sizeof(F.last_log), "%s", msg);
	for (const char *p = msg; *p; p++)
		F.log_had_control |= (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f;
}

static int setup(void **state)
{
	(void)state;
	free(F.to_host);
	memset(&F, 0, sizeof(F));
	F.connected = true;
	F.chunk = 7; /* lines arrive split across reads */
	agent_session_init(&S, &chan, &F);
	agent_log = log_hook;
	return 0;
}

static void hello_ok(struct fake *f, unsigned id)
{
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"protocol\":1,\"agent\":\"0.1\",\"bwrun\":\"0.1\","
		"\"kernel\":\"6.1\"}}\n", id);
}

static void good(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		hello_ok(f, id);
	else
		emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"containers\":[]}}\n", id);
}

static enum agent_status call(const char *op, const struct agent_msg **r)
{
	return agent_call(&S, &wait_ops, &F, op, NULL, NULL, 5000000000ull, r);
}

static void test_hello_then_request(void **state)
{
	const struct agent_msg *r;
	(void)state;
	F.script = good;
	assert_int_equal(call("list", &r), AGENT_OK);
	/* agent_proto.h: the first request is hello {"protocol":1}, ids from 1 */
	assert_memory_equal(F.sent, "{\"v\":1,\"id\":1,\"op\":\"hello\",\"args\":{\"protocol\":1}}\n"
				    "{\"v\":1,\"id\":2,\"op\":\"list\",\"args\":{}}\n", F.sent_len);
	assert_int_equal(json_type_of(&r->doc, json_get(&r->doc, r->result, "containers")), JSON_ARRAY);
	assert_string_equal(S.agent_version, "0.1");
	/* a second command does not say hello again */
	assert_int_equal(call("list", &r), AGENT_OK);
	assert_int_equal(F.nops, 3);
	assert_string_equal(F.ops[2], "list");
}

static void out_of_order(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"who\":\"late\"}}\n", id + 40);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"who\":\"me\"}}\n", id);
}

static void test_out_of_order_and_stray(void **state)
{
	const struct agent_msg *r;
	(void)state;
	F.script = out_of_order;
	assert_int_equal(call("list", &r), AGENT_OK);
	assert_true(json_str_eq(&r->doc, json_get(&r->doc, r->result, "who"), "me"));
	assert_int_equal(S.stray_replies, 1);
	assert_string_equal(F.last_log, "agent: dropped a reply to id 42, which nobody waits for");
	/* a reply to nothing between commands is dropped by the poll */
	emit(&F, "{\"v\":1,\"id\":9,\"ok\":true,\"result\":{}}\n");
	agent_poll(&S);
	assert_int_equal(S.stray_replies, 2);
}

static void garbage_first(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "hello world\n\n[]\n{\"v\":1,\n{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"x\":1e999999}}\n", id);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"x\":1}}\n", id);
}

static void test_garbage_between(void **state)
{
	const struct agent_msg *r;
	(void)state;
	F.script = garbage_first;
	assert_int_equal(call("list", &r), AGENT_OK);
	assert_int_equal(S.bad_messages, 3); /* the empty line is ignored; 1e999999 is a valid JSON number */
}

static void overlong(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit_bytes(f, 'a', AGENT_LINE_MAX + 100);
	emit(f, "\n{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{}}\n", id);
}

static void test_overlong_line(void **state)
{
	const struct agent_msg *r;
	(void)state;
	F.script = overlong;
	F.chunk = 4096;
	assert_int_equal(call("list", &r), AGENT_OK);
	assert_int_equal(S.dropped_lines, 1);
	assert_int_equal(S.bad_messages, 0);
}

static void test_line_max_exactly(void **state)
{
	const struct agent_msg *r;
	char line[AGENT_LINE_MAX + 1];
	(void)state;
	F.script = good;
	F.chunk = 4096;
	assert_int_equal(call("list", &r), AGENT_OK);
	/* a line of exactly AGENT_LINE_MAX bytes with its "\n" is accepted (agent_proto.h) */
	int head = snprintf(line, sizeof(line), "{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"x\",\"exit\":null,\"pad\":\"");
	memset(line + head, 'p', AGENT_LINE_MAX - head - 4);
	memcpy(line + AGENT_LINE_MAX - 4, "\"}}\n", 4);
	emit_bytes(&F, 0, 0);
	F.to_host = realloc(F.to_host, F.to_len + AGENT_LINE_MAX);
	memcpy(F.to_host + F.to_len, line, AGENT_LINE_MAX);
	F.to_len += AGENT_LINE_MAX;
	for (int i = 0; i < 8; i++) /* AGENT_RX_BUDGET bytes a poll */
		agent_poll(&S);
	assert_int_equal(F.to_pos, F.to_len);
	assert_int_equal(S.dropped_lines, 0);
}

static void silent(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		hello_ok(f, id);
}

static void test_timeout_then_late_reply(void **state)
{
	const struct agent_msg *r;
	(void)state;
	F.script = silent;
	assert_int_equal(call("list", &r), AGENT_E_TIMEOUT);
	assert_true(F.now >= 5000000000ull && F.now < 5100000000ull);
	emit(&F, "{\"v\":1,\"id\":2,\"ok\":true,\"result\":{}}\n");
	agent_poll(&S);
	assert_int_equal(S.stray_replies, 1);
}

static void test_not_connected(void **state)
{
	(void)state;
	F.connected = false;
	F.script = good;
	assert_int_equal(call("list", NULL), AGENT_E_NOT_CONNECTED);
	assert_int_equal(F.sent_len, 0);
	assert_int_equal(F.steps, 0);
}

static void remote_error(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":false,\"error\":{\"code\":\"ENOENT\",\"message\":\"no container named web\"}}\n",
	     id);
}

static void test_remote_error(void **state)
{
	const struct agent_msg *r;
	(void)state;
	F.script = remote_error;
	assert_int_equal(call("state", &r), AGENT_E_REMOTE);
	assert_string_equal(r->code, "ENOENT");
	assert_string_equal(r->message, "no container named web");
}

static void wrong_version(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"protocol\":2,\"agent\":\"9\"}}\n", id);
}

static void v2_envelope(struct fake *f, const char *op, unsigned id)
{
	(void)op;
	emit(f, "{\"v\":2,\"id\":%u,\"ok\":true,\"result\":{\"protocol\":1}}\n", id);
}

static void test_wrong_version(void **state)
{
	(void)state;
	F.script = wrong_version;
	assert_int_equal(call("list", NULL), AGENT_E_VERSION);
	assert_string_equal(S.why, "it speaks protocol 2, the hypervisor 1");
	assert_int_equal(F.nops, 1); /* nothing but hello was sent */
	setup(NULL);
	F.script = v2_envelope; /* a message of another version is dropped: the wait times out */
	assert_int_equal(call("list", NULL), AGENT_E_TIMEOUT);
	assert_int_equal(S.bad_messages, 1);
}

static void missing_members(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "{\"v\":1,\"id\":%u,\"result\":{}}\n{\"v\":1,\"id\":%u,\"ok\":true}\n", id, id);
}

static void test_missing_members(void **state)
{
	(void)state;
	F.script = missing_members;
	assert_int_equal(call("list", NULL), AGENT_E_TIMEOUT);
	assert_int_equal(S.bad_messages, 2);
}

static void events_between(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"web\",\"exit\":{\"code\":3,\"signal\":0,"
		"\"reason\":\"exited\"}}}\n");
	emit(f, "{\"v\":1,\"event\":\"output\",\"data\":{\"session\":4,\"data\":\"hi\\u0000!\"}}\n");
	emit(f, "{\"v\":1,\"event\":\"closed\",\"data\":{\"session\":4,\"exit_code\":0,\"signal\":0}}\n");
	emit(f, "{\"v\":1,\"event\":\"gossip\",\"data\":{}}\n");
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{}}\n", id);
}

static char out_seen[32];
static size_t out_len;
static int64_t closed_session = -1;

static void on_output(void *ctx, int64_t session, const char *data, size_t len)
{
	(void)ctx;
	assert_int_equal(session, 4);
	memcpy(out_seen, data, len);
	out_len = len;
}

static void on_closed(void *ctx, int64_t session, int64_t code, int64_t sig)
{
	(void)ctx;
	(void)code;
	(void)sig;
	closed_session = session;
}

static void test_events_between(void **state)
{
	const struct agent_exit_note *e;
	(void)state;
	F.script = events_between;
	S.on_output = on_output;
	S.on_closed = on_closed;
	assert_int_equal(call("list", NULL), AGENT_OK);
	e = agent_exit_of(&S, "web");
	assert_non_null(e);
	assert_int_equal(e->exit.code, 3);
	assert_int_equal(out_len, 4);
	assert_memory_equal(out_seen, "hi\0!", 4);
	assert_int_equal(closed_session, 4);
	assert_int_equal(S.bad_messages, 1); /* the unknown event */
	assert_null(agent_exit_of(&S, "db"));
}

static void restart_midway(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "{\"v\":1,\"event\":\"ready\",\"data\":{\"protocol\":1,\"agent\":\"0.1\"}}\n");
}

static void test_ready_asks_hello_again(void **state)
{
	(void)state;
	F.script = restart_midway;
	assert_int_equal(call("list", NULL), AGENT_E_RESTARTED);
	F.script = good;
	assert_int_equal(call("list", NULL), AGENT_OK);
	assert_string_equal(F.ops[2], "hello");
	assert_string_equal(F.ops[3], "list");
	/* a "ready" between commands too */
	emit(&F, "{\"v\":1,\"event\":\"ready\",\"data\":{\"protocol\":1,\"agent\":\"0.1\"}}\n");
	assert_int_equal(call("list", NULL), AGENT_OK);
	assert_string_equal(F.ops[4], "hello");
}

static void test_nowait_reply_expected(void **state)
{
	(void)state;
	F.script = good;
	assert_int_equal(call("list", NULL), AGENT_OK);
	assert_int_equal(agent_send_nowait(&S, "input", NULL, NULL), 0);
	fake_agent_run(&F);
	agent_poll(&S);
	assert_int_equal(S.stray_replies, 0); /* the reply to a request sent without waiting is not stray */
	emit(&F, "{\"v\":1,\"id\":3,\"ok\":true,\"result\":{}}\n");
	agent_poll(&S);
	assert_int_equal(S.stray_replies, 1); /* but a second one is */
}

/* An agent that restarted without our seeing its "ready": it refuses with EPROTO "hello first" until hello. */
static bool fresh_agent_greeted;

static void fresh_agent(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello")) {
		fresh_agent_greeted = true;
		return hello_ok(f, id);
	}
	if (!fresh_agent_greeted) {
		emit(f, "{\"v\":1,\"id\":%u,\"ok\":false,\"error\":{\"code\":\"EPROTO\",\"message\":\"hello first\"}}\n", id);
		return;
	}
	good(f, op, id);
}

static void test_hello_first_retried_once(void **state)
{
	(void)state;
	F.script = good;
	assert_int_equal(call("list", NULL), AGENT_OK);
	fresh_agent_greeted = false;
	F.script = fresh_agent;
	assert_int_equal(call("list", NULL), AGENT_OK);
	assert_int_equal(F.nops, 5); /* hello list | list (refused) hello list */
	assert_string_equal(F.ops[3], "hello");
	assert_string_equal(F.ops[4], "list");
}

static void test_abort(void **state)
{
	(void)state;
	F.script = silent;
	F.abort_after = 3;
	assert_int_equal(call("list", NULL), AGENT_E_ABORTED);
	assert_int_equal(F.steps, 3);
}

static void deep(struct fake *f, const char *op, unsigned id)
{
	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}}\n", id);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{\"n\":123456789012345678901234567890}}\n", id);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{}}\n", id);
}

/* A guest that never stops writing: each poll returns after its budget, a call at its deadline. */
static void test_endless_flood(void **state)
{
	(void)state;
	F.script = good;
	assert_int_equal(call("list", NULL), AGENT_OK);
	F.endless = true;
	F.reads = 0;
	agent_poll(&S);
	assert_true(F.reads <= AGENT_RX_BUDGET / AGENT_RX_CHUNK + 2);
	assert_true(S.stray_replies > 0);
	F.script = silent;
	assert_int_equal(call("list", NULL), AGENT_E_TIMEOUT);
	assert_true(F.now >= 5000000000ull && F.now < 5100000000ull);
}

static void bad_names(struct fake *f, const char *op, unsigned id)
{
	static const char *const names[] = { "\\u001b[2J\\u001b]0;owned\\u0007", "a\\u0000b", "../x", "-x", "" };

	if (!strcmp(op, "hello"))
		return hello_ok(f, id);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		emit(f, "{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"%s\",\"exit\":{\"code\":0,\"reason\":"
			"\"exited\"}}}\n", names[i]);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":false,\"error\":{\"code\":\"E\\u001b[2J\",\"message\":\"\\u001b]0;x\\u0007\"}}\n",
	     id + 1);
	emit(f, "{\"v\":1,\"id\":%u,\"ok\":true,\"result\":{}}\n", id);
}

/* Names outside agent_proto.h's NAME are dropped; nothing the guest sent puts a control byte in the log. */
static void test_bad_event_names(void **state)
{
	(void)state;
	F.script = bad_names;
	assert_int_equal(call("list", NULL), AGENT_OK);
	assert_int_equal(S.bad_messages, 5);
	assert_int_equal(S.exits_count, 0);
	assert_null(agent_exit_of(&S, "a"));
	assert_int_equal(S.stray_replies, 1);
	assert_false(F.log_had_control);
	/* a refused nowait request: its code and message are logged, escaped */
	emit(&F, "{\"v\":1,\"id\":77,\"ok\":false,\"error\":{\"code\":\"E\\u001b[2J\",\"message\":\"\\u001b]0;x\\u0007\"}}\n");
	S.nowait_ids[0] = 77;
	agent_poll(&S);
	assert_non_null(strstr(F.last_log, "refused"));
	assert_non_null(strstr(F.last_log, "\\x1b"));
	assert_false(F.log_had_control);
}

static void test_deep_and_huge(void **state)
{
	(void)state;
	F.script = deep;
	assert_int_equal(call("list", NULL), AGENT_OK);
	assert_int_equal(S.bad_messages, 2); /* too deep; a number literal over its bound */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hello_then_request, setup),
		cmocka_unit_test_setup(test_out_of_order_and_stray, setup),
		cmocka_unit_test_setup(test_garbage_between, setup),
		cmocka_unit_test_setup(test_overlong_line, setup),
		cmocka_unit_test_setup(test_line_max_exactly, setup),
		cmocka_unit_test_setup(test_timeout_then_late_reply, setup),
		cmocka_unit_test_setup(test_not_connected, setup),
		cmocka_unit_test_setup(test_remote_error, setup),
		cmocka_unit_test_setup(test_wrong_version, setup),
		cmocka_unit_test_setup(test_missing_members, setup),
		cmocka_unit_test_setup(test_events_between, setup),
		cmocka_unit_test_setup(test_ready_asks_hello_again, setup),
		cmocka_unit_test_setup(test_abort, setup),
		cmocka_unit_test_setup(test_hello_first_retried_once, setup),
		cmocka_unit_test_setup(test_nowait_reply_expected, setup),
		cmocka_unit_test_setup(test_deep_and_huge, setup),
		cmocka_unit_test_setup(test_endless_flood, setup),
		cmocka_unit_test_setup(test_bad_event_names, setup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(F.to_host);
	return rc;
}
