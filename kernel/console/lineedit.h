/* A terminal line editor as pure logic: bytes in, VT100 output and completed lines out. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_LINEEDIT_H
#define KERNEL_CONSOLE_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINEEDIT_LINE_MAX 255      /* characters in one line, the NUL not counted */
#define LINEEDIT_HISTORY 32        /* lines kept for up/down */
#define LINEEDIT_ESC_MAX 16        /* bytes after ESC before a sequence is abandoned */
#define LINEEDIT_COMPLETIONS_MAX 64

#define LINEEDIT_TOO_LONG_MSG "error: line too long (max 255 characters); nothing was run"

/*
 * Callbacks. `write` receives terminal output. `execute` receives each
 * completed line that fits (a NUL-terminated copy the callee may modify); it is
 * never called for a refused or abandoned line. `complete` (may be NULL) gets
 * the text before the cursor and fills `out` with up to `max` candidates for
 * its last word (each must start with that word); it returns how many.
 */
struct lineedit_ops {
	void (*write)(void *ctx, const char *buf, size_t len);
	void (*execute)(void *ctx, char *line);
	size_t (*complete)(void *ctx, const char *line, size_t len, const char **out, size_t max);
	void *ctx;
};

struct lineedit {
	const struct lineedit_ops *ops;
	const char *prompt;
	char buf[LINEEDIT_LINE_MAX + 1]; /* always NUL-terminated at len */
	uint32_t len, cursor;            /* cursor <= len <= LINEEDIT_LINE_MAX */
	uint32_t esc_state, esc_len;
	char esc_param[LINEEDIT_ESC_MAX];
	bool too_long; /* the current line overflowed: discard until end of line */
	bool after_cr; /* the last end of line was a CR: a following LF is its pair */
	char history[LINEEDIT_HISTORY][LINEEDIT_LINE_MAX + 1];
	uint32_t hist_count, hist_next; /* entries held; slot the next entry goes to */
	uint32_t hist_pos;              /* 0 = the line being typed, k = k-th most recent */
	char draft[LINEEDIT_LINE_MAX + 1];
	char exec[LINEEDIT_LINE_MAX + 1];
};

/* Resets the editor; prints nothing. `prompt` must outlive the editor. */
void lineedit_init(struct lineedit *le, const struct lineedit_ops *ops, const char *prompt);
/* Prints the prompt and the line being typed (first prompt, or after output from elsewhere). */
void lineedit_redraw(struct lineedit *le);
/* Feeds one byte typed by the operator. Any byte value is accepted. */
void lineedit_feed(struct lineedit *le, uint8_t byte);
void lineedit_feed_buf(struct lineedit *le, const uint8_t *buf, size_t len);
/* History entry `k` (1 = most recent), or NULL. */
const char *lineedit_history(const struct lineedit *le, uint32_t k);

#endif
