/* The message channel between bwrun and the container's init while it is set up. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int sync_send(int fd, enum sync_type type, const struct rt_err *err)
{
	struct sync_msg m = { .type = (int)type };

	if (err) {
		m.errnum = err->errnum;
		snprintf(m.text, sizeof(m.text), "%s", err->msg);
	}
	return send(fd, &m, sizeof(m), MSG_NOSIGNAL) == sizeof(m) ? 0 : -1;
}

int sync_recv(int fd, struct sync_msg *m)
{
	ssize_t n;

	do
		n = recv(fd, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n != sizeof(*m))
		return -1;
	return m->type;
}

int sync_send_text(int fd, enum sync_type type, const char *text)
{
	struct sync_msg m = { .type = (int)type };

	snprintf(m.text, sizeof(m.text), "%s", text ? text : "");
	return send(fd, &m, sizeof(m), MSG_NOSIGNAL) == sizeof(m) ? 0 : -1;
}

int sync_expect_msg(int fd, enum sync_type expect, struct sync_msg *m, struct rt_err *e)
{
	int t = sync_recv(fd, m);

	if (t == (int)expect)
		return 0;
	if (t == SYNC_ERROR) {
		e->errnum = m->errnum;
		snprintf(e->msg, sizeof(e->msg), "%s", m->text);
		return -1;
	}
	return rt_fail(e, 0, "container init exited during setup");
}

int sync_expect(int fd, enum sync_type expect, struct rt_err *e)
{
	struct sync_msg m;

	return sync_expect_msg(fd, expect, &m, e);
}
