/* Host unit tests of the agent's bounded buffers: the line reader (agent_proto.h "Channel": lines of
 * at most AGENT_LINE_MAX bytes with their "\n", longer ones skipped to their "\n" and reported
 * once, empty lines ignored) and the log ring (offsets since start, the last AGENT_LOG_MAX kept). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "linebuf.h"
#include "logring.h"

static struct agent_linebuf lb;
static char got[8][64];
static size_t got_len[8];
static int n_lines, n_overlong;

static void on_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	if (n_lines < 8) {
		got_len[n_lines] = len;
		memcpy(got[n_lines], line, len < 64 ? len : 64);
	}
	n_lines++;
}

static void on_overlong(void *ctx)
{
	(void)ctx;
	n_overlong++;
}

static const struct agent_line_sink sink = { on_line, on_overlong, NULL };

static int setup(void **state)
{
	(void)state;
	agent_linebuf_init(&lb);
	n_lines = n_overlong = 0;
	return 0;
}

static void feed(const char *s)
{
	agent_linebuf_feed(&lb, s, strlen(s), &sink);
}

static void test_lines_and_pieces(void **state)
{
	(void)state;
	feed("ab");
	assert_int_equal(n_lines, 0);
	feed("c\nd\n\n\nef");
	assert_int_equal(n_lines, 2);
	assert_int_equal(got_len[0], 3);
	assert_memory_equal(got[0], "abc", 3);
	assert_int_equal(got_len[1], 1);
	feed("\n");
	assert_int_equal(n_lines, 3);
	assert_memory_equal(got[2], "ef", 2);
	assert_int_equal(n_overlong, 0);
}

static void test_longest_line_fits(void **state)
{
	char *s = malloc(AGENT_LINE_MAX);

	(void)state;
	memset(s, 'x', AGENT_LINE_MAX - 1);
	s[AGENT_LINE_MAX - 1] = '\n'; /* AGENT_LINE_MAX bytes including the "\n" */
	agent_linebuf_feed(&lb, s, 100, &sink);
	agent_linebuf_feed(&lb, s + 100, AGENT_LINE_MAX - 100, &sink);
	assert_int_equal(n_lines, 1);
	assert_int_equal(got_len[0], AGENT_LINE_MAX - 1);
	assert_int_equal(n_overlong, 0);
	free(s);
}

static void test_overlong_skipped(void **state)
{
	char *s = malloc(AGENT_LINE_MAX + 1);

	(void)state;
	memset(s, 'x', AGENT_LINE_MAX + 1);
	s[AGENT_LINE_MAX] = '\n'; /* one byte too many */
	agent_linebuf_feed(&lb, s, AGENT_LINE_MAX - 1, &sink);
	assert_int_equal(n_overlong, 0);
	agent_linebuf_feed(&lb, s, 1, &sink); /* the byte that cannot fit */
	assert_int_equal(n_overlong, 1);
	for (int i = 0; i < 5; i++) /* more of the same line: reported once, never kept */
		agent_linebuf_feed(&lb, s, AGENT_LINE_MAX - 1, &sink);
	assert_int_equal(n_overlong, 1);
	assert_true(lb.len == 0 && lb.skipping);
	feed("tail\nnext\n");
	assert_int_equal(n_lines, 1);
	assert_memory_equal(got[0], "next", 4);
	/* an overlong line arriving in one piece, followed by a good one in the same read */
	memcpy(s + AGENT_LINE_MAX - 3, "\nok", 3);
	s[AGENT_LINE_MAX] = '\n';
	memset(s, 'y', AGENT_LINE_MAX - 3);
	agent_linebuf_feed(&lb, s, AGENT_LINE_MAX - 3, &sink); /* fits so far */
	agent_linebuf_feed(&lb, "zzz\nok\n", 7, &sink);
	assert_int_equal(n_overlong, 2);
	assert_int_equal(n_lines, 2);
	assert_memory_equal(got[1], "ok", 2);
	free(s);
}

static void test_ring_small(void **state)
{
	struct agent_logring r;
	char out[32];
	uint64_t start;
	size_t n;

	(void)state;
	assert_int_equal(agent_logring_init(&r, 8), 0);
	n = agent_logring_read(&r, 0, out, sizeof(out), &start);
	assert_int_equal(n, 0);
	assert_int_equal(start, 0);
	agent_logring_append(&r, "abcde", 5);
	n = agent_logring_read(&r, 2, out, sizeof(out), &start);
	assert_int_equal(n, 3);
	assert_int_equal(start, 2);
	assert_memory_equal(out, "cde", 3);
	agent_logring_append(&r, "fghij", 5); /* 10 written, 8 kept: "cdefghij" */
	assert_int_equal(r.end, 10);
	assert_int_equal(agent_logring_first(&r), 2);
	n = agent_logring_read(&r, 0, out, sizeof(out), &start);
	assert_int_equal(start, 2); /* "start" > "from": two bytes lost to the bound */
	assert_int_equal(n, 8);
	assert_memory_equal(out, "cdefghij", 8);
	n = agent_logring_read(&r, 5, out, 2, &start); /* at most max bytes */
	assert_int_equal(n, 2);
	assert_memory_equal(out, "fg", 2);
	n = agent_logring_read(&r, 99, out, sizeof(out), &start); /* beyond the end */
	assert_int_equal(n, 0);
	assert_int_equal(start, 10);
	agent_logring_append(&r, "0123456789ABCDEF", 16); /* more than the ring at once */
	assert_int_equal(r.end, 26);
	n = agent_logring_read(&r, 0, out, sizeof(out), &start);
	assert_int_equal(start, 18);
	assert_memory_equal(out, "89ABCDEF", 8);
	agent_logring_free(&r);
}

static void test_ring_last_lines(void **state)
{
	struct agent_logring r;

	(void)state;
	assert_int_equal(agent_logring_init(&r, AGENT_LOG_MAX), 0);
	assert_int_equal(agent_logring_last_lines(&r, 3), 0);
	agent_logring_append(&r, "one\ntwo\nthree\n", 14);
	assert_int_equal(agent_logring_last_lines(&r, 1), 8);  /* "three\n" */
	assert_int_equal(agent_logring_last_lines(&r, 2), 4);  /* "two\nthree\n" */
	assert_int_equal(agent_logring_last_lines(&r, 3), 0);
	assert_int_equal(agent_logring_last_lines(&r, 9), 0);
	assert_int_equal(agent_logring_last_lines(&r, 0), 14); /* 0: nothing */
	agent_logring_append(&r, "four", 4);                  /* a last line without "\n" */
	assert_int_equal(agent_logring_last_lines(&r, 1), 14);
	assert_int_equal(agent_logring_last_lines(&r, 2), 8);
	agent_logring_free(&r);
}

static void test_ring_bound(void **state)
{
	struct agent_logring r;
	char *big = malloc(AGENT_LOG_MAX * 3), *out = malloc(AGENT_LOG_MAX);
	uint64_t start;

	(void)state;
	for (size_t i = 0; i < AGENT_LOG_MAX * 3; i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(agent_logring_init(&r, AGENT_LOG_MAX), 0);
	for (size_t i = 0; i < 3 * AGENT_LOG_MAX; i += 1000)
		agent_logring_append(&r, big + i, i + 1000 <= 3 * AGENT_LOG_MAX ? 1000 : 3 * AGENT_LOG_MAX - i);
	assert_int_equal(agent_logring_read(&r, 0, out, AGENT_LOG_MAX, &start), AGENT_LOG_MAX);
	assert_int_equal(start, 2 * AGENT_LOG_MAX);
	assert_memory_equal(out, big + 2 * AGENT_LOG_MAX, AGENT_LOG_MAX);
	agent_logring_free(&r);
	free(big);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lines_and_pieces, setup),
		cmocka_unit_test_setup(test_longest_line_fits, setup),
		cmocka_unit_test_setup(test_overlong_skipped, setup),
		cmocka_unit_test(test_ring_small),
		cmocka_unit_test(test_ring_last_lines),
		cmocka_unit_test(test_ring_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
