/* A container's captured output, bounded: a ring of the last cap bytes with absolute offsets, so
 * that `logs` can ask "from" an offset and see how much was lost (agent_proto.h "logs"). */
/* SPDX-License-Identifier: MIT */
#include "logring.h"

#include <stdlib.h>
#include <string.h>

int agent_logring_init(struct agent_logring *r, size_t cap)
{
	r->buf = malloc(cap);
	r->cap = cap;
	r->end = 0;
	return r->buf ? 0 : -1;
}

void agent_logring_free(struct agent_logring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
	r->end = 0;
}

uint64_t agent_logring_first(const struct agent_logring *r)
{
	return r->end > r->cap ? r->end - r->cap : 0;
}

static char at(const struct agent_logring *r, uint64_t off)
{
	return r->buf[off % r->cap];
}

void agent_logring_append(struct agent_logring *r, const char *data, size_t n)
{
	if (n > r->cap) { /* only the last cap bytes can stay */
		r->end += n - r->cap;
		data += n - r->cap;
		n = r->cap;
	}
	for (size_t i = 0; i < n; i++)
		r->buf[(r->end + i) % r->cap] = data[i];
	r->end += n;
}

size_t agent_logring_read(const struct agent_logring *r, uint64_t from, char *out, size_t max,
			  uint64_t *start)
{
	uint64_t first = agent_logring_first(r);
	size_t n = 0;

	if (from < first)
		from = first;
	if (from > r->end)
		from = r->end;
	*start = from;
	while (n < max && from + n < r->end) {
		out[n] = at(r, from + n);
		n++;
	}
	return n;
}

uint64_t agent_logring_last_lines(const struct agent_logring *r, uint64_t lines)
{
	uint64_t first = agent_logring_first(r), off = r->end;
	uint64_t seen = 0;

	if (lines == 0 || off == first)
		return off;
	/* A final "\n" ends the last line rather than starting an empty one. */
	if (at(r, off - 1) == '\n')
		off--;
	while (off > first) {
		if (at(r, off - 1) == '\n' && ++seen == lines)
			return off;
		off--;
	}
	return first;
}
