/* cgroup v2: one cgroup per container, its limits, freezing and removal. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "devices_bpf.h"

const char *cgroup_mountpoint(void)
{
	static char mnt[512];
	static int done;
	cleanup_fclose FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;

	if (done)
		return mnt[0] ? mnt : NULL;
	done = 1;
	f = fopen("/proc/self/mountinfo", "re");
	while (f && getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - ");
		char point[512];

		if (!sep || strncmp(sep, " - cgroup2 ", 11))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", point) == 1) {
			snprintf(mnt, sizeof(mnt), "%s", point);
			break;
		}
	}
	free(line);
	return mnt[0] ? mnt : NULL;
}

/* The runtime's own cgroup v2 path ("0::/a/b" in /proc/self/cgroup); like runc, a
 * systemd ".scope" leaf is left for its parent, since the scope already holds processes. */
static char *own_cgroup(void)
{
	cleanup_free char *text = NULL;
	char *line, *save = NULL, *slash;

	if (read_file("/proc/self/cgroup", &text, NULL, NULL) < 0)
		return xstrdup("");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "0::", 3))
			break;
	if (!line || !strcmp(line + 3, "/"))
		return xstrdup("");
	slash = strrchr(line + 3, '/');
	if (slash && strlen(slash) > 6 && !strcmp(slash + strlen(slash) - 6, ".scope"))
		*slash = '\0';
	return xstrdup(line + 3);
}

char *cgroup_path_for(const struct oci_config *c, const char *id, struct rt_err *e)
{
	const char *mnt = cgroup_mountpoint();
	const char *p = c->cgroups_path;
	size_t n;

	if (!mnt) {
		rt_fail(e, 0, "no cgroup2 filesystem is mounted (mount -t cgroup2 none /sys/fs/cgroup)");
		return NULL;
	}
	if (!p || !p[0])
		return xasprintf("%s/bwrun/%s", mnt, id);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	if (p[0] == '/' && n == 1) {
		rt_fail(e, 0, "linux.cgroupsPath: \"/\" is the root cgroup; a container needs its own");
		return NULL;
	}
	if (p[0] == '/')
		return xasprintf("%s%.*s", mnt, (int)n, p);
	/* config-linux.md "cgroupsPath": relative to the runtime's cgroup hierarchy. */
	cleanup_free char *own = own_cgroup();
	return xasprintf("%s%s/%.*s", mnt, own, (int)n, p);
}

static int cg_write(const char *dir, const char *file, const char *val, struct rt_err *e)
{
	cleanup_free char *p = xasprintf("%s/%s", dir, file);
	cleanup_close int fd = open(p, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return rt_fail(e, errno, "cgroup: open %s", p);
	if (write(fd, val, strlen(val)) < 0)
		return rt_fail(e, errno, "cgroup: write \"%s\" to %s", val, p);
	return 0;
}

static bool has_controller(const char *dir, const char *ctl)
{
	cleanup_free char *p = xasprintf("%s/cgroup.controllers", dir);
	cleanup_free char *text = NULL;
	char *save = NULL;

	if (read_file(p, &text, NULL, NULL) < 0)
		return false;
	for (char *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		if (!strcmp(w, ctl))
			return true;
	return false;
}

/* Enables CTL in cgroup.subtree_control of every ancestor of DIR, from the mount down.
 * FIELD names the config field that needs it, for the error. */
static int enable_controller(const char *dir, const char *ctl, const char *field,
			     struct rt_err *e)
{
	const char *mnt = cgroup_mountpoint();
	cleanup_free char *p = xstrdup(dir);
	char word[32];

	if (!has_controller(mnt, ctl))
		return rt_fail(e, 0, "%s: cgroup controller \"%s\" is not available in %s (cgroup.controllers lacks it; on a hybrid host it is bound to cgroup v1)",
			       field, ctl, mnt);
	snprintf(word, sizeof(word), "+%s", ctl);
	for (size_t i = strlen(mnt); p[i]; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (cg_write(p, "cgroup.subtree_control", word, e) < 0)
			return rt_fail(e, e->errnum, "%s: enable controller \"%s\" in %s/cgroup.subtree_control",
				       field, ctl, p);
		p[i] = '/';
	}
	return 0;
}

struct needed {
	const char *ctl;
	const char *field;
};

static bool has_throttle(const struct oci_resources *r)
{
	for (int k = 0; k < THR_KINDS; k++)
		if (r->n_throttle[k])
			return true;
	return false;
}

/* Which controllers R needs, each with the first config field that asks for it. */
static size_t needed_controllers(const struct oci_resources *r, struct needed *out, size_t max)
{
	size_t n = 0;

#define NEED(cond, c, f)                                              \
	do {                                                          \
		if ((cond) && n < max)                                \
			out[n++] = (struct needed){ (c), (f) };      \
	} while (0)
	NEED(r->memory_limit != -1 || r->memory_swap != -1 || r->memory_reservation != -1,
	     "memory", "linux.resources.memory");
	NEED(r->cpu_quota != -1 || r->cpu_period != -1 || r->cpu_shares != -1, "cpu",
	     "linux.resources.cpu");
	NEED(r->cpuset_cpus || r->cpuset_mems, "cpuset", "linux.resources.cpu.cpus/mems");
	NEED(r->pids_limit != -1, "pids", "linux.resources.pids");
	NEED(r->blkio_weight != -1 || r->n_blkio_weights || has_throttle(r), "io",
	     "linux.resources.blockIO");
	NEED(r->n_hugepages, "hugetlb", "linux.resources.hugepageLimits");
#undef NEED
	return n;
}

/* The controller a unified key belongs to: "memory.high" -> "memory"; NULL for the
 * core "cgroup." files, which every cgroup has. */
static char *unified_controller(const char *key)
{
	const char *dot = strchr(key, '.');

	if (!dot || !strncmp(key, "cgroup.", 7))
		return NULL;
	return xasprintf("%.*s", (int)(dot - key), key);
}

static int enable_all(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	struct needed need[8];
	size_t n = needed_controllers(r, need, 8);

	for (size_t i = 0; i < n; i++)
		if (enable_controller(dir, need[i].ctl, need[i].field, e) < 0)
			return -1;
	if (!r->unified)
		return 0;
	json_object_object_foreach(r->unified, key, val)
	{
		cleanup_free char *ctl = unified_controller(key);
		cleanup_free char *field = xasprintf("linux.resources.unified.%s", key);

		(void)val;
		if (ctl && enable_controller(dir, ctl, field, e) < 0)
			return -1;
	}
	return 0;
}

int cgroup_create(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	cleanup_free char *parent = xstrdup(dir);

	*strrchr(parent, '/') = '\0';
	if (mkdir_p(parent, 0755, e) < 0 || enable_all(dir, r, e) < 0)
		return -1;
	if (mkdir(dir, 0755) < 0)
		return rt_fail(e, errno, "cgroup: mkdir %s", dir);
	if (cgroup_apply(dir, r, e) < 0) {
		rmdir(dir);
		return -1;
	}
	return 0;
}

int cgroup_update(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	if (enable_all(dir, r, e) < 0)
		return -1;
	return cgroup_apply(dir, r, e);
}

static int apply_cpu(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	char buf[64];

	if (r->cpu_quota != -1 || r->cpu_period != -1) {
		int64_t period = r->cpu_period != -1 ? r->cpu_period : 100000;

		if (r->cpu_quota > 0)
			snprintf(buf, sizeof(buf), "%" PRId64 " %" PRId64, r->cpu_quota, period);
		else
			snprintf(buf, sizeof(buf), "max %" PRId64, period);
		if (cg_write(dir, "cpu.max", buf, e) < 0)
			return -1;
	}
	if (r->cpu_shares != -1) {
		uint64_t weight = 1 + ((uint64_t)(r->cpu_shares - 2) * 9999) / 262142;

		snprintf(buf, sizeof(buf), "%" PRIu64, weight);
		if (cg_write(dir, "cpu.weight", buf, e) < 0)
			return -1;
	}
	/* Documentation/admin-guide/cgroup-v2.rst "Cpuset Interface Files" */
	if (r->cpuset_cpus && cg_write(dir, "cpuset.cpus", r->cpuset_cpus, e) < 0)
		return rt_fail(e, e->errnum, "linux.resources.cpu.cpus \"%s\"", r->cpuset_cpus);
	if (r->cpuset_mems && cg_write(dir, "cpuset.mems", r->cpuset_mems, e) < 0)
		return rt_fail(e, e->errnum, "linux.resources.cpu.mems \"%s\"", r->cpuset_mems);
	return 0;
}

/* blkio weight 10..1000 to io.weight 1..10000, the conversion runc and crun use. */
static int64_t io_weight(int64_t blkio)
{
	return 1 + (blkio - 10) * 9999 / 990;
}

/* cgroup-v2.rst "IO Interface Files": io.weight "default W" / "MAJ:MIN W", and io.max
 * "MAJ:MIN rbps=N wbps=N riops=N wiops=N", one line per device. */
static int apply_io(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	static const char *const keys[THR_KINDS] = { "rbps", "wbps", "riops", "wiops" };
	char buf[96];

	if (r->blkio_weight != -1) {
		snprintf(buf, sizeof(buf), "default %" PRId64, io_weight(r->blkio_weight));
		if (cg_write(dir, "io.weight", buf, e) < 0)
			return rt_fail(e, e->errnum, "linux.resources.blockIO.weight");
	}
	for (size_t i = 0; i < r->n_blkio_weights; i++) {
		const struct oci_blkio_dev *d = &r->blkio_weights[i];

		snprintf(buf, sizeof(buf), "%u:%u %" PRId64, d->major, d->minor, io_weight(d->value));
		if (cg_write(dir, "io.weight", buf, e) < 0)
			return rt_fail(e, e->errnum, "linux.resources.blockIO.weightDevice[%zu]", i);
	}
	for (int k = 0; k < THR_KINDS; k++)
		for (size_t i = 0; i < r->n_throttle[k]; i++) {
			const struct oci_blkio_dev *d = &r->throttle[k][i];

			snprintf(buf, sizeof(buf), "%u:%u %s=%" PRId64, d->major, d->minor, keys[k],
				 d->value);
			if (cg_write(dir, "io.max", buf, e) < 0)
				return rt_fail(e, e->errnum, "linux.resources.blockIO: io.max \"%s\"", buf);
		}
	return 0;
}

static int apply_hugetlb(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	for (size_t i = 0; i < r->n_hugepages; i++) {
		cleanup_free char *file = xasprintf("hugetlb.%s.max", r->hugepages[i].page_size);
		char buf[32];

		snprintf(buf, sizeof(buf), "%" PRIu64, r->hugepages[i].limit);
		if (cg_write(dir, file, buf, e) < 0)
			return rt_fail(e, e->errnum, "linux.resources.hugepageLimits[%zu]: %s (does the host have %s pages?)",
				       i, file, r->hugepages[i].page_size);
	}
	return 0;
}

/* config-linux.md "Unified": each key is a file of the container's cgroup, written as
 * given; a file the host does not have is an error, never skipped. */
static int apply_unified(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	if (!r->unified)
		return 0;
	json_object_object_foreach(r->unified, key, val)
	{
		cleanup_free char *path = xasprintf("%s/%s", dir, key);
		cleanup_free char *ctl = unified_controller(key);

		if (!path_exists(path))
			return rt_fail(e, 0, "linux.resources.unified.%s: the cgroup has no such file (controller \"%s\")",
				       key, ctl ? ctl : "cgroup");
		if (cg_write(dir, key, json_object_get_string(val), e) < 0)
			return rt_fail(e, e->errnum, "linux.resources.unified.%s", key);
	}
	return 0;
}

int cgroup_apply(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	char buf[64];

	if (r->memory_limit != -1) {
		snprintf(buf, sizeof(buf), "%" PRId64, r->memory_limit);
		if (cg_write(dir, "memory.max", buf, e) < 0)
			return -1;
	}
	if (r->memory_reservation != -1) {
		snprintf(buf, sizeof(buf), "%" PRId64, r->memory_reservation);
		if (cg_write(dir, "memory.low", buf, e) < 0)
			return -1;
	}
	if (r->memory_swap != -1 && r->memory_limit != -1) {
		cleanup_free char *p = xasprintf("%s/memory.swap.max", dir);

		snprintf(buf, sizeof(buf), "%" PRId64, r->memory_swap - r->memory_limit);
		if (path_exists(p) && cg_write(dir, "memory.swap.max", buf, e) < 0)
			return -1;
	}
	if (apply_cpu(dir, r, e) < 0)
		return -1;
	if (r->pids_limit != -1) {
		snprintf(buf, sizeof(buf), "%" PRId64, r->pids_limit);
		if (cg_write(dir, "pids.max", buf, e) < 0)
			return -1;
	}
	if (apply_io(dir, r, e) < 0 || apply_hugetlb(dir, r, e) < 0 ||
	    apply_unified(dir, r, e) < 0)
		return -1;
	if (r->has_devices && devices_bpf_apply(dir, r, e) < 0)
		return -1;
	return 0;
}

int cgroup_add_pid(const char *dir, pid_t pid, struct rt_err *e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cg_write(dir, "cgroup.procs", buf, e);
}

static bool events_flag(const char *dir, const char *key)
{
	cleanup_free char *p = xasprintf("%s/cgroup.events", dir);
	cleanup_free char *text = NULL;
	char *at;

	if (read_file(p, &text, NULL, NULL) < 0)
		return false;
	at = strstr(text, key);
	return at && at[strlen(key)] == ' ' && at[strlen(key) + 1] == '1';
}

bool cgroup_is_frozen(const char *dir)
{
	cleanup_free char *p = xasprintf("%s/cgroup.freeze", dir);
	cleanup_free char *text = NULL;

	if (read_file(p, &text, NULL, NULL) < 0)
		return false;
	return text[0] == '1';
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int cgroup_freeze(const char *dir, bool frozen, struct rt_err *e)
{
	if (cg_write(dir, "cgroup.freeze", frozen ? "1" : "0", e) < 0)
		return -1;
	for (int i = 0; i < 2000; i++) {
		if (events_flag(dir, "frozen") == frozen)
			return 0;
		sleep_ms(1);
	}
	return rt_fail(e, 0, "cgroup %s did not %s within 2 s", dir,
		       frozen ? "freeze" : "thaw");
}

int cgroup_pids(const char *dir, pid_t **pids, struct rt_err *e)
{
	cleanup_free char *p = xasprintf("%s/cgroup.procs", dir);
	cleanup_free char *text = NULL;
	size_t n = 0, cap = 16;
	char *save = NULL;

	if (read_file(p, &text, NULL, e) < 0)
		return -1;
	*pids = xcalloc(cap, sizeof(pid_t));
	for (char *w = strtok_r(text, "\n", &save); w; w = strtok_r(NULL, "\n", &save)) {
		if (n == cap)
			*pids = realloc(*pids, (cap *= 2) * sizeof(pid_t));
		if (!*pids)
			abort();
		(*pids)[n++] = (pid_t)atoi(w);
	}
	return (int)n;
}

int cgroup_kill_all(const char *dir, int sig)
{
	pid_t *pids = NULL;
	int n;

	if (sig == SIGKILL && cg_write(dir, "cgroup.kill", "1", NULL) == 0)
		return 0;
	n = cgroup_pids(dir, &pids, NULL);
	for (int i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return n < 0 ? -1 : 0;
}

int cgroup_destroy(const char *dir, struct rt_err *e)
{
	if (!dir || !dir[0] || !path_exists(dir))
		return 0;
	if (cgroup_is_frozen(dir))
		cg_write(dir, "cgroup.freeze", "0", NULL);
	for (int i = 0; i < 5000; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		if (i % 50 == 0)
			cgroup_kill_all(dir, SIGKILL);
		sleep_ms(1);
	}
	return rt_fail(e, errno, "cgroup: remove %s", dir);
}
