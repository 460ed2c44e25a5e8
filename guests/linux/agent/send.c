/* Lines to the channel: queued, and written as the channel takes them, so that a hypervisor that
 * reads slowly holds up nothing; a queue over AGENT_OUTQ_MAX loses the line (said on stderr). */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void agent_flush(struct agent *a)
{
	size_t off = 0;

	while (off < a->outq_len && a->chan_out_fd >= 0) {
		ssize_t w = write(a->chan_out_fd, a->outq + off, a->outq_len - off);
		if (w > 0) {
			off += (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else if (w < 0 && errno == EAGAIN) {
			break;
		} else {
			fprintf(stderr, "bulwark-agent: channel write: %s\n",
				w < 0 ? strerror(errno) : "nothing written");
			off = a->outq_len; /* the channel broke: what waited is lost */
		}
	}
	memmove(a->outq, a->outq + off, a->outq_len - off);
	a->outq_len -= off;
}

void agent_send(struct agent *a, char *line)
{
	size_t n;

	if (!line)
		return;
	n = strlen(line);
	if (a->outq_len + n > AGENT_OUTQ_MAX) {
		fprintf(stderr, "bulwark-agent: %zu bytes wait for the channel, a line lost\n",
			a->outq_len);
	} else {
		memcpy(a->outq + a->outq_len, line, n);
		a->outq_len += n;
		agent_flush(a);
	}
	free(line);
}
