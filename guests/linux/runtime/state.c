/* Container state: the on-disk record under --root and the lifecycle state machine. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"

static const char *const status_names[] = {
	[ST_CREATING] = "creating", [ST_CREATED] = "created", [ST_RUNNING] = "running",
	[ST_PAUSED] = "paused",     [ST_STOPPED] = "stopped",
};

const char *status_name(enum ct_status s)
{
	return (unsigned)s <= ST_STOPPED ? status_names[s] : "unknown";
}

enum ct_status status_derive(bool init_alive, bool fifo_exists, bool frozen)
{
	if (!init_alive)
		return ST_STOPPED;
	if (frozen)
		return ST_PAUSED;
	return fifo_exists ? ST_CREATED : ST_RUNNING;
}

int status_allows(enum ct_op op, enum ct_status s, const char *id, struct rt_err *e)
{
	switch (op) {
	case OP_START:
		if (s == ST_CREATED)
			return 0;
		if (s == ST_STOPPED)
			return rt_fail(e, 0, "cannot start a container that has stopped");
		return rt_fail(e, 0, "cannot start an already running container");
	case OP_EXEC:
		if (s == ST_CREATED || s == ST_RUNNING)
			return 0;
		if (s == ST_PAUSED)
			return rt_fail(e, 0, "cannot exec in a paused container (use resume first)");
		return rt_fail(e, 0, "cannot exec in a stopped container");
	case OP_KILL:
		if (s == ST_STOPPED)
			return rt_fail(e, 0, "container not running");
		return 0;
	case OP_DELETE:
		if (s == ST_STOPPED || s == ST_CREATED)
			return 0;
		return rt_fail(e, 0, "cannot delete container %s that is not stopped: %s (use --force)",
			       id, status_name(s));
	case OP_DELETE_FORCE:
	case OP_PS:
		return 0;
	case OP_PAUSE:
		if (s == ST_RUNNING || s == ST_CREATED)
			return 0;
		return rt_fail(e, 0, "container not running or created: %s", status_name(s));
	case OP_RESUME:
		if (s == ST_PAUSED)
			return 0;
		return rt_fail(e, 0, "container not paused");
	}
	return rt_fail(e, 0, "unknown operation");
}

char *state_dir(const char *root, const char *id)
{
	return xasprintf("%s/%s", root, id);
}

static struct json_object *state_to_json(const struct ct_state *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "pid", json_object_new_int(st->pid));
	json_object_object_add(o, "startTime", json_object_new_uint64(st->start_time));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs));
	json_object_object_add(o, "created", json_object_new_string(st->created));
	json_object_object_add(o, "cgroup", json_object_new_string(st->cgroup ? st->cgroup : ""));
	json_object_object_add(o, "owner", json_object_new_int64(st->owner));
	if (st->annotations)
		json_object_object_add(o, "annotations", json_object_get(st->annotations));
	return o;
}

int state_save(const char *root, const struct ct_state *st, struct rt_err *e)
{
	cleanup_free char *dir = state_dir(root, st->id);
	cleanup_free char *path = xasprintf("%s/state.json", dir);
	struct json_object *o = state_to_json(st);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	int r = write_file_atomic(path, text, strlen(text), e);

	json_object_put(o);
	return r;
}

static char *json_str_dup(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return xstrdup("");
	return xstrdup(json_object_get_string(v));
}

static int64_t json_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

int state_load(const char *root, const char *id, struct ct_state *st, struct rt_err *e)
{
	cleanup_free char *path = xasprintf("%s/%s/state.json", root, id);
	cleanup_free char *text = NULL;
	struct json_object *o, *a;

	memset(st, 0, sizeof(*st));
	if (read_file(path, &text, NULL, NULL) < 0)
		return rt_fail(e, 0, "container does not exist");
	o = json_tokener_parse(text);
	if (!o)
		return rt_fail(e, 0, "%s: corrupt state file", path);
	st->id = json_str_dup(o, "id");
	st->pid = (pid_t)json_int(o, "pid");
	st->start_time = (uint64_t)json_int(o, "startTime");
	st->bundle = json_str_dup(o, "bundle");
	st->rootfs = json_str_dup(o, "rootfs");
	st->created = json_str_dup(o, "created");
	st->cgroup = json_str_dup(o, "cgroup");
	st->owner = (uid_t)json_int(o, "owner");
	if (json_object_object_get_ex(o, "annotations", &a))
		st->annotations = json_object_get(a);
	json_object_put(o);
	return 0;
}

void state_free(struct ct_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->cgroup);
	if (st->annotations)
		json_object_put(st->annotations);
	memset(st, 0, sizeof(*st));
}

uint64_t proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	cleanup_close int fd = -1;
	unsigned long long start = 0;
	char state;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* fields after comm: 3 state ... 22 starttime */
	if (sscanf(p + 2, "%c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
		   &state, &start) != 2)
		return 0;
	if (state == 'Z' || state == 'X')
		return 0;
	return start;
}

bool proc_alive(pid_t pid, uint64_t start_time)
{
	uint64_t t;

	if (pid <= 0)
		return false;
	t = proc_start_time(pid);
	return t != 0 && (start_time == 0 || t == start_time);
}

enum ct_status state_status(const char *root, const struct ct_state *st)
{
	cleanup_free char *fifo = xasprintf("%s/%s/%s", root, st->id, EXEC_FIFO);
	bool alive = proc_alive(st->pid, st->start_time);

	return status_derive(alive, alive && path_exists(fifo),
			     alive && st->cgroup[0] && cgroup_is_frozen(st->cgroup));
}

struct json_object *state_to_oci_json(const struct ct_state *st, enum ct_status s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ociVersion", json_object_new_string("1.0.2"));
	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "pid", json_object_new_int(s == ST_STOPPED ? 0 : st->pid));
	json_object_object_add(o, "status", json_object_new_string(status_name(s)));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs));
	json_object_object_add(o, "created", json_object_new_string(st->created));
	json_object_object_add(o, "owner", json_object_new_string(""));
	if (st->annotations)
		json_object_object_add(o, "annotations", json_object_get(st->annotations));
	return o;
}
