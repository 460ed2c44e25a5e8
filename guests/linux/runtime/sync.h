/* The message channel between bwrun and the container's init while it is set up. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_SYNC_H
#define BWRUN_SYNC_H

#include "util.h"

enum sync_type {
	SYNC_GO = 1,          /* parent → child: id maps written, proceed */
	SYNC_HOOKS_REQ,       /* child → parent: mounts done, run runtime hooks */
	SYNC_HOOKS_DONE,      /* parent → child */
	SYNC_READY,           /* child → parent: created, waiting for start or exec */
	SYNC_ERROR,           /* child → parent: setup failed, text says why */
};

struct sync_msg {
	int type;
	int errnum;
	char text[1024];
};

int sync_send(int fd, enum sync_type type, const struct rt_err *err);
/* Returns the message type, 0 on EOF (the peer exec'd or died), -1 on error. */
int sync_recv(int fd, struct sync_msg *m);
/* Waits for EXPECT; an SYNC_ERROR from the peer becomes E. */
int sync_expect(int fd, enum sync_type expect, struct rt_err *e);
/* Sends TYPE with TEXT as its payload. */
int sync_send_text(int fd, enum sync_type type, const char *text);
/* Like sync_expect, keeping the message (and its text) in *M. */
int sync_expect_msg(int fd, enum sync_type expect, struct sync_msg *m, struct rt_err *e);

#endif
