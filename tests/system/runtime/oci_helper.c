/* Static helper for the in-VM OCI suite, where there is only busybox: a --console-socket
 * server that types into the received pty, and a hugetlb page toucher.
 *   oci_helper consock SOCKET INPUT EXPECT [HOLD]
 *                                            takes one pty master, writes INPUT, prints
 *                                            what comes back until EXPECT (exit 0) or 20 s,
 *                                            then keeps the pty open HOLD seconds more
 *   oci_helper hugetouch N                   maps N 2 MiB huge pages and touches each,
 *                                            printing "touched I" (a hugetlb limit: SIGBUS) */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int recv_fd(int conn)
{
	char byte, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(conn, &m, 0) < 0)
		return -1;
	c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int consock(const char *path, const char *input, const char *expect, int hold)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), conn, master;
	char out[65536];
	size_t n = 0;
	time_t end = time(NULL) + 20;

	char tmp[sizeof(a.sun_path)];

	/* bound under a temporary name and renamed once listening, so that a runtime that
	 * connects as soon as the socket file exists is never refused */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", tmp);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0 ||
	    rename(tmp, path) < 0) {
		perror("consock: listen");
		return 2;
	}
	conn = accept(s, NULL, NULL);
	master = conn < 0 ? -1 : recv_fd(conn);
	if (master < 0) {
		fprintf(stderr, "consock: no descriptor received\n");
		return 2;
	}
	if (write(master, input, strlen(input)) < 0)
		return 2;
	out[0] = '\0';
	while (!strstr(out, expect) && time(NULL) < end && n < sizeof(out) - 1) {
		struct pollfd p = { master, POLLIN, 0 };
		ssize_t r;

		if (poll(&p, 1, 200) <= 0)
			continue;
		r = read(master, out + n, sizeof(out) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		out[n] = '\0';
	}
	fwrite(out, 1, n, stdout);
	putchar('\n');
	fflush(stdout);
	if (hold > 0)
		sleep((unsigned)hold);
	return strstr(out, expect) ? 0 : 1;
}

static int hugetouch(int pages)
{
	size_t len = (size_t)pages << 21;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED) {
		perror("hugetouch: mmap MAP_HUGETLB");
		return 1;
	}
	for (int i = 0; i < pages; i++) {
		p[(size_t)i << 21] = 1;
		printf("touched %d\n", i + 1);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "consock"))
		return consock(argv[2], argv[3], argv[4], argc == 6 ? atoi(argv[5]) : 0);
	if (argc == 3 && !strcmp(argv[1], "hugetouch"))
		return hugetouch(atoi(argv[2]));
	fprintf(stderr, "usage: oci_helper consock SOCKET INPUT EXPECT [HOLD] | hugetouch N\n");
	return 2;
}
