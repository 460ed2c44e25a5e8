/* Host unit tests of the agent's wire codec against include/bulwark/agent_proto.h: valid requests
 * of each op decode to what they say; every malformed form is refused with the header's code. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "codec.h"

static struct agent_req req;
static struct agent_err err;

static int dec(const char *line)
{
	return agent_decode(line, strlen(line), &req, &err);
}

/* refused LINE CODE ID SUBSTRING: the line is refused with CODE, answered with ID, and the
 * message names SUBSTRING. */
static void refused(const char *line, const char *code, int64_t id, const char *what)
{
	int r = dec(line);
	if (r != -1 || strcmp(err.code ? err.code : "", code) || err.id != id ||
	    !strstr(err.message, what))
		fail_msg("%s: got %d %s id %lld \"%s\", expected %s id %lld /%s/", line, r,
			 err.code ? err.code : "-", (long long)err.id, err.message, code,
			 (long long)id, what);
	agent_req_free(&req);
}

static void test_hello(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"v\":1,\"id\":7,\"op\":\"hello\",\"args\":{\"protocol\":1}}"), 0);
	assert_int_equal(req.id, 7);
	assert_int_equal(req.op, AGENT_OP_HELLO);
	assert_int_equal(req.protocol, 1);
	agent_req_free(&req);
	/* member order does not matter; whitespace and a trailing "\r" are allowed */
	assert_int_equal(dec(" { \"op\" : \"hello\", \"args\":{\"protocol\":2},\"id\":2147483647,\"v\":1}\r"), 0);
	assert_int_equal(req.id, AGENT_ID_MAX);
	assert_int_equal(req.protocol, 2);
	agent_req_free(&req);
}

static void test_run_full(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"v\":1,\"id\":3,\"op\":\"run\",\"args\":{\"name\":\"web-1.a_b\","
			     "\"image\":\"busybox\",\"args\":[\"sh\",\"-c\",\"echo hi\"],"
			     "\"env\":[\"A=1\",\"B=\"],\"mem\":16777216,\"pids\":5,"
			     "\"cpus_milli\":200,\"tty\":false,\"attach\":true}}"), 0);
	assert_int_equal(req.op, AGENT_OP_RUN);
	assert_string_equal(req.name, "web-1.a_b");
	assert_string_equal(req.image, "busybox");
	assert_int_equal(req.n_args, 3);
	assert_true(req.has_args);
	assert_string_equal(req.args[2], "echo hi");
	assert_null(req.args[3]);
	assert_int_equal(req.n_env, 2);
	assert_string_equal(req.env[1], "B=");
	assert_int_equal(req.mem, 16 << 20);
	assert_int_equal(req.pids, 5);
	assert_int_equal(req.cpus_milli, 200);
	assert_true(req.attach);
	assert_false(req.tty);
	agent_req_free(&req);
}

static void test_copy(void **state)
{
	struct agent_req copy;

	(void)state;
	assert_int_equal(dec("{\"v\":1,\"id\":3,\"op\":\"run\",\"args\":{\"name\":\"w\",\"image\":\"b\","
			     "\"args\":[\"sh\",\"-c\"],\"env\":[\"A=1\"],\"mem\":16777216}}"), 0);
	assert_int_equal(agent_req_copy(&copy, &req), 0);
	agent_req_free(&req); /* the copy owns its strings */
	assert_int_equal(copy.id, 3);
	assert_int_equal(copy.n_args, 2);
	assert_string_equal(copy.args[1], "-c");
	assert_null(copy.args[2]);
	assert_string_equal(copy.env[0], "A=1");
	assert_string_equal(copy.name, "w");
	assert_int_equal(copy.mem, 16 << 20);
	agent_req_free(&copy);
	assert_int_equal(dec("{\"v\":1,\"id\":4,\"op\":\"input\",\"args\":{\"session\":2,\"data\":\"a\\u0000b\"}}"), 0);
	assert_int_equal(agent_req_copy(&copy, &req), 0);
	agent_req_free(&req);
	assert_int_equal(copy.data_len, 3);
	assert_memory_equal(copy.data, "a\0b", 3);
	agent_req_free(&copy);
}

static void test_sequence(void **state)
{
	(void)state;
	/* before hello: every other op is refused "hello first", with its id */
	assert_int_equal(dec("{\"v\":1,\"id\":5,\"op\":\"list\"}"), 0);
	assert_int_equal(agent_gate(&req, false, &err), -1);
	assert_string_equal(err.code, "EPROTO");
	assert_string_equal(err.message, "hello first");
	assert_int_equal(err.id, 5);
	assert_int_equal(agent_gate(&req, true, &err), 0);
	assert_int_equal(dec("{\"v\":1,\"id\":6,\"op\":\"run\",\"args\":{\"name\":\"a\",\"image\":\"b\"}}"), 0);
	assert_int_equal(agent_gate(&req, false, &err), -1);
	agent_req_free(&req);
	/* hello of another major version: EPROTO, and still no hello done */
	assert_int_equal(dec("{\"v\":1,\"id\":7,\"op\":\"hello\",\"args\":{\"protocol\":2}}"), 0);
	assert_int_equal(agent_gate(&req, false, &err), -1);
	assert_string_equal(err.code, "EPROTO");
	assert_non_null(strstr(err.message, "speaks 1"));
	assert_int_equal(dec("{\"v\":1,\"id\":8,\"op\":\"hello\",\"args\":{\"protocol\":1}}"), 0);
	assert_int_equal(agent_gate(&req, false, &err), 0);
	assert_int_equal(agent_gate(&req, true, &err), 0); /* hello again is fine */
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\"}}"), 0);
	assert_false(req.has_args);
	assert_int_equal(req.mem, 0);
	assert_int_equal(req.pids, 0);
	agent_req_free(&req);
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"stop\",\"args\":{\"name\":\"a\"}}"), 0);
	assert_int_equal(req.timeout_s, AGENT_STOP_TIMEOUT_S);
	agent_req_free(&req);
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\"}}"), 0);
	assert_int_equal(req.signal, SIGTERM);
	agent_req_free(&req);
	/* ops without required members take no "args" at all, or {} */
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"list\"}"), 0);
	assert_int_equal(req.op, AGENT_OP_LIST);
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"images\",\"args\":{}}"), 0);
	assert_int_equal(req.op, AGENT_OP_IMAGES);
}

static void test_every_op(void **state)
{
	static const struct {
		const char *args;
		enum agent_op op;
	} cases[] = {
		{ "\"op\":\"start\",\"args\":{\"name\":\"a\"}", AGENT_OP_START },
		{ "\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[\"ls\"],\"attach\":false}", AGENT_OP_EXEC },
		{ "\"op\":\"delete\",\"args\":{\"name\":\"a\",\"force\":true}", AGENT_OP_DELETE },
		{ "\"op\":\"state\",\"args\":{\"name\":\"a\"}", AGENT_OP_STATE },
		{ "\"op\":\"logs\",\"args\":{\"name\":\"a\",\"lines\":10,\"from\":5}", AGENT_OP_LOGS },
		{ "\"op\":\"stats\",\"args\":{\"name\":\"a\"}", AGENT_OP_STATS },
		{ "\"op\":\"input\",\"args\":{\"session\":4,\"data\":\"x\\u0000y\"}", AGENT_OP_INPUT },
		{ "\"op\":\"detach\",\"args\":{\"session\":4}", AGENT_OP_DETACH },
	};
	char line[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "{\"v\":1,\"id\":9,%s}", cases[i].args);
		if (dec(line) != 0)
			fail_msg("%s: %s %s", line, err.code, err.message);
		assert_int_equal(req.op, cases[i].op);
		if (req.op == AGENT_OP_INPUT) { /* input data may carry NULs */
			assert_int_equal(req.data_len, 3);
			assert_memory_equal(req.data, "x\0y", 3);
		}
		if (req.op == AGENT_OP_LOGS)
			assert_true(req.has_lines && req.lines == 10 && req.has_from && req.from == 5);
		agent_req_free(&req);
	}
}

static void test_signals(void **state)
{
	(void)state;
	/* The names and numbers themselves: tests/unit/runtime_state.c (the runtime's signal_parse). */
	static const struct {
		const char *given;
		int sig;
	} named[] = { { "TERM", 15 }, { "SIGKILL", 9 }, { "sigusr1", 10 }, { "9", 9 }, { "64", 64 } };
	static const char *const bad[] = { "65", "0", "9x", "+9", "NOPE" };
	char line[160];

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		snprintf(line, sizeof(line),
			 "{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":\"%s\"}}",
			 named[i].given);
		assert_int_equal(dec(line), 0);
		assert_int_equal(req.signal, named[i].sig);
		agent_req_free(&req);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line),
			 "{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":\"%s\"}}",
			 bad[i]);
		refused(line, "EINVAL", 1, "unknown signal");
	}
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":\"SIGHUP\"}}"), 0);
	assert_int_equal(req.signal, SIGHUP);
	assert_int_equal(dec("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":64}}"), 0);
	assert_int_equal(req.signal, 64);
	refused("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":65}}", "EINVAL", 1, "signal");
	refused("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":0}}", "EINVAL", 1, "signal");
	refused("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":\"BOGUS\"}}", "EINVAL", 1, "unknown signal");
	refused("{\"v\":1,\"id\":1,\"op\":\"kill\",\"args\":{\"name\":\"a\",\"signal\":true}}", "EINVAL", 1, "signal");
}

static void test_not_json(void **state)
{
	(void)state;
	refused("garbage", "EPROTO", 0, "not JSON");
	refused("{\"v\":1,\"id\":1,\"op\":\"list\"", "EPROTO", 0, "not JSON");
	refused("{\"v\":1,\"id\":1,\"op\":\"list\"}}", "EPROTO", 0, "not JSON");
	refused("{\"v\":1,\"id\":1,\"op\":\"list\"} {}", "EPROTO", 0, "not JSON");
	refused("{'v':1}", "EPROTO", 0, "not JSON");
	refused("{\"v\":1,\"id\":1,\"op\":\"list\",}", "EPROTO", 0, "not JSON");
	refused("{\"v\":01,\"id\":1,\"op\":\"list\"}", "EPROTO", 0, "not JSON");
	refused("{\"v\":1,\"id\":1,\"op\":\"l\xffst\"}", "EPROTO", 0, "not JSON"); /* not UTF-8 */
	refused("{\"v\":1,\"id\":1,\"op\":\"\xc0\xafx\"}", "EPROTO", 0, "not JSON"); /* overlong */
}

static void test_not_object(void **state)
{
	(void)state;
	refused("[1,2]", "EPROTO", 0, "not a JSON object");
	refused("\"hello\"", "EPROTO", 0, "not a JSON object");
	refused("null", "EPROTO", 0, "not a JSON object");
	refused("true", "EPROTO", 0, "not a JSON object");
}

static void test_embedded_nul(void **state)
{
	static const char line[] = "{\"v\":1,\"id\":1,\"op\":\"list\"}\0{}";

	(void)state;
	assert_int_equal(agent_decode(line, sizeof(line) - 1, &req, &err), -1);
	assert_string_equal(err.code, "EPROTO");
	assert_non_null(strstr(err.message, "NUL"));
	/* an escaped NUL inside a name, an argument or an env entry */
	refused("{\"v\":1,\"id\":2,\"op\":\"state\",\"args\":{\"name\":\"a\\u0000b\"}}", "EINVAL", 2, "NUL");
	refused("{\"v\":1,\"id\":2,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[\"sh\\u0000x\"]}}", "EINVAL", 2, "NUL");
	refused("{\"v\":1,\"id\":2,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"env\":[\"A=\\u0000\"]}}", "EINVAL", 2, "NUL");
}

static void test_version(void **state)
{
	(void)state;
	refused("{\"v\":2,\"id\":5,\"op\":\"list\"}", "EPROTO", 5, "v:");
	refused("{\"v\":0,\"id\":5,\"op\":\"list\"}", "EPROTO", 5, "v:");
	refused("{\"v\":\"1\",\"id\":5,\"op\":\"list\"}", "EPROTO", 5, "v:");
	refused("{\"v\":1.0,\"id\":5,\"op\":\"list\"}", "EPROTO", 5, "v:");
	refused("{\"id\":5,\"op\":\"list\"}", "EPROTO", 5, "missing member \"v\"");
}

static void test_ids(void **state)
{
	(void)state;
	refused("{\"v\":1,\"op\":\"list\"}", "EINVAL", 0, "missing member \"id\"");
	refused("{\"v\":1,\"id\":0,\"op\":\"list\"}", "EINVAL", 0, "id: out of range");
	refused("{\"v\":1,\"id\":-1,\"op\":\"list\"}", "EINVAL", 0, "id: out of range");
	refused("{\"v\":1,\"id\":2147483648,\"op\":\"list\"}", "EINVAL", 0, "id: out of range");
	refused("{\"v\":1,\"id\":9223372036854775808,\"op\":\"list\"}", "EINVAL", 0, "id: out of range");
	refused("{\"v\":1,\"id\":18446744073709551615,\"op\":\"list\"}", "EINVAL", 0, "id");
	refused("{\"v\":1,\"id\":99999999999999999999999999,\"op\":\"list\"}", "EINVAL", 0, "id");
	refused("{\"v\":1,\"id\":1.5,\"op\":\"list\"}", "EINVAL", 0, "id: not an integer");
	refused("{\"v\":1,\"id\":1e3,\"op\":\"list\"}", "EINVAL", 0, "id: not an integer");
	refused("{\"v\":1,\"id\":\"7\",\"op\":\"list\"}", "EINVAL", 0, "id: not an integer");
	refused("{\"v\":1,\"id\":null,\"op\":\"list\"}", "EINVAL", 0, "id: not an integer");
}

static void test_members(void **state)
{
	(void)state;
	refused("{\"v\":1,\"id\":3}", "EINVAL", 3, "missing member \"op\"");
	refused("{\"v\":1,\"id\":3,\"op\":7}", "EINVAL", 3, "op: not a string");
	refused("{\"v\":1,\"id\":3,\"op\":\"reboot\"}", "EINVAL", 3, "unknown op \"reboot\"");
	refused("{\"v\":1,\"id\":3,\"op\":\"list\\u0000x\"}", "EINVAL", 3, "unknown op");
	refused("{\"v\":1,\"id\":3,\"op\":\"list\",\"extra\":1}", "EINVAL", 3, "unknown member \"extra\"");
	refused("{\"v\":1,\"id\":3,\"op\":\"list\",\"args\":{\"name\":\"a\"}}", "EINVAL", 3, "unknown member \"name\" for list");
	refused("{\"v\":1,\"id\":3,\"op\":\"list\",\"args\":[]}", "EINVAL", 3, "args: not an object");
	refused("{\"v\":1,\"id\":3,\"op\":\"state\"}", "EINVAL", 3, "missing member \"name\" for state");
	refused("{\"v\":1,\"id\":3,\"op\":\"state\",\"args\":{}}", "EINVAL", 3, "missing member \"name\" for state");
	refused("{\"v\":1,\"id\":3,\"op\":\"create\",\"args\":{\"name\":\"a\"}}", "EINVAL", 3, "missing member \"image\"");
	refused("{\"v\":1,\"id\":3,\"op\":\"exec\",\"args\":{\"name\":\"a\"}}", "EINVAL", 3, "missing member \"args\"");
	refused("{\"v\":1,\"id\":3,\"op\":\"hello\",\"args\":{}}", "EINVAL", 3, "missing member \"protocol\"");
	refused("{\"v\":1,\"id\":3,\"op\":\"input\",\"args\":{\"session\":1}}", "EINVAL", 3, "missing member \"data\"");
	refused("{\"v\":1,\"id\":3,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[\"x\"],\"tty\":true}}", "EINVAL", 3, "unknown member \"tty\" for exec");
	/* reply- and event-shaped input is not a request */
	refused("{\"v\":1,\"id\":7,\"ok\":true,\"result\":{}}", "EINVAL", 7, "unknown member \"ok\"");
	refused("{\"v\":1,\"event\":\"exited\",\"data\":{}}", "EINVAL", 0, "missing member \"id\"");
}

static void test_duplicates(void **state)
{
	(void)state;
	refused("{\"v\":1,\"id\":3,\"id\":4,\"op\":\"list\"}", "EINVAL", 0, "twice");
	refused("{\"v\":1,\"id\":3,\"op\":\"list\",\"op\":\"list\"}", "EINVAL", 0, "twice");
	refused("{\"v\":1,\"id\":3,\"op\":\"state\",\"args\":{\"name\":\"a\",\"name\":\"b\"}}", "EINVAL", 0, "twice");
	/* the same key spelled with an escape is the same key */
	refused("{\"v\":1,\"id\":3,\"op\":\"state\",\"args\":{\"name\":\"a\",\"n\\u0061me\":\"b\"}}", "EINVAL", 0, "twice");
	/* a ':' or '"' inside a string is not a member */
	assert_int_equal(dec("{\"v\":1,\"id\":3,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[\"a:b\",\"\\\":\\\"\"]}}"), 0);
	agent_req_free(&req);
}

static void test_types(void **state)
{
	(void)state;
	refused("{\"v\":1,\"id\":4,\"op\":\"state\",\"args\":{\"name\":5}}", "EINVAL", 4, "name: not a string");
	refused("{\"v\":1,\"id\":4,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":\"ls\"}}", "EINVAL", 4, "args.args: not a list");
	refused("{\"v\":1,\"id\":4,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[1]}}", "EINVAL", 4, "args.args[0]: not a string");
	refused("{\"v\":1,\"id\":4,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[]}}", "EINVAL", 4, "empty");
	refused("{\"v\":1,\"id\":4,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[\"\"]}}", "EINVAL", 4, "empty program");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"env\":[\"NOEQUALS\"]}}", "EINVAL", 4, "KEY=VALUE");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"env\":[\"=v\"]}}", "EINVAL", 4, "KEY=VALUE");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":\"16M\"}}", "EINVAL", 4, "mem: not an integer");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"tty\":1}}", "EINVAL", 4, "tty: not a boolean");
	refused("{\"v\":1,\"id\":4,\"op\":\"delete\",\"args\":{\"name\":\"a\",\"force\":\"yes\"}}", "EINVAL", 4, "force: not a boolean");
	refused("{\"v\":1,\"id\":4,\"op\":\"input\",\"args\":{\"session\":1,\"data\":[]}}", "EINVAL", 4, "data: not a string");
	refused("{\"v\":1,\"id\":4,\"op\":\"hello\",\"args\":{\"protocol\":\"1\"}}", "EINVAL", 4, "protocol: not an integer");
}

static void test_ranges(void **state)
{
	(void)state;
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":1048575}}", "EINVAL", 4, "mem");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":-1}}", "EINVAL", 4, "mem");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":1099511627777}}", "EINVAL", 4, "mem");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":1e10}}", "EINVAL", 4, "mem");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"pids\":4194305}}", "EINVAL", 4, "pids");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"cpus_milli\":9}}", "EINVAL", 4, "cpus_milli");
	refused("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"cpus_milli\":1024001}}", "EINVAL", 4, "cpus_milli");
	refused("{\"v\":1,\"id\":4,\"op\":\"stop\",\"args\":{\"name\":\"a\",\"timeout_s\":3601}}", "EINVAL", 4, "timeout_s");
	refused("{\"v\":1,\"id\":4,\"op\":\"logs\",\"args\":{\"name\":\"a\",\"from\":-1}}", "EINVAL", 4, "from");
	refused("{\"v\":1,\"id\":4,\"op\":\"logs\",\"args\":{\"name\":\"a\",\"lines\":1000001}}", "EINVAL", 4, "lines");
	refused("{\"v\":1,\"id\":4,\"op\":\"input\",\"args\":{\"session\":0,\"data\":\"\"}}", "EINVAL", 4, "session");
	/* the bounds themselves pass */
	assert_int_equal(dec("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":1099511627776,\"pids\":4194304,\"cpus_milli\":10}}"), 0);
	assert_int_equal(dec("{\"v\":1,\"id\":4,\"op\":\"create\",\"args\":{\"name\":\"a\",\"image\":\"b\",\"mem\":1048576,\"pids\":0,\"cpus_milli\":0}}"), 0);
}

static void test_names(void **state)
{
	static const char *const bad[] = { "", ".a", "-a", "a/b", "a b", "a\\u00e9", "..", "a;b", "a$" };
	char line[512], name[AGENT_NAME_MAX + 2];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "{\"v\":1,\"id\":6,\"op\":\"state\",\"args\":{\"name\":\"%s\"}}", bad[i]);
		refused(line, "EINVAL", 6, "[A-Za-z0-9_.-]");
		snprintf(line, sizeof(line), "{\"v\":1,\"id\":6,\"op\":\"create\",\"args\":{\"name\":\"ok\",\"image\":\"%s\"}}", bad[i]);
		refused(line, "EINVAL", 6, "args.image");
	}
	memset(name, 'n', AGENT_NAME_MAX);
	name[AGENT_NAME_MAX] = '\0';
	snprintf(line, sizeof(line), "{\"v\":1,\"id\":6,\"op\":\"state\",\"args\":{\"name\":\"%s\"}}", name);
	assert_int_equal(dec(line), 0);
	assert_string_equal(req.name, name);
	strcat(name, "n");
	snprintf(line, sizeof(line), "{\"v\":1,\"id\":6,\"op\":\"state\",\"args\":{\"name\":\"%s\"}}", name);
	refused(line, "E2BIG", 6, "at most 64");
	assert_true(agent_name_valid("a.-_Z9", 6));
	assert_false(agent_name_valid("a", 0));
}

/* A request with a list of n copies of item, or one string of n bytes. */
static char *big_list(size_t n, const char *item)
{
	size_t cap = 256 + n * (strlen(item) + 3);
	char *s = malloc(cap);
	size_t o = (size_t)sprintf(s, "{\"v\":1,\"id\":8,\"op\":\"exec\",\"args\":{\"name\":\"a\",\"args\":[");

	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "%s\"%s\"", i ? "," : "", item);
	strcpy(s + o, "]}}");
	return s;
}

static void test_bounds(void **state)
{
	char *s, *item;

	(void)state;
	s = big_list(AGENT_LIST_MAX, "x");
	assert_int_equal(dec(s), 0);
	assert_int_equal(req.n_args, AGENT_LIST_MAX);
	agent_req_free(&req);
	free(s);
	s = big_list(AGENT_LIST_MAX + 1, "x");
	refused(s, "E2BIG", 8, "at most 64");
	free(s);
	item = malloc(AGENT_STR_MAX + 2);
	memset(item, 'y', AGENT_STR_MAX);
	item[AGENT_STR_MAX] = '\0';
	s = big_list(1, item);
	assert_int_equal(dec(s), 0);
	agent_req_free(&req);
	free(s);
	strcat(item, "y");
	s = big_list(1, item);
	refused(s, "E2BIG", 8, "at most 4096");
	free(s);
	free(item);
	/* input data: AGENT_DATA_MAX bytes, counted after unescaping */
	s = malloc(AGENT_DATA_MAX * 6 + 128);
	strcpy(s, "{\"v\":1,\"id\":8,\"op\":\"input\",\"args\":{\"session\":1,\"data\":\"");
	for (int i = 0; i < AGENT_DATA_MAX; i++)
		strcat(s + strlen(s) - 1, "\\u0041");
	strcat(s, "\"}}");
	assert_int_equal(dec(s), 0);
	assert_int_equal(req.data_len, AGENT_DATA_MAX);
	agent_req_free(&req);
	strcpy(strstr(s, "\"}}"), "B\"}}");
	refused(s, "E2BIG", 8, "at most 8192");
	free(s);
}

static void test_overlong_line(void **state)
{
	char *s = malloc(AGENT_LINE_MAX + 1);

	(void)state;
	memset(s, ' ', AGENT_LINE_MAX);
	memcpy(s, "{\"v\":1,\"id\":1,\"op\":\"list\"}", 26);
	assert_int_equal(agent_decode(s, AGENT_LINE_MAX - 1, &req, &err), 0); /* fits with "\n" */
	assert_int_equal(agent_decode(s, AGENT_LINE_MAX, &req, &err), -1);
	assert_string_equal(err.code, "EPROTO");
	assert_int_equal(err.id, 0);
	free(s);
}

static void test_depth(void **state)
{
	char s[200] = "{\"v\":1,\"id\":1,\"op\":\"list\",\"args\":";
	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(s, "[");
	refused(s, "EPROTO", 0, "not JSON");
}

/* ---- encoding */

static struct json_object *parse_line(const char *line)
{
	size_t n = strlen(line);
	assert_true(n > 0 && line[n - 1] == '\n');
	assert_null(memchr(line, '\n', n - 1));
	return json_tokener_parse(line);
}

static void test_encode_replies(void **state)
{
	char *l;
	struct json_object *o, *v;

	(void)state;
	l = agent_reply_ok(7, NULL);
	assert_string_equal(l, "{\"v\":1,\"id\":7,\"ok\":true,\"result\":{}}\n");
	free(l);
	l = agent_reply_error(9, "ENOENT", "no container named %s", "web");
	assert_string_equal(l, "{\"v\":1,\"id\":9,\"ok\":false,\"error\":{\"code\":\"ENOENT\","
			       "\"message\":\"no container named web\"}}\n");
	free(l);
	l = agent_event("ready", NULL);
	assert_string_equal(l, "{\"v\":1,\"event\":\"ready\",\"data\":{}}\n");
	free(l);
	/* a message carrying a newline and a quote stays one line */
	l = agent_reply_error(0, "EIO", "bwrun: \"x\"\nsecond");
	o = parse_line(l);
	assert_true(json_object_object_get_ex(o, "error", &v));
	assert_true(json_object_object_get_ex(v, "message", &v));
	assert_string_equal(json_object_get_string(v), "bwrun: \"x\"\nsecond");
	json_object_put(o);
	free(l);
}

static void test_encode_state(void **state)
{
	struct agent_state s = { "web", "busybox", "stopped", 0, 1700000000,
				 { AGENT_EXIT_OOM, 137, 9 } };
	char *l;

	(void)state;
	l = agent_reply_ok(2, agent_state_json(&s));
	assert_string_equal(l, "{\"v\":1,\"id\":2,\"ok\":true,\"result\":{\"name\":\"web\",\"image\":\"busybox\","
			       "\"state\":\"stopped\",\"pid\":0,\"created\":1700000000,\"exit\":{\"code\":137,"
			       "\"signal\":9,\"reason\":\"oom-killed\"}}}\n");
	free(l);
	s.state = "running";
	s.pid = 42;
	s.exit.reason = AGENT_EXIT_NONE;
	l = agent_reply_ok(2, agent_state_json(&s));
	assert_non_null(strstr(l, "\"pid\":42,\"created\":1700000000,\"exit\":null}"));
	free(l);
}

static void test_encode_stats(void **state)
{
	struct agent_stats st = { 1000, -1, -1, 5, 200, 3, 5, 0 };
	char *l;

	(void)state;
	l = agent_reply_ok(1, agent_stats_json(&st));
	assert_string_equal(l, "{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"memory_bytes\":1000,\"memory_max\":null,"
			       "\"cpu_usec\":5,\"cpu_max_milli\":200,\"pids\":3,\"pids_max\":5,\"oom_kills\":0}}\n");
	free(l);
	st.memory_peak = 4096;
	l = agent_reply_ok(1, agent_stats_json(&st));
	assert_non_null(strstr(l, "\"memory_max\":null,\"memory_peak\":4096,"));
	free(l);
}

static void test_data_utf8(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{ "plain", 5, "plain" },
		{ "\xc3\xa9", 2, "\xc3\xa9" },                  /* U+00E9 */
		{ "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80" },  /* U+1F600 */
		{ "a\xff" "b", 3, "a\xef\xbf\xbd" "b" },        /* never valid */
		{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd" },  /* overlong '/' */
		{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate D800 */
		{ "\xf4\x90\x80\x80", 4, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* > 10FFFF */
		{ "\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd" },  /* truncated */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *j = agent_data_string(cases[i].in, cases[i].len);
		assert_string_equal(json_object_get_string(j), cases[i].out);
		json_object_put(j);
	}
}

static void test_data_fits_a_line(void **state)
{
	char data[AGENT_DATA_MAX];
	struct json_object *r = json_object_new_object();
	char *l;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i % 2 ? 0x01 : 0xff); /* worst case: escapes and replacements */
	json_object_object_add(r, "data", agent_data_string(data, sizeof(data)));
	l = agent_reply_ok(AGENT_ID_MAX, r);
	assert_true(strlen(l) <= AGENT_LINE_MAX);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),         cmocka_unit_test(test_run_full),
		cmocka_unit_test(test_defaults),      cmocka_unit_test(test_every_op),
		cmocka_unit_test(test_copy),          cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_signals),       cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_not_object),    cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_version),       cmocka_unit_test(test_ids),
		cmocka_unit_test(test_members),       cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_types),         cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_names),         cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_overlong_line), cmocka_unit_test(test_depth),
		cmocka_unit_test(test_encode_replies), cmocka_unit_test(test_encode_state),
		cmocka_unit_test(test_encode_stats),  cmocka_unit_test(test_data_utf8),
		cmocka_unit_test(test_data_fits_a_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
