/* Terminal sessions: `bwrun create --console-socket` hands the container's pty master over a
 * Unix socket in an SCM_RIGHTS message (unix(7)), as runc does. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"
#include "../runtime/fdpass.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int tty_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (fdpass_addr(&sa, path) < 0)
		return -1;
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int tty_receive(int listen_fd, int timeout_ms)
{
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };
	int conn, fd = -1;

	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return -1;
	p.fd = conn;
	if (poll(&p, 1, timeout_ms) > 0)
		fd = fdpass_recv(conn);
	close(conn);
	return fd;
}
