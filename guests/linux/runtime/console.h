/* Terminals: a pty whose master goes to --console-socket, or is relayed in the foreground. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_CONSOLE_H
#define BWRUN_CONSOLE_H

#include "util.h"

int console_connect(const char *path, struct rt_err *e);
/* The container's terminal: *console_fd connected to --console-socket SOCKET_PATH; without one,
 * the end of a socketpair whose other end, *relay, receives the pty master for the foreground
 * relay -- unless NO_RELAY, which is then the error (the reason no relay can serve). */
int console_open(const char *socket_path, const char *no_relay, int *console_fd, int *relay,
		 struct rt_err *e);
/* The pty master received over *relay, which it replaces (the socket is closed): 0, or -1 with
 * *relay = -1. */
int console_relay_take(int *relay, struct rt_err *e);
int console_send_fd(int sock, int fd, struct rt_err *e);
int console_recv_fd(int sock, struct rt_err *e);
/* In the container: opens a pty, sends its master over SOCK, makes the slave the
 * controlling terminal and stdin/stdout/stderr. */
int console_setup_pty(int sock, struct rt_err *e);
/* Copies stdin to MASTER and MASTER to stdout until MASTER hangs up. */
void console_relay_step(int master, int in_ready, int master_ready, int *in_open,
			int *master_open);

#endif
