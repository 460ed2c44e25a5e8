/* Descriptor passing over Unix sockets (unix(7), cmsg(3)): bwrun's --console-socket and the guest
 * agent's end of it. Errors are -1 with errno, so that either side words its own message. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_FDPASS_H
#define BWRUN_FDPASS_H

#include <sys/un.h>

/* *sa = an AF_UNIX address of PATH: 0, or -1 (ENAMETOOLONG) when PATH does not fit sun_path. */
int fdpass_addr(struct sockaddr_un *sa, const char *path);
/* Sends FD over SOCK in an SCM_RIGHTS message with one data byte: 0, or -1. */
int fdpass_send(int sock, int fd);
/* Receives one message from SOCK; returns the one descriptor it carried (close-on-exec), or -1:
 * EBADMSG when the peer hung up or sent anything but a single SCM_RIGHTS descriptor. */
int fdpass_recv(int sock);

#endif
