/* bulwark-agent: the guest agent. One event loop (poll + signalfd) over the channel, every
 * container's output and every exec process; decode, then invoke. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <json-c/json.h>

#ifndef AGENT_VERSION
#define AGENT_VERSION "0"
#endif

int64_t agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void send_ready(struct agent *a)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "protocol", json_object_new_int(AGENT_PROTO_VERSION));
	json_object_object_add(d, "agent", json_object_new_string(AGENT_VERSION));
	agent_send(a, agent_event("ready", d));
}

static void on_line(void *ctx, const char *line, size_t len)
{
	struct agent *a = ctx;
	struct agent_req r;
	struct agent_err e;

	if (strspn(line, " \t\r") >= len) /* an empty line ("\r\n" ends one, too): ignored */
		return;
	if (agent_decode(line, len, &r, &e) < 0) {
		agent_send(a, agent_reply_err(&e));
		return;
	}
	if (agent_gate(&r, a->hello_done, &e) < 0)
		agent_send(a, agent_reply_err(&e));
	else
		op_dispatch(a, &r);
	agent_req_free(&r);
}

static void on_overlong(void *ctx)
{
	agent_send(ctx, agent_reply_error(0, "EPROTO", "line over %d bytes", AGENT_LINE_MAX));
}

static void usage(void)
{
	fprintf(stderr, "usage: bulwark-agent [--channel PATH|FD [--channel-out PATH|FD]] [--bwrun PATH] [--root DIR] "
			"[--images DIR] [--work DIR] [--bwrun-timeout S]\n"
			"  speaks include/bulwark/agent_proto.h on the virtio-console port %s\n",
		AGENT_PORT_NAME);
	exit(2);
}

static void parse_args(struct agent *a, int argc, char **argv)
{
	a->o.bwrun = "/bin/bwrun";
	a->o.root = "/run/bwrun";
	a->o.images = "/images";
	a->o.work = "/run/bulwark-agent";
	a->bwrun_timeout_ms = AGENT_BWRUN_TIMEOUT_S * 1000;
	for (int i = 1; i < argc; i++) {
		const char **dst = NULL;
		if (!strcmp(argv[i], "--bwrun-timeout") && i + 1 < argc) {
			int s = atoi(argv[++i]);
			if (s < 1 || s > 3600)
				usage();
			a->bwrun_timeout_ms = s * 1000;
			continue;
		}
		if (!strcmp(argv[i], "--channel"))
			dst = &a->o.channel;
		else if (!strcmp(argv[i], "--channel-out"))
			dst = &a->o.channel_out;
		else if (!strcmp(argv[i], "--bwrun"))
			dst = &a->o.bwrun;
		else if (!strcmp(argv[i], "--root"))
			dst = &a->o.root;
		else if (!strcmp(argv[i], "--images"))
			dst = &a->o.images;
		else if (!strcmp(argv[i], "--work"))
			dst = &a->o.work;
		else if (!strcmp(argv[i], "--version")) {
			printf("bulwark-agent %s (protocol %d)\n", AGENT_VERSION, AGENT_PROTO_VERSION);
			exit(0);
		}
		if (!dst || i + 1 >= argc)
			usage();
		*dst = argv[++i];
	}
}

/* fds 0..2 stay taken (on /dev/null if we were started without them), so every fd the agent
 * opens is 3 or above and a child's stdio dups never overwrite a source (spawn.c); the first
 * fd above 2 is kept as the agent's /dev/null. */
static int open_null(struct agent *a)
{
	for (;;) {
		int fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			return -1;
		if (fd > 2) {
			fcntl(fd, F_SETFD, FD_CLOEXEC);
			a->null_fd = fd;
			return 0;
		}
	}
}

/* Ahead of the containers' processes on a busy guest (AGENT_NICE), while everything it starts
 * (bwrun, and so the containers) begins at nice 0 again: SCHED_RESET_ON_FORK (sched(7)). */
static void raise_priority(void)
{
	struct sched_param sp = { 0 };

	if (sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp) < 0 ||
	    setpriority(PRIO_PROCESS, 0, AGENT_NICE) < 0)
		perror("bulwark-agent: raise its priority");
}

/* Where cgroup v2 is mounted (bwrun puts container NAME in MNT/bwrun/NAME). */
static void find_cgroup(struct agent *a)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];

	snprintf(a->cgroup_mnt, sizeof(a->cgroup_mnt), "/sys/fs/cgroup");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 ");
		char mnt[256];
		if (sep && sscanf(line, "%*s %*s %*s %*s %255s", mnt) == 1) {
			snprintf(a->cgroup_mnt, sizeof(a->cgroup_mnt), "%s", mnt);
			break;
		}
	}
	fclose(f);
}

static int read_channel(struct agent *a)
{
	char buf[16384];
	ssize_t n = read(a->chan_fd, buf, sizeof(buf));

	if (n > 0) {
		const struct agent_line_sink sink = { on_line, on_overlong, a };
		agent_linebuf_feed(&a->lb, buf, (size_t)n, &sink);
		return 0;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1; /* EOF or error: the other end went away */
}

#define MAX_POLL (3 + 3 * (AGENT_CONTAINERS_MAX + AGENT_EXECS_MAX) + AGENT_CONTAINERS_MAX)

int main(int argc, char **argv)
{
	static struct agent a;
	sigset_t mask;

	parse_args(&a, argc, argv);
	a.next_session = 1;
	a.chan_fd = a.chan_out_fd = -1;
	a.outq = malloc(AGENT_OUTQ_MAX);
	if (!a.outq)
		return 1;
	if (open_null(&a) < 0) {
		perror("bulwark-agent: /dev/null");
		return 1;
	}
	raise_priority();
	signal(SIGPIPE, SIG_IGN);
	/* Container inits are bwrun's children; as subreaper they become ours when bwrun create
	 * exits, so their exit status comes to us (prctl(2) PR_SET_CHILD_SUBREAPER). */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		perror("bulwark-agent: PR_SET_CHILD_SUBREAPER");
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	a.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a.sig_fd < 0) {
		perror("bulwark-agent: signalfd");
		return 1;
	}
	find_cgroup(&a);
	ct_remove_orphans(&a);
	{
		/* `bwrun --version` says "bwrun version X" on its first line (for hello) */
		const char *argv[] = { "--version", NULL };
		char ver[256];
		if (bwrun_call(&a, argv, -1, -1, -1, a.bwrun_timeout_ms, ver, sizeof(ver)) < 0 ||
		    !ver[0])
			snprintf(ver, sizeof(ver), "unknown");
		snprintf(a.bwrun_version, sizeof(a.bwrun_version), "%s",
			 strncmp(ver, "bwrun version ", 14) ? ver : ver + 14);
	}
	if (channel_open(&a) < 0)
		return 1;
	agent_linebuf_init(&a.lb);
	send_ready(&a);

	for (;;) {
		struct pollfd p[MAX_POLL];
		void *owner[MAX_POLL];
		int kind[MAX_POLL]; /* 0 channel, 1 signal, 2 container, 3 exec, 4 job */
		int n = 0, timeout = -1;
		int64_t dl = ct_next_deadline(&a);

		p[n] = (struct pollfd){ .fd = a.chan_fd, .events = POLLIN };
		kind[n++] = 0;
		p[n] = (struct pollfd){ .fd = a.sig_fd, .events = POLLIN };
		kind[n++] = 1;
		/* lines waiting for room on the channel */
		p[n] = (struct pollfd){ .fd = a.chan_out_fd, .events = a.outq_len ? POLLOUT : 0 };
		kind[n++] = 5;
		for (struct container *c = a.cts; c; c = c->next) {
			if (c->out_fd >= 0 && n < MAX_POLL) {
				p[n] = (struct pollfd){ .fd = c->out_fd, .events = POLLIN };
				owner[n] = c;
				kind[n++] = 2;
			}
		}
		for (struct job *j = a.jobs; j; j = j->next)
			if (j->out_fd >= 0 && n < MAX_POLL) {
				p[n] = (struct pollfd){ .fd = j->out_fd, .events = POLLIN };
				owner[n] = j;
				kind[n++] = 4;
			}
		for (struct execproc *x = a.execs; x; x = x->next) {
			int fds[2] = { x->out_fd, x->err_fd };
			for (int i = 0; i < 2; i++)
				if (fds[i] >= 0 && n < MAX_POLL) {
					p[n] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
					owner[n] = x;
					kind[n++] = 3;
				}
		}
		if (dl >= 0) {
			int64_t left = dl - agent_now_ms();
			timeout = left < 0 ? 0 : (int)(left > 60000 ? 60000 : left);
		}
		if (poll(p, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			perror("bulwark-agent: poll");
			return 1;
		}
		if (p[2].revents & (POLLOUT | POLLERR | POLLHUP) && a.outq_len)
			agent_flush(&a);
		/* Output first, then exits, so that an exit is reported after its last output. */
		for (int i = 3; i < n; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (kind[i] == 2)
				ct_read_output(&a, owner[i], p[i].fd);
			else if (kind[i] == 4)
				job_read(&a, owner[i]);
			else
				exec_read_output(&a, owner[i], p[i].fd);
			/* a handler may have freed its owner: restart the scan next round */
			break;
		}
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(a.sig_fd, &si, sizeof(si)) == sizeof(si))
				;
			reap_children(&a);
		}
		jobs_check_deadlines(&a);
		ct_check_stops(&a);
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR) && read_channel(&a) < 0) {
			if (a.chan_is_fd) {
				fprintf(stderr, "bulwark-agent: channel closed\n");
				return 0;
			}
			/* The virtio port: the host end went away; reopen and start over. */
			close(a.chan_fd);
			a.chan_fd = a.chan_out_fd = -1;
			a.outq_len = 0; /* lines for the connection that went away */
			sleep(1);
			if (channel_open(&a) < 0)
				return 1;
			agent_linebuf_init(&a.lb);
			a.hello_done = false;
			send_ready(&a);
		}
	}
}
