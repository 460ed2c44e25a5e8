/* The agent's bounded line reader (agent_proto.h "Channel"): a line over AGENT_LINE_MAX bytes
 * including its "\n" is reported once and then skipped to its "\n"; empty lines are ignored. */
/* SPDX-License-Identifier: MIT */
#include "linebuf.h"

#include <string.h>

void agent_linebuf_init(struct agent_linebuf *lb)
{
	lb->len = 0;
	lb->skipping = false;
}

void agent_linebuf_feed(struct agent_linebuf *lb, const char *data, size_t n,
			const struct agent_line_sink *sink)
{
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t chunk = nl ? (size_t)(nl - data) : n;

		if (lb->skipping) {
			/* nothing kept */
		} else if (lb->len + chunk > AGENT_LINE_MAX - 1) {
			/* The line cannot fit with its "\n": drop what was kept and the rest. */
			lb->len = 0;
			lb->skipping = true;
			sink->overlong(sink->ctx);
		} else {
			memcpy(lb->buf + lb->len, data, chunk);
			lb->len += chunk;
		}
		if (!nl)
			return;
		if (!lb->skipping && lb->len > 0)
			sink->line(sink->ctx, lb->buf, lb->len);
		lb->len = 0;
		lb->skipping = false;
		data = nl + 1;
		n -= chunk + 1;
	}
}
