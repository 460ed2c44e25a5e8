/* A hostile guest agent for tests/system/ct_hostile_*.py: it speaks just enough of
 * include/bulwark/agent_proto.h to be asked, then answers each request naming an attack with
 * that attack (bad bytes on the agent port) followed by an error reply, so that the test sees
 * both what the hypervisor logs and that it is back in step. */
/* SPDX-License-Identifier: MIT */
/*
 * Attacks, chosen by the "name" of a request (`ct stats VM ATTACK`, `ct logs VM ATTACK`):
 *   garbage    4 KiB of random bytes, then a "\n"
 *   overlong   a line of 1 MiB (16 times AGENT_LINE_MAX) carrying the request's id
 *   huge       ids and numbers far out of range (a 5000-digit number, 1e999), then a stats
 *              reply whose sizes do not fit
 *   nul        raw NUL bytes in a line, "\u0000" in a name and in an error message
 *   escapes    terminal escape sequences in an event's name and in an error message
 *   stray      replies to ids never sent (0, -5, 2^31-1, id+1000), then a reply twice
 *   ghosts     "exited" events for 40 containers that do not exist, output and closed events
 *              for a session nobody attached, an unknown event
 *   wrongtype  a reply with the right id whose result has the wrong types
 *   flood      FLOOD_S seconds of lines (stray replies and events) as fast as the port takes
 *              them; the reply after that is late. "floodN" floods for N seconds (1 to 600)
 *   silence    from then on nothing: requests are read and dropped
 * Other requests get sane answers: "hello" a hello, "list" no containers, anything else EINVAL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bulwark/agent_proto.h"

#define PORTS_DIR "/sys/class/virtio-ports"
#define IN_MAX (AGENT_LINE_MAX + 16)
#define FLOOD_S 20

static int fd = -1;
static bool silent;

static void put(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "hostile-agent: write: %s\n", strerror(errno));
			exit(1); /* init starts us again */
		}
		p += n;
		len -= (size_t)n;
	}
}

static void putf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void putf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* The error reply that ends every attack: the hypervisor, back in step, shows it. */
static void finish(long id, const char *attack)
{
	putf("{\"v\":1,\"id\":%ld,\"ok\":false,\"error\":{\"code\":\"EHOSTILE\",\"message\":\"after %s\"}}\n", id,
	     attack);
}

static void garbage(long id)
{
	unsigned char b[4096];
	unsigned x = 12345;

	for (size_t i = 0; i < sizeof(b); i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	put(b, sizeof(b));
	put("\n", 1);
	finish(id, "garbage");
}

static void overlong(long id)
{
	static char chunk[65536];

	memset(chunk, 'A', sizeof(chunk));
	putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{\"data\":\"", id);
	for (int i = 0; i < 16; i++)
		put(chunk, sizeof(chunk));
	put("\"}}\n", 4);
	finish(id, "overlong");
}

static void huge(long id)
{
	static char digits[5001];

	memset(digits, '9', sizeof(digits) - 1);
	putf("{\"v\":1,\"id\":99999999999999999999999,\"ok\":true,\"result\":{}}\n");
	putf("{\"v\":1e999,\"id\":%ld,\"ok\":true,\"result\":{}}\n", id);
	putf("{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"big\",\"exit\":{\"code\":");
	put(digits, sizeof(digits) - 1);
	putf(",\"signal\":0,\"reason\":\"exited\"}}}\n");
	putf("{\"v\":1,\"event\":\"output\",\"data\":{\"session\":4294967296000,\"data\":\"x\"}}\n");
	/* the reply: sizes past 2^53 and 2^64, a negative count */
	putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{\"memory_bytes\":18446744073709551616,\"memory_max\":null,"
	     "\"cpu_usec\":9007199254740993,\"cpu_max_milli\":null,\"pids\":-1,\"pids_max\":null,\"oom_kills\":0}}\n",
	     id);
}

static void nul(long id)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "{\"v\":1,\"id\":%ld,\"ok\":true,@\"result\":{}}\n", id);

	*strchr(line, '@') = '\0'; /* a raw NUL where a member begins */
	put(line, (size_t)n);
	putf("{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"nul\\u0000name\",\"exit\":{\"code\":0,\"signal\":0,"
	     "\"reason\":\"exited\"}}}\n");
	putf("{\"v\":1,\"id\":%ld,\"ok\":false,\"error\":{\"code\":\"EHOSTILE\",\"message\":\"after nul\\u0000hidden\"}}\n",
	     id);
}

static void escapes(long id)
{
	putf("{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"\\u001b[2J\\u001b]0;owned\\u0007\",\"exit\":{\"code\":0,"
	     "\"signal\":0,\"reason\":\"exited\"}}}\n");
	putf("{\"v\":1,\"id\":%ld,\"ok\":false,\"error\":{\"code\":\"E\\u001b[2J\",\"message\":\"after escapes "
	     "\\u001b]0;owned\\u0007\\u001b[2J\"}}\n", id);
}

static void stray(long id)
{
	static const long ids[] = { 0, -5, 2147483647, 2147483648L };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{}}\n", ids[i]);
	putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{}}\n", id + 1000);
	finish(id, "stray");
	finish(id, "stray"); /* the same reply again: nobody waits for it now */
}

static void ghosts(long id)
{
	putf("{\"v\":1,\"event\":\"pwn\",\"data\":{}}\n");
	putf("{\"v\":1,\"event\":\"output\",\"data\":{\"session\":12345,\"data\":\"nobody attached\"}}\n");
	putf("{\"v\":1,\"event\":\"closed\",\"data\":{\"session\":12345,\"exit_code\":0,\"signal\":0}}\n");
	for (int i = 0; i < 40; i++)
		putf("{\"v\":1,\"event\":\"exited\",\"data\":{\"name\":\"ghost%d\",\"exit\":{\"code\":%d,\"signal\":0,"
		     "\"reason\":\"exited\"}}}\n", i, i % 256);
	finish(id, "ghosts");
}

static void wrongtype(long id)
{
	putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{\"memory_bytes\":\"lots\",\"memory_max\":[],\"cpu_usec\":{},"
	     "\"cpu_max_milli\":true,\"pids\":1.5,\"pids_max\":null,\"oom_kills\":0}}\n", id);
}

static void flood_for(long id, long seconds)
{
	time_t end = time(NULL) + seconds;
	unsigned long n = 0;

	while (time(NULL) < end)
		for (int i = 0; i < 64; i++, n++)
			if (n % 2)
				putf("{\"v\":1,\"id\":%lu,\"ok\":true,\"result\":{}}\n", 100000 + n % 1000000);
			else
				putf("{\"v\":1,\"event\":\"output\",\"data\":{\"session\":7,\"data\":\"flood line %lu\"}}\n", n);
	fprintf(stderr, "hostile-agent: flooded %lu lines\n", n);
	finish(id, "flood");
}

static void flood(long id)
{
	flood_for(id, FLOOD_S);
}

/* The value of "key":"..." (up to cap-1 bytes) or of "key":NUMBER in a request the hypervisor encoded. */
static bool member(const char *line, const char *key, char *out, size_t cap)
{
	char pat[32];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if (!(p = strstr(line, pat)))
		return false;
	p += strlen(pat);
	if (*p == '"')
		for (p++; *p && *p != '"' && n + 1 < cap;)
			out[n++] = *p++;
	else
		while ((*p == '-' || (*p >= '0' && *p <= '9')) && n + 1 < cap)
			out[n++] = *p++;
	out[n] = '\0';
	return n > 0;
}

static void request(const char *line)
{
	static const struct {
		const char *name;
		void (*fn)(long id);
	} attacks[] = { { "garbage", garbage }, { "overlong", overlong }, { "huge", huge }, { "nul", nul },
			{ "escapes", escapes }, { "stray", stray }, { "ghosts", ghosts }, { "wrongtype", wrongtype },
			{ "flood", flood } };
	char idbuf[24], op[32] = "", name[80] = "";
	long id;

	if (silent || !member(line, "id", idbuf, sizeof(idbuf)))
		return;
	id = strtol(idbuf, NULL, 10);
	member(line, "op", op, sizeof(op));
	member(line, "name", name, sizeof(name));
	fprintf(stderr, "hostile-agent: %s %s (id %ld)\n", op, name, id);
	if (!strcmp(op, "hello")) {
		putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{\"protocol\":1,\"agent\":\"hostile\",\"bwrun\":\"none\","
		     "\"kernel\":\"none\"}}\n", id);
		return;
	}
	if (!strcmp(op, "list")) {
		putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{\"containers\":[]}}\n", id);
		return;
	}
	if (!strcmp(op, "images")) { /* names the hypervisor prints: escape sequences */
		putf("{\"v\":1,\"id\":%ld,\"ok\":true,\"result\":{\"images\":[{\"name\":\"\\u001b[2Jimg\",\"ref\":"
		     "\"\\u001b]0;owned\\u0007\",\"size\":1}]}}\n", id);
		return;
	}
	if (!strcmp(name, "silence")) {
		silent = true;
		return;
	}
	if (!strncmp(name, "flood", 5) && name[5]) {
		char *end;
		long s = strtol(name + 5, &end, 10);
		if (!*end && s >= 1 && s <= 600) {
			flood_for(id, s);
			return;
		}
	}
	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
		if (!strcmp(name, attacks[i].name)) {
			attacks[i].fn(id);
			return;
		}
	putf("{\"v\":1,\"id\":%ld,\"ok\":false,\"error\":{\"code\":\"EINVAL\",\"message\":\"no attack named %s\"}}\n",
	     id, name);
}

static int open_port(void)
{
	DIR *d = opendir(PORTS_DIR);
	struct dirent *e;
	int f = -1;

	while (d && f < 0 && (e = readdir(d))) {
		char path[300], pname[128] = "";
		FILE *nf;

		snprintf(path, sizeof(path), PORTS_DIR "/%s/name", e->d_name);
		if (e->d_name[0] == '.' || !(nf = fopen(path, "re")))
			continue;
		if (fgets(pname, sizeof(pname), nf))
			pname[strcspn(pname, "\n")] = '\0';
		fclose(nf);
		if (!strcmp(pname, AGENT_PORT_NAME)) {
			snprintf(path, sizeof(path), "/dev/%s", e->d_name);
			f = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
		}
	}
	if (d)
		closedir(d);
	return f;
}

int main(void)
{
	static char in[IN_MAX];
	size_t len = 0;
	bool discarding = false;

	while ((fd = open_port()) < 0)
		sleep(1);
	putf("{\"v\":1,\"event\":\"ready\",\"data\":{\"protocol\":1,\"agent\":\"hostile\"}}\n");
	for (;;) {
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "hostile-agent: read: %s\n", strerror(errno));
			return 1;
		}
		if (n == 0) { /* the host side is not there: wait for it */
			sleep(1);
			continue;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				in[len] = '\0';
				if (!discarding)
					request(in);
				len = 0;
				discarding = false;
			} else if (len + 1 < sizeof(in)) {
				in[len++] = buf[i];
			} else {
				discarding = true;
			}
		}
	}
}
