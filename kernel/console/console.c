/* The console glue: serial bytes to the line editor, completed lines to the command table. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/console.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/console/commands.h"
#include "kernel/console/lineedit.h"

_Static_assert(LINEEDIT_LINE_MAX == CONSOLE_LINE_MAX, "the editor holds exactly one console line");

static struct lineedit editor;
static void (*console_out)(const char *buf, size_t len);
static char last_byte_out;
static console_input_fn attached_input;
static void *attached_ctx;

static void (*capture_sink)(void *ctx, const char *buf, size_t len);
static void *capture_ctx;

void console_capture(void (*sink)(void *ctx, const char *buf, size_t len), void *ctx)
{
	capture_ctx = ctx;
	capture_sink = sink;
}

bool console_capturing(void)
{
	return capture_sink != NULL;
}

/* Every bare LF goes out as CRLF: the terminal on the other end of the UART needs both. */
void console_write(const char *buf, size_t len)
{
	size_t start = 0;

	if (capture_sink) {
		capture_sink(capture_ctx, buf, len);
		return;
	}
	if (!console_out || len == 0)
		return;
	for (size_t i = 0; i < len; i++) {
		char prev = i ? buf[i - 1] : last_byte_out;
		if (buf[i] == '\n' && prev != '\r') {
			console_out(buf + start, i - start);
			console_out("\r\n", 2);
			start = i + 1;
		}
	}
	console_out(buf + start, len - start);
	last_byte_out = buf[len - 1];
}

void console_printf(const char *fmt, ...)
{
	char small[256], *big = NULL;
	va_list ap, again;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small) && (big = malloc((size_t)n + 1)) != NULL)
		vsnprintf(big, (size_t)n + 1, fmt, again);
	va_end(again);
	va_end(ap);
	if (n < 0)
		return;
	if (big)
		console_write(big, (size_t)n);
	else
		console_write(small, n < (int)sizeof(small) ? (size_t)n : sizeof(small) - 1);
	free(big);
}

/* The line editor is silent while a command owns the console (`vm console`, `ct run -i`, `ct logs -f`):
 * its prompt, drawn once the attaching command has returned, would land amid the guest's output.
 * console_detach() draws it. */
static void editor_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	if (!attached_input)
		console_write(buf, len);
}

static void (*notice_hook)(void);

void console_set_notice_hook(void (*hook)(void))
{
	notice_hook = hook;
}

/* Notices (new log lines) go out after a command's own output, before the next prompt. */
static void editor_execute(void *ctx, char *line)
{
	(void)ctx;
	commands_run_line(line);
	if (notice_hook)
		notice_hook();
}

static size_t editor_complete(void *ctx, const char *line, size_t len, const char **out, size_t max)
{
	(void)ctx;
	return commands_complete(line, len, out, max);
}

static const struct lineedit_ops editor_ops = {
	.write = editor_write,
	.execute = editor_execute,
	.complete = editor_complete,
};

void console_init(void (*write)(const char *buf, size_t len))
{
	const char *dup = commands_duplicate();

	console_out = write;
	last_byte_out = '\n';
	attached_input = NULL;
	lineedit_init(&editor, &editor_ops, CONSOLE_PROMPT);
	if (dup)
		console_printf("warning: console command '%s' is registered twice; the first one runs\n", dup);
	lineedit_redraw(&editor);
}

void console_redraw(void)
{
	lineedit_redraw(&editor);
}

void console_attach(console_input_fn input, void *ctx)
{
	attached_ctx = ctx;
	attached_input = input;
}

void console_detach(void)
{
	attached_input = NULL;
	console_write("\r\n", 2);
	lineedit_redraw(&editor);
}

/* Bytes go one at a time to whoever owns the console at that moment. */
void console_input(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (attached_input)
			attached_input(attached_ctx, &buf[i], 1);
		else
			lineedit_feed(&editor, buf[i]);
	}
}

void console_write_neutralised(const uint8_t *buf, size_t n)
{
	char out[8];

	for (size_t i = 0; i < n; i++) {
		uint8_t c = buf[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t')
			console_write((const char *)&buf[i], 1);
		else if (c != '\r')
			console_write(out, (size_t)snprintf(out, sizeof(out), "\\x%02x", c));
	}
}
