/* The agent's channel: the virtio-console port named AGENT_PORT_NAME (agent_proto.h "Channel"),
 * found through /sys/class/virtio-ports/<dev>/name and opened as /dev/<dev>; or --channel. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>

#define PORTS_DIR "/sys/class/virtio-ports"

/* /dev/vportNpM of the agent's port, or -1 while it is not there. */
static int open_port(void)
{
	DIR *d = opendir(PORTS_DIR);
	struct dirent *e;
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		char path[300], name[128] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PORTS_DIR "/%s/name", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = '\0';
		fclose(f);
		if (strcmp(name, AGENT_PORT_NAME))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	}
	closedir(d);
	return fd;
}

/* --channel PATH: a FIFO or a pty opened with flags, or a Unix socket connected to. */
static int open_path(const char *path, int flags)
{
	struct stat st;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISSOCK(st.st_mode))
		return open(path, flags | O_NOCTTY | O_CLOEXEC);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* --channel or --channel-out: an fd number, or a path. */
static int open_given(const char *c, const char *opt, int flags)
{
	char *end;
	long n = strtol(c, &end, 10);
	int fd;

	if (c[0] && !*end && n >= 0 && n < 1024) {
		fd = (int)n;
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
			fprintf(stderr, "bulwark-agent: %s %s: %s\n", opt, c, strerror(errno));
			return -1;
		}
	} else if ((fd = open_path(c, flags)) < 0) {
		fprintf(stderr, "bulwark-agent: %s %s: %s\n", opt, c, strerror(errno));
		return -1;
	}
	if (isatty(fd)) { /* a serial line or a pty: bytes as they are, no echo, no line editing */
		struct termios t;
		if (tcgetattr(fd, &t) == 0) {
			cfmakeraw(&t);
			tcsetattr(fd, TCSANOW, &t);
		}
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int channel_open(struct agent *a)
{
	int fd;

	if (a->o.channel) {
		a->chan_is_fd = true;
		/* A FIFO pair: the one read first, then the one written (opening a FIFO waits for
		 * its other end), so that the other side's EOF reaches us. */
		fd = open_given(a->o.channel, "--channel", a->o.channel_out ? O_RDONLY : O_RDWR);
		if (fd < 0)
			return -1;
		a->chan_fd = a->chan_out_fd = fd;
		if (a->o.channel_out &&
		    (a->chan_out_fd = open_given(a->o.channel_out, "--channel-out", O_WRONLY)) < 0)
			return -1;
		return 0;
	}
	/* No udev in the guest: the port's node appears in devtmpfs when the driver binds. */
	for (int tries = 0; (fd = open_port()) < 0; tries++) {
		if (tries % 60 == 0)
			fprintf(stderr, "bulwark-agent: waiting for virtio port %s\n", AGENT_PORT_NAME);
		sleep(1);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	a->chan_fd = a->chan_out_fd = fd;
	return 0;
}
