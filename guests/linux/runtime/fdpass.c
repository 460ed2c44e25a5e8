/* Descriptor passing over Unix sockets (unix(7), cmsg(3)): bwrun's --console-socket and the guest
 * agent's end of it. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One data byte (a stream socket carries ancillary data only along with data) and room for one
 * descriptor's control message. */
struct fdpass_msg {
	char byte;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg;
};

static void fdpass_msg_init(struct fdpass_msg *m, char byte)
{
	memset(m, 0, sizeof(*m));
	m->byte = byte;
	m->iov = (struct iovec){ &m->byte, 1 };
	m->msg = (struct msghdr){ .msg_iov = &m->iov, .msg_iovlen = 1, .msg_control = m->u.buf,
				  .msg_controllen = sizeof(m->u.buf) };
}

int fdpass_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

int fdpass_send(int sock, int fd)
{
	struct fdpass_msg m;
	struct cmsghdr *c;

	fdpass_msg_init(&m, 'T');
	c = CMSG_FIRSTHDR(&m.msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m.msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

int fdpass_recv(int sock)
{
	struct fdpass_msg m;
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	fdpass_msg_init(&m, 0);
	n = recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -1;
	c = n ? CMSG_FIRSTHDR(&m.msg) : NULL;
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int))) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}
