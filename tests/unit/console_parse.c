/* Host unit tests of the console parser (words, quotes, numbers, sizes, options) and text escaping. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/console/escape.h"
#include "kernel/console/parse.h"

static int split(const char *text, char *line, char **argv, const char **err)
{
	strcpy(line, text);
	*err = NULL;
	return parse_split(line, argv, PARSE_ARGV_MAX, err);
}

static void test_split_words(void **state)
{
	char line[256], *argv[PARSE_ARGV_MAX];
	const char *err;

	(void)state;
	assert_int_equal(split("  vm   start\tweb  ", line, argv, &err), 3);
	assert_string_equal(argv[0], "vm");
	assert_string_equal(argv[1], "start");
	assert_string_equal(argv[2], "web");
	assert_int_equal(split("", line, argv, &err), 0);
	assert_int_equal(split("   \t ", line, argv, &err), 0);
}

static void test_split_quotes(void **state)
{
	char line[256], *argv[PARSE_ARGV_MAX];
	const char *err;

	(void)state;
	assert_int_equal(split("echo \"a b\" \"\" x\"y z\"w", line, argv, &err), 4);
	assert_string_equal(argv[1], "a b");
	assert_string_equal(argv[2], "");
	assert_string_equal(argv[3], "xy zw");
	assert_int_equal(split("say \"he said \\\"hi\\\" \\\\ \\n\"", line, argv, &err), 2);
	assert_string_equal(argv[1], "he said \"hi\" \\ \\n");
	assert_int_equal(split("a\\ b \\\"c", line, argv, &err), 2);
	assert_string_equal(argv[0], "a b");
	assert_string_equal(argv[1], "\"c");
}

static void test_split_errors(void **state)
{
	char line[256], *argv[PARSE_ARGV_MAX];
	const char *err;

	(void)state;
	assert_int_equal(split("vm start \"web", line, argv, &err), -1);
	assert_non_null(strstr(err, "unterminated quote"));
	assert_int_equal(split("echo \"a\\\"", line, argv, &err), -1);
	assert_non_null(strstr(err, "unterminated quote"));
	assert_int_equal(split("echo a\\", line, argv, &err), -1);
	assert_non_null(strstr(err, "backslash"));
}

static void test_split_too_many(void **state)
{
	char line[256], *argv[PARSE_ARGV_MAX];
	const char *err;
	char text[256] = "";

	(void)state;
	for (int i = 0; i < PARSE_ARGV_MAX; i++)
		strcat(text, "w ");
	assert_int_equal(split(text, line, argv, &err), PARSE_ARGV_MAX);
	strcat(text, "x");
	assert_int_equal(split(text, line, argv, &err), -1);
	assert_non_null(strstr(err, "too many"));
}

static void test_u64(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("12345", &v), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(parse_u64("0x1F", &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", &v), -1);
	assert_int_equal(parse_u64("0x10000000000000000", &v), -1);
	assert_int_equal(parse_u64("", &v), -1);
	assert_int_equal(parse_u64("-1", &v), -1);
	assert_int_equal(parse_u64("12a", &v), -1);
	assert_int_equal(parse_u64("0x", &v), -1);
	assert_int_equal(parse_u64(" 1", &v), -1);
}

static void test_size(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64M", &v), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(parse_size("1G", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(parse_size("2GiB", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(parse_size("16k", &v), 0);
	assert_int_equal(v, 16ull << 10);
	assert_int_equal(parse_size("3T", &v), 0);
	assert_int_equal(v, 3ull << 40);
	assert_int_equal(parse_size("512MB", &v), 0);
	assert_int_equal(v, 512ull << 20);
}

static void test_size_errors(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(parse_size("64X", &v), -1);
	assert_int_equal(parse_size("M", &v), -1);
	assert_int_equal(parse_size("64MiBs", &v), -1);
	assert_int_equal(parse_size("64 M", &v), -1);
	assert_int_equal(parse_size("17179869184G", &v), -1); /* 2^34 GiB = 2^64: overflow */
	assert_int_equal(parse_size("16777215T", &v), 0);
	assert_int_equal(parse_size("16777216T", &v), -1);
	assert_int_equal(parse_size("", &v), -1);
}

static int opts_of(char *text, char **argv, int *argc, struct parse_opt *o, size_t n, char *err)
{
	const char *serr;

	*argc = parse_split(text, argv, PARSE_ARGV_MAX, &serr);
	err[0] = '\0';
	return parse_opts(argc, argv, o, n, err, PARSE_ERR_MAX);
}

static void test_opts(void **state)
{
	char line[] = "log a -n 5 --json -- -x b", err[PARSE_ERR_MAX], *argv[PARSE_ARGV_MAX];
	struct parse_opt o[] = { { .name = "--json" }, { .name = "-n", .takes_number = true } };
	int argc;

	(void)state;
	assert_int_equal(opts_of(line, argv, &argc, o, 2, err), 0);
	assert_true(o[0].seen);
	assert_true(o[1].seen);
	assert_int_equal(o[1].value, 5);
	assert_int_equal(argc, 4);
	assert_string_equal(argv[0], "log");
	assert_string_equal(argv[1], "a");
	assert_string_equal(argv[2], "-x");
	assert_string_equal(argv[3], "b");
	assert_ptr_equal(parse_opt_find(o, 2, "-n"), &o[1]);
	assert_null(parse_opt_find(o, 2, "-q"));
}

static void test_opts_equals_form(void **state)
{
	char line[] = "log -n=0x10", err[PARSE_ERR_MAX], *argv[PARSE_ARGV_MAX];
	struct parse_opt o[] = { { .name = "-n", .takes_number = true } };
	int argc;

	(void)state;
	assert_int_equal(opts_of(line, argv, &argc, o, 1, err), 0);
	assert_int_equal(o[0].value, 16);
	assert_int_equal(argc, 1);
}

static void test_opts_errors(void **state)
{
	char l1[] = "log --jsn", l2[] = "log -n", l3[] = "log -n ten", l4[] = "log --json=1";
	char err[PARSE_ERR_MAX], *argv[PARSE_ARGV_MAX];
	struct parse_opt o[] = { { .name = "--json" }, { .name = "-n", .takes_number = true } };
	int argc;

	(void)state;
	assert_int_equal(opts_of(l1, argv, &argc, o, 2, err), -1);
	assert_string_equal(err, "unknown option '--jsn'");
	assert_int_equal(opts_of(l2, argv, &argc, o, 2, err), -1);
	assert_string_equal(err, "option '-n' needs a number");
	assert_int_equal(opts_of(l3, argv, &argc, o, 2, err), -1);
	assert_string_equal(err, "option '-n' needs a number, not 'ten'");
	assert_int_equal(opts_of(l4, argv, &argc, o, 2, err), -1);
	assert_string_equal(err, "option '--json' takes no value");
}

static void test_escape_text(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(escape_text("plain text", out, sizeof(out)), "plain text");
	assert_string_equal(escape_text("a\x1b[2Jb", out, sizeof(out)), "a\\x1b[2Jb");
	assert_string_equal(escape_text("\r\n\x7f\xff", out, sizeof(out)), "\\x0d\\x0a\\x7f\\xff");
	assert_string_equal(escape_text("\x1b\x1b", out, 6), "\\x1b"); /* truncated at a whole escape */
	assert_null(strchr(escape_text("\x1b\x1b\x1b\x1b", out, 10), 0x1b));
}

static void test_escape_json(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(escape_json("say \"hi\" \\", out, sizeof(out)), "say \\\"hi\\\" \\\\");
	assert_string_equal(escape_json("\x01\n\xc3\xa9", out, sizeof(out)), "\\u0001\\u000a\\u00c3\\u00a9");
	assert_string_equal(escape_json("abc", out, 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_split_quotes),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_split_too_many),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_size_errors),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_opts_equals_form),
		cmocka_unit_test(test_opts_errors),
		cmocka_unit_test(test_escape_text),
		cmocka_unit_test(test_escape_json),
	};

	return cmocka_run_group_tests_name("console_parse", tests, NULL, NULL);
}
