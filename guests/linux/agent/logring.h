/* A container's captured output: the last AGENT_LOG_MAX bytes, each with its offset since start. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_AGENT_LOGRING_H
#define BULWARK_AGENT_LOGRING_H

#include <stddef.h>
#include <stdint.h>

struct agent_logring {
	char *buf;
	size_t cap;
	uint64_t end; /* offset after the last byte written; the first kept is first() */
};

int agent_logring_init(struct agent_logring *r, size_t cap);
void agent_logring_free(struct agent_logring *r);
uint64_t agent_logring_first(const struct agent_logring *r);
void agent_logring_append(struct agent_logring *r, const char *data, size_t n);
/* Copies up to max bytes from offset from (raised to first() if older) into out: returns the
 * count, *start the offset of out[0]. */
size_t agent_logring_read(const struct agent_logring *r, uint64_t from, char *out, size_t max,
			  uint64_t *start);
/* The offset where the last `lines` lines begin (a final line without "\n" counts as one). */
uint64_t agent_logring_last_lines(const struct agent_logring *r, uint64_t lines);

#endif
