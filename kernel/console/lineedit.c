/* The console line editor: editing keys, escape sequences, history and Tab completion. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/lineedit.h"

#include <stdio.h>
#include <string.h>

/* Escape parser states: after ESC, inside "ESC [" (CSI), after "ESC O" (SS3). */
enum { ESC_NONE = 0, ESC_START, ESC_CSI, ESC_SS3 };

#define CTRL(c) ((c) & 0x1f)
#define BEL "\a"

static void out(struct lineedit *le, const char *s, size_t n)
{
	if (n)
		le->ops->write(le->ops->ctx, s, n);
}

static void out_str(struct lineedit *le, const char *s)
{
	out(le, s, strlen(s));
}

/* Rewrites the whole line: CR, prompt, text, clear to end, cursor back in place. */
static void refresh(struct lineedit *le)
{
	char seq[16];

	out_str(le, "\r");
	out_str(le, le->prompt);
	out(le, le->buf, le->len);
	out_str(le, "\x1b[K");
	if (le->cursor < le->len) {
		int n = snprintf(seq, sizeof(seq), "\x1b[%uD", (unsigned)(le->len - le->cursor));
		out(le, seq, (size_t)n);
	}
}

void lineedit_redraw(struct lineedit *le)
{
	refresh(le);
}

static void line_set(struct lineedit *le, const char *text)
{
	size_t n = strnlen(text, LINEEDIT_LINE_MAX);

	memcpy(le->buf, text, n);
	le->buf[n] = '\0';
	le->len = le->cursor = (uint32_t)n;
}

static void line_clear(struct lineedit *le)
{
	le->len = le->cursor = 0;
	le->buf[0] = '\0';
	le->too_long = false;
	le->hist_pos = 0;
}

void lineedit_init(struct lineedit *le, const struct lineedit_ops *ops, const char *prompt)
{
	memset(le, 0, sizeof(*le));
	le->ops = ops;
	le->prompt = prompt;
}

/* Inserts `n` bytes at the cursor; refuses (returns false) what does not fit. */
static bool insert_text(struct lineedit *le, const char *s, size_t n)
{
	if (n > LINEEDIT_LINE_MAX - le->len)
		return false;
	memmove(le->buf + le->cursor + n, le->buf + le->cursor, le->len - le->cursor + 1);
	memcpy(le->buf + le->cursor, s, n);
	le->len += (uint32_t)n;
	le->cursor += (uint32_t)n;
	return true;
}

static void insert_char(struct lineedit *le, char c)
{
	bool at_end = le->cursor == le->len;

	if (le->too_long)
		return;
	if (!insert_text(le, &c, 1)) {
		le->too_long = true;
		out_str(le, BEL);
		return;
	}
	if (at_end)
		out(le, &c, 1);
	else
		refresh(le);
}

/* Removes `n` bytes starting at `at` and leaves the cursor there. */
static void delete_range(struct lineedit *le, uint32_t at, uint32_t n)
{
	if (n == 0)
		return;
	memmove(le->buf + at, le->buf + at + n, le->len - at - n + 1);
	le->len -= n;
	le->cursor = at;
	refresh(le);
}

/* ---- editing keys ---- */

static void key_left(struct lineedit *le)
{
	if (le->cursor > 0) {
		le->cursor--;
		out_str(le, "\x1b[D");
	}
}

static void key_right(struct lineedit *le)
{
	if (le->cursor < le->len) {
		le->cursor++;
		out_str(le, "\x1b[C");
	}
}

static void key_home(struct lineedit *le)
{
	le->cursor = 0;
	refresh(le);
}

static void key_end(struct lineedit *le)
{
	le->cursor = le->len;
	refresh(le);
}

static void key_backspace(struct lineedit *le)
{
	if (le->cursor > 0)
		delete_range(le, le->cursor - 1, 1);
}

static void key_delete(struct lineedit *le)
{
	if (le->cursor < le->len)
		delete_range(le, le->cursor, 1);
}

static void key_kill_to_end(struct lineedit *le)
{
	delete_range(le, le->cursor, le->len - le->cursor);
}

static void key_kill_to_start(struct lineedit *le)
{
	delete_range(le, 0, le->cursor);
}

/* Ctrl-W: the word before the cursor and the spaces after it. */
static void key_kill_word(struct lineedit *le)
{
	uint32_t at = le->cursor;

	while (at > 0 && le->buf[at - 1] == ' ')
		at--;
	while (at > 0 && le->buf[at - 1] != ' ')
		at--;
	delete_range(le, at, le->cursor - at);
}

static void key_clear_screen(struct lineedit *le)
{
	out_str(le, "\x1b[H\x1b[2J");
	refresh(le);
}

/* ---- history ---- */

const char *lineedit_history(const struct lineedit *le, uint32_t k)
{
	if (k == 0 || k > le->hist_count)
		return NULL;
	return le->history[(le->hist_next + LINEEDIT_HISTORY - k) % LINEEDIT_HISTORY];
}

static bool is_blank(const char *s)
{
	while (*s == ' ')
		s++;
	return *s == '\0';
}

static void history_add(struct lineedit *le, const char *line)
{
	const char *last = lineedit_history(le, 1);

	if (is_blank(line) || (last && strcmp(last, line) == 0))
		return;
	memcpy(le->history[le->hist_next], line, strlen(line) + 1);
	le->hist_next = (le->hist_next + 1) % LINEEDIT_HISTORY;
	if (le->hist_count < LINEEDIT_HISTORY)
		le->hist_count++;
}

static void key_history_prev(struct lineedit *le)
{
	if (le->too_long || le->hist_pos >= le->hist_count)
		return;
	if (le->hist_pos == 0)
		memcpy(le->draft, le->buf, le->len + 1);
	le->hist_pos++;
	line_set(le, lineedit_history(le, le->hist_pos));
	refresh(le);
}

static void key_history_next(struct lineedit *le)
{
	if (le->too_long || le->hist_pos == 0)
		return;
	le->hist_pos--;
	line_set(le, le->hist_pos ? lineedit_history(le, le->hist_pos) : le->draft);
	refresh(le);
}

/* ---- completion ---- */

static uint32_t word_start(const struct lineedit *le)
{
	uint32_t at = le->cursor;

	while (at > 0 && le->buf[at - 1] != ' ')
		at--;
	return at;
}

/* Length of the prefix that all candidates share. */
static size_t common_prefix(const char **cand, size_t n)
{
	size_t len = strlen(cand[0]);

	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && cand[i][k] == cand[0][k])
			k++;
		len = k;
	}
	return len;
}

static void list_candidates(struct lineedit *le, const char **cand, size_t n)
{
	out_str(le, "\r\n");
	for (size_t i = 0; i < n; i++) {
		out_str(le, cand[i]);
		out_str(le, i + 1 < n ? "  " : "\r\n");
	}
}

/* Keeps only candidates that really extend the word (a callee bug must not corrupt the line). */
static size_t filter_candidates(const char **cand, size_t n, const char *word, size_t wlen)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++)
		if (cand[i] && strncmp(cand[i], word, wlen) == 0)
			cand[kept++] = cand[i];
	return kept;
}

static void key_complete(struct lineedit *le)
{
	const char *cand[LINEEDIT_COMPLETIONS_MAX];
	uint32_t ws = word_start(le);
	size_t wlen = le->cursor - ws, n = 0, common;

	if (le->ops->complete && !le->too_long)
		n = le->ops->complete(le->ops->ctx, le->buf, le->cursor, cand, LINEEDIT_COMPLETIONS_MAX);
	n = filter_candidates(cand, n > LINEEDIT_COMPLETIONS_MAX ? LINEEDIT_COMPLETIONS_MAX : n,
			      le->buf + ws, wlen);
	if (n == 0) {
		out_str(le, BEL);
		return;
	}
	common = common_prefix(cand, n);
	if (!insert_text(le, cand[0] + wlen, common - wlen) || (n == 1 && !insert_text(le, " ", 1))) {
		out_str(le, BEL);
		return;
	}
	if (n > 1)
		list_candidates(le, cand, n);
	refresh(le);
}

/* ---- end of line ---- */

static void finish_line(struct lineedit *le)
{
	out_str(le, "\r\n");
	if (le->too_long) {
		out_str(le, LINEEDIT_TOO_LONG_MSG "\r\n");
	} else {
		memcpy(le->exec, le->buf, le->len + 1);
		history_add(le, le->exec);
		line_clear(le);
		le->ops->execute(le->ops->ctx, le->exec);
	}
	line_clear(le);
	refresh(le);
}

static void key_cr(struct lineedit *le)
{
	finish_line(le);
	le->after_cr = true;
}

/* A LF right after a CR (the second half of CRLF) never reaches here: see lineedit_feed(). */
static void key_lf(struct lineedit *le)
{
	finish_line(le);
}

static void key_cancel(struct lineedit *le)
{
	out_str(le, "^C\r\n");
	line_clear(le);
	refresh(le);
}

static void key_escape(struct lineedit *le)
{
	le->esc_state = ESC_START;
	le->esc_len = 0;
}

/* Ctrl-D deletes under the cursor; there is no end-of-file on a console. */
static void key_ctrl_d(struct lineedit *le)
{
	key_delete(le);
}

typedef void (*key_fn)(struct lineedit *le);

/* Control bytes 0x00-0x1f; NULL entries are ignored. */
static const key_fn control_keys[32] = {
	[CTRL('A')] = key_home,          [CTRL('B')] = key_left,
	[CTRL('C')] = key_cancel,        [CTRL('D')] = key_ctrl_d,
	[CTRL('E')] = key_end,           [CTRL('F')] = key_right,
	[CTRL('H')] = key_backspace,     [CTRL('I')] = key_complete,
	[CTRL('J')] = key_lf,            [CTRL('K')] = key_kill_to_end,
	[CTRL('L')] = key_clear_screen,  [CTRL('M')] = key_cr,
	[CTRL('N')] = key_history_next,  [CTRL('P')] = key_history_prev,
	[CTRL('U')] = key_kill_to_start, [CTRL('W')] = key_kill_word,
	[0x1b] = key_escape,
};

/* ---- escape sequences ---- */

/* Final byte of "ESC [ ... X" or "ESC O X" with the first numeric parameter. */
static void escape_final(struct lineedit *le, uint8_t final, uint32_t param)
{
	static const key_fn tilde_keys[9] = {
		[1] = key_home, [3] = key_delete, [4] = key_end, [7] = key_home, [8] = key_end,
	};

	switch (final) {
	case 'A': key_history_prev(le); break;
	case 'B': key_history_next(le); break;
	case 'C': key_right(le); break;
	case 'D': key_left(le); break;
	case 'H': key_home(le); break;
	case 'F': key_end(le); break;
	case '~':
		if (param < 9 && tilde_keys[param])
			tilde_keys[param](le);
		break;
	default: break;
	}
}

static uint32_t first_param(const struct lineedit *le)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < le->esc_len && le->esc_param[i] >= '0' && le->esc_param[i] <= '9'; i++)
		v = v * 10 + (uint32_t)(le->esc_param[i] - '0');
	return v;
}

static void feed_plain(struct lineedit *le, uint8_t byte);

/* Leaves the escape state; a control byte that broke the sequence still does its job. */
static void escape_abandon(struct lineedit *le, uint8_t byte)
{
	le->esc_state = ESC_NONE;
	if (byte < 0x20)
		feed_plain(le, byte);
}

static void feed_csi(struct lineedit *le, uint8_t byte)
{
	if (byte >= 0x40 && byte <= 0x7e) {
		le->esc_state = ESC_NONE;
		escape_final(le, byte, first_param(le));
	} else if (byte >= 0x20 && byte <= 0x3f && le->esc_len < LINEEDIT_ESC_MAX) {
		le->esc_param[le->esc_len++] = (char)byte;
	} else {
		escape_abandon(le, byte);
	}
}

static void feed_escape(struct lineedit *le, uint8_t byte)
{
	if (le->esc_state == ESC_START) {
		if (byte == '[' || byte == 'O')
			le->esc_state = byte == '[' ? ESC_CSI : ESC_SS3;
		else
			escape_abandon(le, byte); /* ESC ESC restarts; Alt-key is ignored */
	} else if (le->esc_state == ESC_SS3) {
		le->esc_state = ESC_NONE;
		if (byte >= 0x40 && byte <= 0x7e)
			escape_final(le, byte, 0);
		else
			escape_abandon(le, byte);
	} else {
		feed_csi(le, byte);
	}
}

static void feed_plain(struct lineedit *le, uint8_t byte)
{
	if (byte >= 0x20 && byte < 0x7f)
		insert_char(le, (char)byte);
	else if (byte == 0x7f)
		key_backspace(le);
	else if (byte < 0x20 && control_keys[byte])
		control_keys[byte](le);
	/* bytes >= 0x80 and unbound control bytes are ignored */
}

void lineedit_feed(struct lineedit *le, uint8_t byte)
{
	bool was_after_cr = le->after_cr;

	le->after_cr = false;
	if (le->too_long && byte != '\r' && byte != '\n' && byte != CTRL('C'))
		le->esc_state = ESC_NONE; /* an overlong line: discard until its end */
	else if (le->esc_state != ESC_NONE)
		feed_escape(le, byte);
	else if (byte == '\n' && was_after_cr)
		return; /* the LF of a CRLF */
	else
		feed_plain(le, byte);
}

void lineedit_feed_buf(struct lineedit *le, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		lineedit_feed(le, buf[i]);
}
