/* Fuzz harness of the console line editor: any bytes typed, editor invariants checked after each one. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/console/lineedit.h"
#include "tests/fuzz/fuzz.h"

static size_t out_bytes;

static void le_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(buf || len == 0);
	if (len)
		out_bytes += (size_t)(unsigned char)buf[0] + (unsigned char)buf[len - 1]; /* touch both ends */
}

static void le_execute(void *ctx, char *line)
{
	(void)ctx;
	FUZZ_CHECK(strlen(line) <= LINEEDIT_LINE_MAX);
	memset(line, 'x', strlen(line)); /* the callee may modify its copy */
}

/* Candidates of every length, up to one that alone nearly fills a line. */
static char long_name[LINEEDIT_LINE_MAX];
static const char *const names[] = { "help", "info", "integrity", "log", "mem", "vm", "vmx", "version", long_name };

static size_t le_complete(void *ctx, const char *line, size_t len, const char **out, size_t max)
{
	size_t ws = len, n = 0;

	(void)ctx;
	FUZZ_CHECK(len <= LINEEDIT_LINE_MAX && max <= LINEEDIT_COMPLETIONS_MAX);
	while (ws > 0 && line[ws - 1] != ' ')
		ws--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < max; i++)
		if (strncmp(names[i], line + ws, len - ws) == 0)
			out[n++] = names[i];
	return n;
}

static void check(const struct lineedit *le)
{
	FUZZ_CHECK(le->cursor <= le->len && le->len <= LINEEDIT_LINE_MAX);
	FUZZ_CHECK(le->buf[le->len] == '\0');
	FUZZ_CHECK(le->hist_count <= LINEEDIT_HISTORY && le->hist_next < LINEEDIT_HISTORY);
	FUZZ_CHECK(le->hist_pos <= le->hist_count);
	FUZZ_CHECK(le->esc_len <= LINEEDIT_ESC_MAX);
	for (uint32_t k = 1; k <= le->hist_count; k++) {
		const char *h = lineedit_history(le, k);
		FUZZ_CHECK(h && strnlen(h, LINEEDIT_LINE_MAX + 1) <= LINEEDIT_LINE_MAX);
	}
	FUZZ_CHECK(lineedit_history(le, le->hist_count + 1) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lineedit_ops ops = { le_write, le_execute, le_complete, NULL };
	static struct lineedit le;

	if (!long_name[0]) {
		memset(long_name, 'l', sizeof(long_name) - 6);
		long_name[0] = 'v';
	}
	lineedit_init(&le, &ops, "bulwark> ");
	lineedit_redraw(&le);
	for (size_t i = 0; i < size; i++) {
		lineedit_feed(&le, data[i]);
		check(&le);
	}
	return 0;
}
