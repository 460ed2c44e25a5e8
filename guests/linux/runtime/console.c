/* Terminals: a pty whose master goes to --console-socket, or is relayed in the foreground. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "console.h"
#include "fdpass.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>

int console_connect(const char *path, struct rt_err *e)
{
	struct sockaddr_un addr;
	int fd;

	if (fdpass_addr(&addr, path) < 0)
		return rt_fail(e, 0, "--console-socket: path too long");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return rt_fail(e, errno, "console socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return rt_fail(e, errno, "--console-socket: connect %s", path);
	}
	return fd;
}

int console_open(const char *socket_path, const char *no_relay, int *console_fd, int *relay,
		 struct rt_err *e)
{
	int sv[2];

	if (socket_path) {
		*console_fd = console_connect(socket_path, e);
		return *console_fd < 0 ? -1 : 0;
	}
	if (no_relay)
		return rt_fail(e, 0, "%s", no_relay);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail(e, errno, "socketpair");
	*console_fd = sv[1];
	*relay = sv[0];
	return 0;
}

int console_relay_take(int *relay, struct rt_err *e)
{
	int master = console_recv_fd(*relay, e);

	close(*relay);
	*relay = master;
	return master < 0 ? -1 : 0;
}

int console_send_fd(int sock, int fd, struct rt_err *e)
{
	if (fdpass_send(sock, fd) < 0)
		return rt_fail(e, errno, "send the terminal to the console socket");
	return 0;
}

int console_recv_fd(int sock, struct rt_err *e)
{
	int fd = fdpass_recv(sock);

	if (fd < 0 && errno == EBADMSG)
		return rt_fail(e, 0, "receive the terminal: no descriptor");
	if (fd < 0)
		return rt_fail(e, errno, "receive the terminal");
	return fd;
}

int console_setup_pty(int sock, struct rt_err *e)
{
	cleanup_close int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	cleanup_close int slave = -1;
	char name[64];

	if (master < 0)
		return rt_fail(e, errno, "open /dev/ptmx (is devpts mounted on /dev/pts?)");
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)))
		return rt_fail(e, errno, "unlock the pty");
	slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return rt_fail(e, errno, "open %s", name);
	if (console_send_fd(sock, master, e) < 0)
		return -1;
	if (setsid() < 0 && errno != EPERM)
		return rt_fail(e, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return rt_fail(e, errno, "make %s the controlling terminal", name);
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return rt_fail(e, errno, "dup2 the terminal");
	return 0;
}

static void copy_once(int from, int to, int *open_flag)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n <= 0) {
		if (open_flag)
			*open_flag = 0;
		return;
	}
	write_all(to, buf, (size_t)n);
}

void console_relay_step(int master, int in_ready, int master_ready, int *in_open,
			int *master_open)
{
	if (in_ready)
		copy_once(0, master, in_open);
	if (master_ready)
		copy_once(master, 1, master_open);
}
