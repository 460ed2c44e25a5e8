/* Unit tests: the container state machine and signal names. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "signals.h"
#include "state.h"

static void test_derive(void **state)
{
	(void)state;
	assert_int_equal(status_derive(false, true, true), ST_STOPPED);
	assert_int_equal(status_derive(false, false, false), ST_STOPPED);
	assert_int_equal(status_derive(true, true, false), ST_CREATED);
	assert_int_equal(status_derive(true, false, false), ST_RUNNING);
	assert_int_equal(status_derive(true, false, true), ST_PAUSED);
	assert_int_equal(status_derive(true, true, true), ST_PAUSED);
	assert_string_equal(status_name(ST_CREATED), "created");
	assert_string_equal(status_name(ST_PAUSED), "paused");
}

/* The transition table: which operation each status allows, as runc does. */
static void test_allows(void **state)
{
	static const struct {
		enum ct_op op;
		bool ok[5]; /* creating, created, running, paused, stopped */
	} table[] = {
		{ OP_START, { false, true, false, false, false } },
		{ OP_EXEC, { false, true, true, false, false } },
		{ OP_KILL, { true, true, true, true, false } },
		{ OP_DELETE, { false, true, false, false, true } },
		{ OP_DELETE_FORCE, { true, true, true, true, true } },
		{ OP_PAUSE, { false, true, true, false, false } },
		{ OP_RESUME, { false, false, false, true, false } },
	};
	struct rt_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		for (int s = 0; s < 5; s++) {
			int r = status_allows(table[i].op, (enum ct_status)s, "c", &e);

			if ((r == 0) != table[i].ok[s])
				fail_msg("op %d in status %s: got %d", table[i].op,
					 status_name((enum ct_status)s), r);
		}
	assert_int_equal(status_allows(OP_DELETE, ST_RUNNING, "web", &e), -1);
	assert_non_null(strstr(e.msg, "web"));
	assert_non_null(strstr(e.msg, "--force"));
	assert_int_equal(status_allows(OP_KILL, ST_STOPPED, "web", &e), -1);
	assert_string_equal(e.msg, "container not running");
}

static void test_signals(void **state)
{
	(void)state;
	/* signal(7), x86-64 numbering; the real-time signals run to 64 (_NSIG - 1). */
	assert_int_equal(signal_parse("KILL"), 9);
	assert_int_equal(signal_parse("SIGTERM"), 15);
	assert_int_equal(signal_parse("sigusr1"), 10);
	assert_int_equal(signal_parse("SigHup"), 1);
	assert_int_equal(signal_parse("WINCH"), 28);
	assert_int_equal(signal_parse("SYS"), 31);
	assert_int_equal(signal_parse("9"), 9);
	assert_int_equal(signal_parse("1"), 1);
	assert_int_equal(signal_parse("64"), 64);
	assert_int_equal(signal_parse("65"), -1);
	assert_int_equal(signal_parse("99"), -1);
	assert_int_equal(signal_parse("99999999999999999999"), -1);
	assert_int_equal(signal_parse("0"), -1);
	assert_int_equal(signal_parse("9x"), -1);
	assert_int_equal(signal_parse("+9"), -1);
	assert_int_equal(signal_parse("-9"), -1);
	assert_int_equal(signal_parse(" 9"), -1);
	assert_int_equal(signal_parse(""), -1);
	assert_int_equal(signal_parse("SIG"), -1);
	assert_int_equal(signal_parse("SIGSIGKILL"), -1);
	assert_int_equal(signal_parse("NOPE"), -1);
}

static void test_oci_json(void **state)
{
	struct ct_state st = { .id = "c1", .pid = 42, .bundle = "/b", .rootfs = "/b/rootfs",
			       .created = "2020", .cgroup = "" };
	struct json_object *o = state_to_oci_json(&st, ST_STOPPED);

	(void)state;
	assert_int_equal(json_object_get_int(json_object_object_get(o, "pid")), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "status")), "stopped");
	json_object_put(o);
	o = state_to_oci_json(&st, ST_RUNNING);
	assert_int_equal(json_object_get_int(json_object_object_get(o, "pid")), 42);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_allows),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_oci_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
