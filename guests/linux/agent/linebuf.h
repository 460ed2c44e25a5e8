/* The agent's bounded line reader: never holds more than AGENT_LINE_MAX bytes. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_AGENT_LINEBUF_H
#define BULWARK_AGENT_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include "bulwark/agent_proto.h"

struct agent_linebuf {
	char buf[AGENT_LINE_MAX]; /* a line of at most AGENT_LINE_MAX bytes with its "\n" */
	size_t len;
	bool skipping;            /* inside a line that was too long: drop up to its "\n" */
};

struct agent_line_sink {
	void (*line)(void *ctx, const char *line, size_t len); /* without "\n"; never empty */
	void (*overlong)(void *ctx); /* once per line over AGENT_LINE_MAX, when it is detected */
	void *ctx;
};

void agent_linebuf_init(struct agent_linebuf *lb);
/* Splits n more bytes of the stream into lines. */
void agent_linebuf_feed(struct agent_linebuf *lb, const char *data, size_t n,
			const struct agent_line_sink *sink);

#endif
