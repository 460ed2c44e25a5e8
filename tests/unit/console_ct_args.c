/* Host unit tests of the `ct` argument parser (kernel/console/ct_args.c): the syntax of issue 9 and every error. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/console/ct_args.h"
#include "kernel/console/parse.h"

static char line[512], err[256];
static struct ct_cmd c;

/* Splits `text` like the console does and parses it; returns ct_parse's result. */
static int ct(const char *text)
{
	char *argv[PARSE_ARGV_MAX];
	const char *serr;
	int argc;

	snprintf(line, sizeof(line), "%s", text);
	argc = parse_split(line, argv, PARSE_ARGV_MAX, &serr);
	assert_true(argc >= 0);
	return ct_parse(argc, argv, &c, err, sizeof(err));
}

static void ok(const char *text)
{
	if (ct(text))
		fail_msg("'%s' was refused: %s", text, err);
}

static void refused(const char *text, const char *msg)
{
	if (!ct(text))
		fail_msg("'%s' was accepted", text);
	assert_string_equal(err, msg);
}

static void test_list_images_stats(void **state)
{
	(void)state;
	ok("list linux0");
	assert_int_equal(c.op, CT_LIST);
	assert_string_equal(c.vm, "linux0");
	assert_false(c.json);
	ok("list linux0 --json");
	assert_true(c.json);
	ok("images --json linux0");
	assert_int_equal(c.op, CT_IMAGES);
	assert_true(c.json);
	ok("stats linux0 web --json");
	assert_int_equal(c.op, CT_STATS);
	assert_string_equal(c.name, "web");
	refused("list", "missing VM");
	refused("list linux0 web", "unexpected word 'web'");
	refused("list linux0 --all", "ct list has no option '--all' (it takes --json)");
	refused("list linux0 --json=1", "option '--json' takes no value");
	refused("stats linux0", "missing NAME");
	refused("list linux0 -- ls", "ct list takes no command after --");
	refused("list averyveryveryverylongvmnameover31", "'averyveryveryverylongvmnameover31' is not a VM name ('vm list' shows them)");
	refused("top linux0", "unknown ct command 'top'; type 'help ct' for the list");
}

static void test_run(void **state)
{
	(void)state;
	ok("run linux0 web busybox");
	assert_int_equal(c.op, CT_RUN);
	assert_string_equal(c.image, "busybox");
	assert_false(c.interactive);
	assert_int_equal(c.nargs, 0);
	assert_int_equal(c.mem, 0);
	/* issue 9: SIZE with K/M/G; --cpus fractional, 0.5 -> cpus_milli 500 */
	ok("run linux0 web busybox --mem=16M --pids=5 --cpus=0.5 --env=A=1 --env B=x=y -i -- sh -c \"echo hi\"");
	assert_int_equal(c.mem, 16777216);
	assert_int_equal(c.pids, 5);
	assert_int_equal(c.cpus_milli, 500);
	assert_int_equal(c.nenv, 2);
	assert_string_equal(c.env[0], "A=1");
	assert_string_equal(c.env[1], "B=x=y");
	assert_true(c.interactive);
	assert_int_equal(c.nargs, 3);
	assert_string_equal(c.args[0], "sh");
	assert_string_equal(c.args[2], "echo hi");
	ok("run linux0 web busybox --mem=1G --cpus=2 -- --not-an-option");
	assert_int_equal(c.mem, 1073741824);
	assert_int_equal(c.cpus_milli, 2000);
	assert_string_equal(c.args[0], "--not-an-option");
	ok("run linux0 web busybox --mem=2048K --cpus=.25 --cpus=1.125");
	assert_int_equal(c.mem, 2097152);
	assert_int_equal(c.cpus_milli, 1125);
	refused("run linux0 web", "missing IMAGE");
	refused("run linux0", "missing NAME");
	refused("run linux0 web busybox sh", "unexpected word 'sh' (a command goes after --)");
	refused("run linux0 -web busybox", "ct run has no option '-web' (it takes --mem=SIZE --pids=N --cpus=N --env=K=V -i)");
	refused("run linux0 .web busybox", "'.web' is not a container name: 1 to 64 of A-Z a-z 0-9 _ . - (not '.' or '-' first), e.g. web-1");
	refused("run linux0 we/b busybox", "'we/b' is not a container name: 1 to 64 of A-Z a-z 0-9 _ . - (not '.' or '-' first), e.g. web-1");
	refused("run linux0 web bu\\$y", "'bu$y' is not an image name; 'ct images linux0' lists them");
	refused("run linux0 web busybox --mem=16Q", "--mem takes a size from 1M to 1T with K, M, G or T, e.g. --mem=64M, not '16Q' (leave it out for no limit)");
	refused("run linux0 web busybox --mem=0", "--mem takes a size from 1M to 1T with K, M, G or T, e.g. --mem=64M, not '0' (leave it out for no limit)");
	refused("run linux0 web busybox --mem=1025G", "--mem takes a size from 1M to 1T with K, M, G or T, e.g. --mem=64M, not '1025G' (leave it out for no limit)");
	refused("run linux0 web busybox --mem=1023K", "--mem takes a size from 1M to 1T with K, M, G or T, e.g. --mem=64M, not '1023K' (leave it out for no limit)");
	ok("run linux0 web busybox --mem=1T --cpus=0.01");
	assert_int_equal(c.mem, 1099511627776ull); /* agent_proto.h: AGENT_MEM_MAX 2^40 */
	assert_int_equal(c.cpus_milli, 10);
	refused("run linux0 web busybox --cpus=0.009", "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, e.g. --cpus=0.5, not '0.009'");
	refused("run linux0 web busybox --mem", "option '--mem' needs a value, e.g. --mem=64M");
	refused("run linux0 web busybox --pids=0", "option '--pids' takes 1 to 4194304, not '0'; e.g. --pids=64");
	refused("run linux0 web busybox --pids=lots", "option '--pids' takes 1 to 4194304, not 'lots'; e.g. --pids=64");
	refused("run linux0 web busybox --cpus=0", "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, e.g. --cpus=0.5, not '0'");
	refused("run linux0 web busybox --cpus=0.0001", "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, e.g. --cpus=0.5, not '0.0001'");
	refused("run linux0 web busybox --cpus=1025", "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, e.g. --cpus=0.5, not '1025'");
	refused("run linux0 web busybox --cpus=1.", "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, e.g. --cpus=0.5, not '1.'");
	refused("run linux0 web busybox --cpus=-1", "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, e.g. --cpus=0.5, not '-1'");
	refused("run linux0 web busybox --env=NOEQUALS", "--env takes K=V, e.g. --env=PATH=/bin, not 'NOEQUALS'");
	refused("run linux0 web busybox --env==v", "--env takes K=V, e.g. --env=PATH=/bin, not '=v'");
	refused("run linux0 web busybox --env=1A=v", "--env: the name in '1A=v' may hold only letters, digits and '_' (not a digit first)");
	refused("run linux0 web busybox -i=1", "option '-i' takes no value");
	refused("run linux0 web busybox --json", "ct run has no option '--json' (it takes --mem=SIZE --pids=N --cpus=N --env=K=V -i)");
}

static void test_exec_logs(void **state)
{
	(void)state;
	ok("exec linux0 web -- ls -l /");
	assert_int_equal(c.op, CT_EXEC);
	assert_int_equal(c.nargs, 3);
	assert_false(c.interactive);
	ok("exec linux0 web -i -- sh");
	assert_true(c.interactive);
	refused("exec linux0 web", "missing the command: put it after --, e.g. ct exec linux0 web -- ps");
	refused("exec linux0 web --", "missing the command: put it after --, e.g. ct exec linux0 web -- ps");
	refused("exec linux0 web ls", "unexpected word 'ls' (a command goes after --)");
	refused("exec linux0 web --mem=1M -- ls", "ct exec has no option '--mem=1M' (it takes -i)");
	ok("logs linux0 web");
	assert_int_equal(c.op, CT_LOGS);
	assert_int_equal(c.lines, 0);
	assert_false(c.follow);
	ok("logs linux0 web -n 20 -f");
	assert_int_equal(c.lines, 20);
	assert_true(c.follow);
	ok("logs linux0 web -n=5");
	assert_int_equal(c.lines, 5);
	refused("logs linux0 web -n", "option '-n' needs a value, e.g. -n 20");
	refused("logs linux0 web -n 0", "option '-n' takes 1 to 1000000, not '0'; e.g. -n 20");
	refused("logs linux0 web -n ten", "option '-n' takes 1 to 1000000, not 'ten'; e.g. -n 20");
	refused("logs linux0 web -x", "ct logs has no option '-x' (it takes -n LINES -f)");
}

static void test_stop_kill_rm(void **state)
{
	(void)state;
	ok("stop linux0 web");
	assert_int_equal(c.op, CT_STOP);
	assert_int_equal(c.timeout_s, 0);
	ok("stop linux0 web --timeout 30");
	assert_int_equal(c.timeout_s, 30);
	ok("stop linux0 web --timeout=3600");
	refused("stop linux0 web --timeout 0", "option '--timeout' takes 1 to 3600, not '0'; e.g. --timeout 30");
	refused("stop linux0 web --timeout 3601", "option '--timeout' takes 1 to 3600, not '3601'; e.g. --timeout 30");
	refused("stop linux0 web --timeout", "option '--timeout' needs a value, e.g. --timeout 30");
	ok("kill linux0 web");
	assert_null(c.signal);
	ok("kill linux0 web TERM");
	assert_string_equal(c.signal, "TERM");
	ok("kill linux0 web SIGKILL");
	ok("kill linux0 web 9");
	ok("kill linux0 web 64");
	static const char *const bad_signals[] = { "0", "65", "09", "term", "SIGFOO", "9x", "" };
	for (size_t i = 0; i < sizeof(bad_signals) / sizeof(bad_signals[0]); i++)
		assert_int_equal(ct_check_signal(bad_signals[i]), -1);
	refused("kill linux0 web FOO", "'FOO' is not a signal: a number 1 to 64 or a name such as TERM, KILL, HUP, INT");
	refused("kill linux0 web TERM now", "unexpected word 'now'");
	refused("kill linux0 web --json", "ct kill takes no options, not '--json'");
	ok("rm linux0 web");
	assert_int_equal(c.op, CT_RM);
	refused("rm linux0", "missing NAME");
	refused("rm linux0 web -f", "ct rm takes no options, not '-f'");
}

static void test_names(void **state)
{
	char n64[80], n65[80];
	(void)state;
	memset(n64, 'a', 64);
	n64[64] = 0;
	memset(n65, 'a', 65);
	n65[65] = 0;
	/* agent_proto.h: 1..64 of [A-Za-z0-9_.-], not starting with '.' or '-' */
	assert_int_equal(ct_check_name(n64), 0);
	assert_int_equal(ct_check_name(n65), -1);
	assert_int_equal(ct_check_name("a.b-c_D9"), 0);
	assert_int_equal(ct_check_name(""), -1);
	assert_int_equal(ct_check_name("-a"), -1);
	assert_int_equal(ct_check_name("a b"), -1);
	assert_int_equal(ct_check_name("\xc3\xa9"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_images_stats), cmocka_unit_test(test_run), cmocka_unit_test(test_exec_logs),
		cmocka_unit_test(test_stop_kill_rm),      cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
