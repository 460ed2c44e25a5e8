/* Host unit tests of the console line editor: keys, escapes, history, completion, overlong lines, fuzz. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/console/lineedit.h"

#define OUT_MAX (1 << 16)
#define LINES_MAX 64

/* What the editor did: terminal output (kept to the last OUT_MAX bytes) and executed lines. */
struct capture {
	char out[OUT_MAX + 1];
	size_t out_len;
	size_t out_total;
	char lines[LINES_MAX][LINEEDIT_LINE_MAX + 1];
	size_t nlines;
	size_t executed; /* all executions, also past LINES_MAX */
	char last[LINEEDIT_LINE_MAX + 1];
};

static struct capture cap;
static struct lineedit le;

static void cap_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	cap.out_total += len;
	if (len > OUT_MAX - cap.out_len)
		cap.out_len = 0; /* keep the tail */
	if (len > OUT_MAX)
		return;
	memcpy(cap.out + cap.out_len, buf, len);
	cap.out_len += len;
	cap.out[cap.out_len] = '\0';
}

static void cap_execute(void *ctx, char *line)
{
	(void)ctx;
	assert_true(strlen(line) <= LINEEDIT_LINE_MAX);
	if (cap.nlines < LINES_MAX)
		strcpy(cap.lines[cap.nlines++], line);
	strcpy(cap.last, line);
	cap.executed++;
}

static const char *const names[] = { "help", "info", "log", "mem", "poweroff", "reboot", "uptime", "version", "vm" };

static size_t cap_complete(void *ctx, const char *line, size_t len, const char **out, size_t max)
{
	size_t n = 0, ws = len;

	(void)ctx;
	while (ws > 0 && line[ws - 1] != ' ')
		ws--;
	if (ws != 0)
		return 0; /* only the first word in this test */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < max; i++)
		if (strncmp(names[i], line, len) == 0)
			out[n++] = names[i];
	return n;
}

static const struct lineedit_ops ops = {
	.write = cap_write, .execute = cap_execute, .complete = cap_complete,
};

static void out_reset(void)
{
	cap.out_len = 0;
	cap.out[0] = '\0';
}

static int setup(void **state)
{
	(void)state;
	memset(&cap, 0, sizeof(cap));
	lineedit_init(&le, &ops, "bulwark> ");
	return 0;
}

static void type(const char *s)
{
	lineedit_feed_buf(&le, (const uint8_t *)s, strlen(s));
}

static void assert_line(const char *expect)
{
	assert_string_equal(le.buf, expect);
	assert_int_equal(le.len, strlen(expect));
}

/* ---- typing and ending lines ---- */

static void test_cr_runs_line(void **state)
{
	(void)state;
	type("info\r");
	assert_int_equal(cap.executed, 1);
	assert_string_equal(cap.lines[0], "info");
	assert_line("");
	assert_non_null(strstr(cap.out, "info\r\n\rbulwark> "));
}

static void test_lf_and_crlf_end_once(void **state)
{
	(void)state;
	type("a\n");
	type("b\r\n");
	type("c\r");
	type("d\n\n");
	assert_int_equal(cap.executed, 5);
	assert_string_equal(cap.lines[0], "a");
	assert_string_equal(cap.lines[1], "b");
	assert_string_equal(cap.lines[2], "c");
	assert_string_equal(cap.lines[3], "d");
	assert_string_equal(cap.lines[4], "");
}

static void test_echo_printable(void **state)
{
	(void)state;
	type("uptime");
	assert_string_equal(cap.out, "uptime");
	assert_int_equal(le.cursor, 6);
}

static void test_backspace_both_codes(void **state)
{
	(void)state;
	type("abcd\x7f");
	assert_line("abc");
	type("\x08");
	assert_line("ab");
	type("\x7f\x7f\x7f\x7f");
	assert_line("");
	assert_int_equal(le.cursor, 0);
}

/* ---- cursor movement and insertion ---- */

static void test_left_right_insert(void **state)
{
	(void)state;
	type("ac\x1b[Db");
	assert_line("abc");
	assert_int_equal(le.cursor, 2);
	type("\x1b[C\x1b[C\x1b[C"); /* right past the end stays at the end */
	assert_int_equal(le.cursor, 3);
	type("\x1bOD\x1bODX");
	assert_line("aXbc");
	type("\x02\x02Y\x06Z"); /* Ctrl-B, Ctrl-F */
	assert_line("YaZXbc");
}

static void test_left_at_start_stays(void **state)
{
	(void)state;
	type("ab\x1b[D\x1b[D\x1b[D\x1b[D");
	assert_int_equal(le.cursor, 0);
	type("x");
	assert_line("xab");
}

static void test_home_end_variants(void **state)
{
	static const char *const home[] = { "\x1b[H", "\x1b[1~", "\x1bOH", "\x01", "\x1b[7~" };
	static const char *const end[] = { "\x1b[F", "\x1b[4~", "\x1bOF", "\x05", "\x1b[8~" };

	(void)state;
	type("mid");
	for (size_t i = 0; i < 5; i++) {
		type(home[i]);
		assert_int_equal(le.cursor, 0);
		type(end[i]);
		assert_int_equal(le.cursor, 3);
	}
}

static void test_delete_key(void **state)
{
	(void)state;
	type("abc\x01\x1b[3~");
	assert_line("bc");
	type("\x1b[F\x1b[3~"); /* at the end: nothing */
	assert_line("bc");
	type("\x01\x04"); /* Ctrl-D deletes under the cursor */
	assert_line("c");
}

static void test_ctrl_u_k_w(void **state)
{
	(void)state;
	type("vm start web\x17");
	assert_line("vm start ");
	type("\x17");
	assert_line("vm ");
	type("abc def\x1b[D\x1b[D\x0b");
	assert_line("vm abc d");
	type("\x1b[D\x15");
	assert_line("d");
	assert_int_equal(le.cursor, 0);
}

static void test_ctrl_l_redraws(void **state)
{
	(void)state;
	type("mem");
	out_reset();
	type("\x0c");
	assert_non_null(strstr(cap.out, "\x1b[2J"));
	assert_non_null(strstr(cap.out, "bulwark> mem"));
	assert_line("mem");
}

static void test_refresh_moves_cursor_back(void **state)
{
	(void)state;
	type("abcd\x01");
	out_reset();
	type("X");
	assert_string_equal(cap.out, "\rbulwark> Xabcd\x1b[K\x1b[4D");
}

/* ---- Ctrl-C ---- */

static void test_ctrl_c_abandons(void **state)
{
	(void)state;
	type("poweroff");
	out_reset();
	type("\x03");
	assert_int_equal(cap.executed, 0);
	assert_line("");
	assert_string_equal(cap.out, "^C\r\n\rbulwark> \x1b[K");
	type("\r");
	assert_int_equal(cap.executed, 1);
	assert_string_equal(cap.lines[0], "");
	assert_null(lineedit_history(&le, 1));
}

/* ---- history ---- */

static void test_history_up_down(void **state)
{
	(void)state;
	type("one\rtwo\rthree\r");
	type("dra");
	type("\x1b[A");
	assert_line("three");
	type("\x1b[A\x1b[A");
	assert_line("one");
	type("\x1b[A"); /* the oldest stays */
	assert_line("one");
	type("\x1b[B");
	assert_line("two");
	type("\x1b[B\x1b[B");
	assert_line("dra"); /* back to the draft */
	type("\x1b[B");
	assert_line("dra");
	type("\x10\x0e"); /* Ctrl-P, Ctrl-N */
	assert_line("dra");
}

static void test_history_recall_and_run(void **state)
{
	(void)state;
	type("log -n 5\r\x1bOA\r");
	assert_int_equal(cap.executed, 2);
	assert_string_equal(cap.lines[1], "log -n 5");
	assert_int_equal(le.hist_count, 1); /* no duplicate consecutive entry */
}

static void test_history_no_empty_no_dup(void **state)
{
	(void)state;
	type("\r   \ra\ra\rb\ra\r");
	assert_int_equal(le.hist_count, 3);
	assert_string_equal(lineedit_history(&le, 1), "a");
	assert_string_equal(lineedit_history(&le, 2), "b");
	assert_string_equal(lineedit_history(&le, 3), "a");
}

static void test_history_ring_wraps(void **state)
{
	char line[16];

	(void)state;
	for (int i = 0; i < LINEEDIT_HISTORY + 10; i++) {
		snprintf(line, sizeof(line), "cmd%d\r", i);
		type(line);
	}
	assert_int_equal(le.hist_count, LINEEDIT_HISTORY);
	snprintf(line, sizeof(line), "cmd%d", LINEEDIT_HISTORY + 9);
	assert_string_equal(lineedit_history(&le, 1), line);
	assert_string_equal(lineedit_history(&le, LINEEDIT_HISTORY), "cmd10");
	assert_null(lineedit_history(&le, LINEEDIT_HISTORY + 1));
	for (int i = 0; i < LINEEDIT_HISTORY + 5; i++)
		type("\x1b[A");
	assert_line("cmd10");
}

static void test_history_edit_does_not_change_entry(void **state)
{
	(void)state;
	type("mem\r\x1b[Ax\r");
	assert_string_equal(cap.lines[1], "memx");
	assert_string_equal(lineedit_history(&le, 2), "mem");
}

/* ---- completion ---- */

static void test_complete_unique(void **state)
{
	(void)state;
	type("upt\t");
	assert_line("uptime ");
	type("\r");
	assert_string_equal(cap.lines[0], "uptime ");
}

static void test_complete_several_lists(void **state)
{
	(void)state;
	type("v");
	out_reset();
	type("\t");
	assert_line("v"); /* "version" and "vm" share only "v" */
	assert_non_null(strstr(cap.out, "version  vm\r\n"));
	assert_non_null(strstr(cap.out, "bulwark> v"));
}

static void test_complete_unique_then_all(void **state)
{
	(void)state;
	type("po\t");
	assert_line("poweroff ");
	lineedit_init(&le, &ops, "bulwark> ");
	type("\t");
	assert_line(""); /* everything listed, nothing inserted */
	assert_non_null(strstr(cap.out, "help  info"));
}

static void test_complete_none_rings_bell(void **state)
{
	(void)state;
	type("zz");
	out_reset();
	type("\t");
	assert_string_equal(cap.out, "\a");
	assert_line("zz");
	type(" arg\t"); /* not the first word: this completer offers nothing */
	assert_line("zz arg");
}

/* ---- overlong lines ---- */

static void type_n(char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lineedit_feed(&le, (uint8_t)c);
}

static void test_max_line_is_accepted(void **state)
{
	(void)state;
	type_n('a', LINEEDIT_LINE_MAX);
	type("\r");
	assert_int_equal(cap.executed, 1);
	assert_int_equal(strlen(cap.lines[0]), LINEEDIT_LINE_MAX);
}

static void test_overlong_line_refused(void **state)
{
	(void)state;
	type_n('a', LINEEDIT_LINE_MAX);
	type("x; reboot\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f");
	type("\r\n");
	assert_int_equal(cap.executed, 0);
	assert_non_null(strstr(cap.out, LINEEDIT_TOO_LONG_MSG "\r\n"));
	assert_line("");
	assert_int_equal(le.hist_count, 0);
	type("mem\r");
	assert_int_equal(cap.executed, 1);
	assert_string_equal(cap.lines[0], "mem");
}

static void test_overlong_never_cut(void **state)
{
	(void)state;
	type("reboot ");
	type_n(' ', 400);
	type("\n");
	assert_int_equal(cap.executed, 0);
	assert_non_null(strstr(cap.out, LINEEDIT_TOO_LONG_MSG));
}

static void test_overlong_then_ctrl_c(void **state)
{
	(void)state;
	type_n('b', 300);
	type("\x03");
	type("ok\r");
	assert_int_equal(cap.executed, 1);
	assert_string_equal(cap.lines[0], "ok");
	assert_null(strstr(cap.out, LINEEDIT_TOO_LONG_MSG));
}

static void test_completion_cannot_overflow(void **state)
{
	(void)state;
	type_n('p', LINEEDIT_LINE_MAX - 3);
	type("\x01po\t"); /* 255 - 3 + 2 = 254 chars, completing needs more room */
	assert_true(le.len <= LINEEDIT_LINE_MAX);
	assert_int_equal(le.len, LINEEDIT_LINE_MAX - 1);
}

/* ---- garbage ---- */

static void test_garbage_ignored(void **state)
{
	static const uint8_t junk[] = { 0x00, 0x07, 0x0f, 0x11, 0x13, 0x1c, 0x1d, 0x1e, 0x1f,
					0x80, 0x9b, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0xfe };

	(void)state;
	type("ab");
	lineedit_feed_buf(&le, junk, sizeof(junk));
	type("c\r");
	assert_int_equal(cap.executed, 1);
	assert_string_equal(cap.lines[0], "abc");
}

static void test_unknown_escapes_ignored(void **state)
{
	(void)state;
	type("a\x1b[99~\x1b[5;3Z\x1b[?25l\x1bOQ\x1bx\x1b\x1b[Db");
	assert_line("ba"); /* ESC ESC [ D: the second ESC restarts, left arrow works */
	assert_int_equal(cap.executed, 0);
}

static void test_escape_abandoned_after_bound(void **state)
{
	(void)state;
	type("\x1b[");
	type_n('1', LINEEDIT_ESC_MAX + 1);
	assert_int_equal(le.esc_state, 0);
	type("z");
	assert_line("z");
}

static void test_broken_escape_keeps_enter(void **state)
{
	(void)state;
	type("mem\x1b[1\r");
	assert_int_equal(cap.executed, 1);
	assert_string_equal(cap.lines[0], "mem");
	type("x\x1bO\x03");
	assert_int_equal(cap.executed, 1); /* Ctrl-C broke the sequence and abandoned the line */
	assert_line("");
}

/* Every byte value as the first byte after ESC, ESC [ and ESC O: nothing crashes or leaks into the line. */
static void test_every_byte_after_escape(void **state)
{
	static const char *const intro[] = { "\x1b", "\x1b[", "\x1bO", "\x1b[1;" };

	(void)state;
	for (size_t k = 0; k < 4; k++) {
		for (unsigned b = 0; b < 256; b++) {
			lineedit_init(&le, &ops, "bulwark> ");
			type(intro[k]);
			lineedit_feed(&le, (uint8_t)b);
			assert_true(le.len <= 1);
			assert_true(le.cursor <= le.len);
		}
	}
}

static void test_fuzz_million_bytes(void **state)
{
	uint32_t x = 0x2545f491u;

	(void)state;
	for (uint32_t i = 0; i < 1000000u; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		/* bias towards the interesting bytes: ESC, [, O, digits, ~, CR/LF, Tab, controls */
		uint8_t b = (x >> 8) % 7 == 0 ? (uint8_t)"\x1b[O1~\r\n\t\x03\x7f"[(x >> 16) % 10] : (uint8_t)(x >> 24);
		lineedit_feed(&le, b);
		assert_true(le.len <= LINEEDIT_LINE_MAX);
		assert_true(le.cursor <= le.len);
		assert_int_equal(le.buf[le.len], '\0');
		assert_int_equal(strlen(le.buf), le.len);
	}
	assert_true(cap.executed > 0);
	assert_true(cap.out_total > 0);
	type("\x03mem\r");
	assert_string_equal(cap.last, "mem");
	assert_line("");
}

/* Executed lines only ever come from complete, fitting lines: replay plain text with a newline at random. */
static void test_fuzz_only_complete_lines_run(void **state)
{
	uint32_t x = 12345u, expected = 0, len = 0, refused = 0;

	(void)state;
	for (uint32_t i = 0; i < 200000u; i++) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) % 40 == 0) {
			lineedit_feed(&le, '\r');
			expected += len <= LINEEDIT_LINE_MAX;
			refused += len > LINEEDIT_LINE_MAX;
			len = 0;
		} else {
			lineedit_feed(&le, (uint8_t)('a' + (x >> 16) % 26));
			len++;
		}
	}
	assert_int_equal(cap.executed, expected);
	assert_true(refused > 0); /* the stream did contain overlong lines */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cr_runs_line, setup),
		cmocka_unit_test_setup(test_lf_and_crlf_end_once, setup),
		cmocka_unit_test_setup(test_echo_printable, setup),
		cmocka_unit_test_setup(test_backspace_both_codes, setup),
		cmocka_unit_test_setup(test_left_right_insert, setup),
		cmocka_unit_test_setup(test_left_at_start_stays, setup),
		cmocka_unit_test_setup(test_home_end_variants, setup),
		cmocka_unit_test_setup(test_delete_key, setup),
		cmocka_unit_test_setup(test_ctrl_u_k_w, setup),
		cmocka_unit_test_setup(test_ctrl_l_redraws, setup),
		cmocka_unit_test_setup(test_refresh_moves_cursor_back, setup),
		cmocka_unit_test_setup(test_ctrl_c_abandons, setup),
		cmocka_unit_test_setup(test_history_up_down, setup),
		cmocka_unit_test_setup(test_history_recall_and_run, setup),
		cmocka_unit_test_setup(test_history_no_empty_no_dup, setup),
		cmocka_unit_test_setup(test_history_ring_wraps, setup),
		cmocka_unit_test_setup(test_history_edit_does_not_change_entry, setup),
		cmocka_unit_test_setup(test_complete_unique, setup),
		cmocka_unit_test_setup(test_complete_several_lists, setup),
		cmocka_unit_test_setup(test_complete_unique_then_all, setup),
		cmocka_unit_test_setup(test_complete_none_rings_bell, setup),
		cmocka_unit_test_setup(test_max_line_is_accepted, setup),
		cmocka_unit_test_setup(test_overlong_line_refused, setup),
		cmocka_unit_test_setup(test_overlong_never_cut, setup),
		cmocka_unit_test_setup(test_overlong_then_ctrl_c, setup),
		cmocka_unit_test_setup(test_completion_cannot_overflow, setup),
		cmocka_unit_test_setup(test_garbage_ignored, setup),
		cmocka_unit_test_setup(test_unknown_escapes_ignored, setup),
		cmocka_unit_test_setup(test_escape_abandoned_after_bound, setup),
		cmocka_unit_test_setup(test_broken_escape_keeps_enter, setup),
		cmocka_unit_test_setup(test_every_byte_after_escape, setup),
		cmocka_unit_test_setup(test_fuzz_million_bytes, setup),
		cmocka_unit_test_setup(test_fuzz_only_complete_lines_run, setup),
	};

	return cmocka_run_group_tests_name("console_lineedit", tests, NULL, NULL);
}
