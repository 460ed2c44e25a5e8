/* Host unit tests of the one JSON parser (RFC 8259) and the agent protocol codec (include/bulwark/agent_proto.h). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hypervisor/agent/agent_codec.h"
#include "hypervisor/agent/agent_result.h"
#include "kernel/console/console.h"

/* json.c writes to the console only without a sink; the codec always gives one. */
void console_write(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
	fail_msg("the agent codec wrote to the console");
}

static const struct json_limits loose = {
	.depth_max = 8, .str_max = 64, .key_max = 16, .members_max = 8, .num_max = 24,
};

static struct json_tok toks[256];

static int parse(struct json_doc *d, const char *text, const char **err)
{
	*err = NULL;
	return json_parse(d, text, strlen(text), toks, 256, &loose, err);
}

static void test_parse_nested(void **state)
{
	struct json_doc d;
	const char *err;
	char s[32];
	int64_t v;
	bool b;
	int a, e;

	(void)state;
	assert_int_equal(parse(&d, " {\"a\":[1,{\"b\":\"x\\u00e9\\ud83d\\ude00\"},[]],\"c\":null,\"d\":-0.5e+3,\"t\":true} ",
			       &err), 0);
	a = json_get(&d, 0, "a");
	assert_int_equal(json_type_of(&d, a), JSON_ARRAY);
	assert_int_equal(d.tok[a].count, 3);
	e = json_first(&d, a);
	assert_int_equal(json_get_int(&d, e, 0, 10, &v), 0);
	assert_int_equal(v, 1);
	e = json_after(&d, e);
	assert_int_equal(json_type_of(&d, e), JSON_OBJECT);
	/* U+00E9 is C3 A9, U+1F600 (the surrogate pair D83D DE00) is F0 9F 98 80 (RFC 3629, RFC 8259 7) */
	assert_int_equal(json_get_str(&d, json_get(&d, e, "b"), s, sizeof(s), NULL), 0);
	assert_string_equal(s, "x\xc3\xa9\xf0\x9f\x98\x80");
	e = json_after(&d, e);
	assert_int_equal(json_type_of(&d, e), JSON_ARRAY);
	assert_int_equal(json_first(&d, e), -1);
	assert_int_equal(json_after(&d, e), -1); /* the last element */
	assert_int_equal(json_type_of(&d, json_get(&d, 0, "c")), JSON_NULL);
	assert_int_equal(json_get_int(&d, json_get(&d, 0, "d"), INT64_MIN, INT64_MAX, &v), -1); /* not an integer */
	assert_int_equal(json_get_bool(&d, json_get(&d, 0, "t"), &b), 0);
	assert_true(b);
	assert_int_equal(json_get(&d, 0, "nope"), -1);
	assert_int_equal(json_get(&d, a, "a"), -1); /* not an object */
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{a:1}", "[1 2]", "01", "-", "1.", "1e",
		".5", "+1", "\"x", "\"\\q\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
		"\"tab\there\"", "nul", "truex", "[1]]", "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "\x01",
	};
	struct json_doc d;
	const char *err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&d, bad[i], &err), -1);
		assert_non_null(err);
	}
}

static void test_parse_bounds(void **state)
{
	char text[1024];
	struct json_doc d;
	const char *err;

	(void)state;
	/* depth: 8 arrays are allowed, 9 are not */
	assert_int_equal(parse(&d, "[[[[[[[[1]]]]]]]]", &err), 0);
	assert_int_equal(parse(&d, "[[[[[[[[[1]]]]]]]]]", &err), -1);
	assert_string_equal(err, "nested too deeply");
	/* string length: 64 bytes decoded pass, 65 fail; an escape counts as what it decodes to */
	snprintf(text, sizeof(text), "\"%064d\"", 0);
	assert_int_equal(parse(&d, text, &err), 0);
	snprintf(text, sizeof(text), "\"%065d\"", 0);
	assert_int_equal(parse(&d, text, &err), -1);
	assert_string_equal(err, "string too long");
	/* members: 8 pass, 9 fail */
	assert_int_equal(parse(&d, "[1,2,3,4,5,6,7,8]", &err), 0);
	assert_int_equal(parse(&d, "[1,2,3,4,5,6,7,8,9]", &err), -1);
	assert_int_equal(parse(&d, "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1}", &err), -1);
	/* a number literal over 24 characters, a key over 16 bytes */
	assert_int_equal(parse(&d, "1234567890123456789012345", &err), -1);
	assert_int_equal(parse(&d, "{\"abcdefghijklmnopq\":1}", &err), -1);
	/* tokens: more values than the caller's array */
	assert_int_equal(json_parse(&d, "[1,2,3]", 7, toks, 3, &loose, &err), -1);
	assert_string_equal(err, "too many values");
}

static void test_int_range(void **state)
{
	struct json_doc d;
	const char *err;
	int64_t v;

	(void)state;
	assert_int_equal(parse(&d, "[9223372036854775807,-9223372036854775808,9223372036854775808,5]", &err), 0);
	assert_int_equal(json_get_int(&d, 1, INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(json_get_int(&d, 2, INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(json_get_int(&d, 3, INT64_MIN, INT64_MAX, &v), -1); /* 2^63 overflows */
	assert_int_equal(json_get_int(&d, 4, 0, 4, &v), -1);                  /* over the caller's max */
	assert_int_equal(json_get_int(&d, 4, 6, 9, &v), -1);                  /* under the caller's min */
}

static void test_request_bytes(void **state)
{
	char buf[128];
	struct agent_request r;

	(void)state;
	agent_request_begin(&r, buf, sizeof(buf), 7, "kill");
	json_string(&r.json, "name", "web\"1");
	json_string(&r.json, "signal", "TERM");
	/* agent_proto.h: {"v":1,"id":7,"op":...,"args":{...}} and one "\n" */
	long n = agent_request_end(&r);
	assert_true(n > 0 && n < (long)sizeof(buf));
	buf[n] = '\0';
	assert_int_equal(n, (long)strlen(buf));
	assert_string_equal(buf, "{\"v\":1,\"id\":7,\"op\":\"kill\",\"args\":{\"name\":\"web\\\"1\",\"signal\":\"TERM\"}}\n");
	agent_request_begin(&r, buf, 20, 1, "list");
	assert_int_equal(agent_request_end(&r), -1); /* does not fit */
}

static int decode(const char *line, struct agent_msg *m, char *err)
{
	err[0] = 0;
	return agent_decode(line, strlen(line), toks, 256, m, err, 160);
}

static void test_decode_envelope(void **state)
{
	struct agent_msg m;
	char err[160];

	(void)state;
	assert_int_equal(decode("{\"v\":1,\"id\":7,\"ok\":true,\"result\":{\"x\":1},\"extra\":[]}", &m, err), 0);
	assert_int_equal(m.kind, AGENT_MSG_REPLY);
	assert_int_equal(m.id, 7);
	assert_true(m.ok);
	assert_int_equal(json_type_of(&m.doc, m.result), JSON_OBJECT);
	assert_int_equal(decode("{\"v\":1,\"id\":8,\"ok\":false,\"error\":{\"code\":\"ENOENT\","
				"\"message\":\"no container named web\"}}", &m, err), 0);
	assert_false(m.ok);
	assert_string_equal(m.code, "ENOENT");
	assert_string_equal(m.message, "no container named web");
	assert_int_equal(decode("{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"a\"}}", &m, err), 0);
	assert_int_equal(m.kind, AGENT_MSG_EVENT);
	assert_string_equal(m.event, "exited");
	static const char *const bad[] = {
		"[]", "{}", "{\"v\":2,\"id\":1,\"ok\":true,\"result\":{}}", "{\"v\":\"1\",\"id\":1,\"ok\":true,\"result\":{}}",
		"{\"v\":1,\"ok\":true,\"result\":{}}", "{\"v\":1,\"id\":0,\"ok\":true,\"result\":{}}",
		"{\"v\":1,\"id\":2147483648,\"ok\":true,\"result\":{}}", "{\"v\":1,\"id\":1.0,\"ok\":true,\"result\":{}}",
		"{\"v\":1,\"id\":99999999999999999999,\"ok\":true,\"result\":{}}", "{\"v\":1,\"id\":1,\"result\":{}}",
		"{\"v\":1,\"id\":1,\"ok\":true}", "{\"v\":1,\"id\":1,\"ok\":true,\"result\":[]}",
		"{\"v\":1,\"id\":1,\"ok\":false}", "{\"v\":1,\"id\":1,\"ok\":false,\"error\":{\"message\":\"x\"}}",
		"{\"v\":1,\"id\":1,\"ok\":false,\"error\":{\"code\":\"EVERYTHINGISBROKEN\",\"message\":\"x\"}}",
		"{\"v\":1,\"event\":\"exited\"}", "{\"v\":1,\"event\":5,\"data\":{}}", "garbage", "{\"v\":1,",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode(bad[i], &m, err), -1);
		assert_true(err[0] != 0);
	}
	assert_int_equal(decode("{\"v\":2,\"id\":1,\"ok\":true,\"result\":{}}", &m, err), -1);
	assert_string_equal(err, "protocol version 2, not 1");
}

static void test_result_state(void **state)
{
	struct agent_msg m;
	struct agent_ct_state st;
	char err[160], text[48];

	(void)state;
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"containers\":[{\"name\":\"web\",\"image\":"
				"\"busybox\",\"state\":\"stopped\",\"pid\":0,\"created\":1700000000,\"exit\":{\"code\":null,"
				"\"signal\":9,\"reason\":\"killed\"}}]}}", &m, err), 0);
	int arr = agent_result_array(&m.doc, m.result, "containers", err, sizeof(err));
	assert_true(arr > 0);
	assert_int_equal(agent_result_state(&m.doc, json_first(&m.doc, arr), &st, err, sizeof(err)), 0);
	assert_string_equal(st.name, "web");
	assert_string_equal(st.state, "stopped");
	assert_true(st.exit.present);
	agent_exit_text(&st.exit, text, sizeof(text));
	assert_string_equal(text, "killed by signal 9");
	/* missing members, huge numbers, unknown states, an unknown reason */
	static const char *const bad[] = {
		"{\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"running\",\"pid\":1e30,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"running\",\"pid\":2147483648,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"running\",\"pid\":-1,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"zombie\",\"pid\":1,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1,\"exit\":{\"reason\":\"bored\"}}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1,\"exit\":{\"code\":256,"
		"\"reason\":\"exited\"}}",
		"{\"name\":\"a\\u0000b\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1,\"exit\":7}",
		/* names the console would print as they are: agent_proto.h allows [A-Za-z0-9_.-] only */
		"{\"name\":\"\\u001b[2J\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"b\\u0007\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"-a\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"a b\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"a\",\"image\":\"../b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
		"{\"name\":\"\",\"image\":\"b\",\"state\":\"running\",\"pid\":1,\"created\":1}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[512];
		snprintf(line, sizeof(line), "{\"v\":1,\"id\":1,\"ok\":true,\"result\":%s}", bad[i]);
		assert_int_equal(decode(line, &m, err), 0);
		assert_int_equal(agent_result_state(&m.doc, m.result, &st, err, sizeof(err)), -1);
	}
}

static void test_names(void **state)
{
	struct agent_msg m;
	struct agent_image im;
	char err[160], longest[AGENT_NAME_MAX + 2];

	(void)state;
	assert_true(agent_name_ok("web-1_a.b", 9));
	memset(longest, 'n', sizeof(longest));
	longest[AGENT_NAME_MAX] = '\0';
	assert_true(agent_name_ok(longest, AGENT_NAME_MAX));
	longest[AGENT_NAME_MAX] = 'n';
	longest[AGENT_NAME_MAX + 1] = '\0';
	assert_false(agent_name_ok(longest, AGENT_NAME_MAX + 1));
	assert_false(agent_name_ok("", 0));
	assert_false(agent_name_ok(".a", 2));
	assert_false(agent_name_ok("a\0b", 3));
	assert_false(agent_name_ok("a/b", 3));
	assert_false(agent_name_ok("\x1b[2J", 4));
	/* an image's name and ref reach the terminal: no control bytes */
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"name\":\"busybox\",\"ref\":\"1.36:latest\","
				"\"size\":1}}", &m, err), 0);
	assert_int_equal(agent_result_image(&m.doc, m.result, &im, err, sizeof(err)), 0);
	assert_string_equal(im.ref, "1.36:latest");
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"name\":\"\\u001b[2Jimg\",\"size\":1}}", &m,
				err), 0);
	assert_int_equal(agent_result_image(&m.doc, m.result, &im, err, sizeof(err)), -1);
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"name\":\"img\",\"ref\":\"\\u001b]0;x\\u0007\","
				"\"size\":1}}", &m, err), 0);
	assert_int_equal(agent_result_image(&m.doc, m.result, &im, err, sizeof(err)), -1);
}

static void test_result_stats_logs(void **state)
{
	struct agent_msg m;
	struct agent_stats s;
	struct agent_logs l;
	char err[160], data[16];

	(void)state;
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"memory_bytes\":4096,\"memory_max\":null,"
				"\"cpu_usec\":10,\"cpu_max_milli\":500,\"pids\":1,\"pids_max\":5,\"oom_kills\":0}}", &m, err), 0);
	assert_int_equal(agent_result_stats(&m.doc, m.result, &s, err, sizeof(err)), 0);
	assert_int_equal(s.memory_max, -1);
	assert_int_equal(s.memory_peak, -1);
	assert_int_equal(s.cpu_max_milli, 500);
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"memory_bytes\":9007199254740993,"
				"\"memory_max\":null,\"cpu_usec\":10,\"cpu_max_milli\":500,\"pids\":1,\"pids_max\":5,"
				"\"oom_kills\":0}}", &m, err), 0);
	assert_int_equal(agent_result_stats(&m.doc, m.result, &s, err, sizeof(err)), -1); /* over 2^53 */
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"data\":\"hi\\n\",\"offset\":3,\"start\":0,"
				"\"running\":false}}", &m, err), 0);
	assert_int_equal(agent_result_logs(&m.doc, m.result, data, sizeof(data), &l, err, sizeof(err)), 0);
	assert_string_equal(data, "hi\n");
	assert_int_equal(l.offset, 3);
	assert_false(l.running);
	assert_int_equal(decode("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"data\":\"0123456789abcdefg\",\"offset\":3,"
				"\"start\":0,\"running\":false}}", &m, err), 0);
	assert_int_equal(agent_result_logs(&m.doc, m.result, data, sizeof(data), &l, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_nested),     cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_parse_bounds),     cmocka_unit_test(test_int_range),
		cmocka_unit_test(test_request_bytes),    cmocka_unit_test(test_decode_envelope),
		cmocka_unit_test(test_result_state),     cmocka_unit_test(test_result_stats_logs),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
