/* A container's figures from its cgroup v2 files (Documentation/admin-guide/cgroup-v2.rst):
 * memory.current, memory.max, memory.peak, memory.events oom_kill, cpu.stat usage_usec, cpu.max,
 * pids.current, pids.max. bwrun puts container NAME in <cgroup2 mount>/bwrun/NAME. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_file(const struct agent *a, const char *name, const char *file, char *buf,
		     size_t size)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/bwrun/%s/%s", a->cgroup_mnt, name, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* A single number, or -1 for "max" or a missing file. */
static int64_t read_num(const struct agent *a, const char *name, const char *file)
{
	char buf[64];

	if (read_file(a, name, file, buf, sizeof(buf)) < 0 || !strncmp(buf, "max", 3))
		return -1;
	return strtoll(buf, NULL, 10);
}

/* KEY's value in a flat-keyed file ("key value" lines), or -1. */
static int64_t read_key(const struct agent *a, const char *name, const char *file, const char *key)
{
	char buf[2048], *p = buf;
	size_t kl = strlen(key);

	if (read_file(a, name, file, buf, sizeof(buf)) < 0)
		return -1;
	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return strtoll(p + kl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

uint64_t cg_oom_kills(const struct agent *a, const char *name)
{
	int64_t n = read_key(a, name, "memory.events", "oom_kill");
	return n > 0 ? (uint64_t)n : 0;
}

int cg_stats(const struct agent *a, const char *name, struct agent_stats *s)
{
	char buf[64];
	int64_t v;

	if (read_file(a, name, "cgroup.procs", buf, sizeof(buf)) < 0)
		return -1;
	v = read_num(a, name, "memory.current");
	s->memory_bytes = v > 0 ? (uint64_t)v : 0;
	s->memory_max = read_num(a, name, "memory.max");
	s->memory_peak = read_num(a, name, "memory.peak"); /* Linux 5.19 and later */
	v = read_key(a, name, "cpu.stat", "usage_usec");
	s->cpu_usec = v > 0 ? (uint64_t)v : 0;
	s->cpu_max_milli = -1;
	if (read_file(a, name, "cpu.max", buf, sizeof(buf)) == 0 && strncmp(buf, "max", 3)) {
		long long quota, period;
		/* cpu.max: "$MAX $PERIOD", the quota in microseconds per period */
		if (sscanf(buf, "%lld %lld", &quota, &period) == 2 && period > 0)
			s->cpu_max_milli = quota * 1000 / period;
	}
	v = read_num(a, name, "pids.current");
	s->pids = v > 0 ? (uint64_t)v : 0;
	s->pids_max = read_num(a, name, "pids.max");
	s->oom_kills = cg_oom_kills(a, name);
	return 0;
}
