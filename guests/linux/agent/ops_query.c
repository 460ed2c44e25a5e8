/* hello, list, state, logs, stats, and the table from op to handler. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <json-c/json.h>

#ifndef AGENT_VERSION
#define AGENT_VERSION "0"
#endif

void op_hello(struct agent *a, const struct agent_req *r)
{
	struct json_object *res;
	struct utsname u;

	a->hello_done = true; /* agent_gate() has checked the protocol */
	res = json_object_new_object();
	json_object_object_add(res, "protocol", json_object_new_int(AGENT_PROTO_VERSION));
	json_object_object_add(res, "agent", json_object_new_string(AGENT_VERSION));
	json_object_object_add(res, "bwrun", json_object_new_string(a->bwrun_version));
	json_object_object_add(res, "kernel", json_object_new_string(uname(&u) == 0 ? u.release : ""));
	agent_send(a, agent_reply_ok(r->id, res));
}

static const char *status_name(const struct container *c)
{
	static const char *const names[] = { [CT_CREATING] = "created",
					     [CT_CREATED] = "created", [CT_RUNNING] = "running",
					     [CT_STOPPED] = "stopped" };
	return names[c->status];
}

static struct json_object *state_of(const struct container *c)
{
	struct agent_state s = { c->name, c->image, status_name(c), c->pid, c->created, c->exit };
	return agent_state_json(&s);
}

static struct container *find(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);

	if (!c || c->status == CT_CREATING) {
		agent_send(a, agent_reply_error(r->id, c ? "EBUSY" : "ENOENT", c ?
						"container %s is being created" :
						"no container named %s", r->name));
		return NULL;
	}
	return c;
}

void op_list(struct agent *a, const struct agent_req *r)
{
	struct json_object *res = json_object_new_object(), *list = json_object_new_array();

	for (struct container *c = a->cts; c; c = c->next)
		if (c->status != CT_CREATING) /* not one yet, or no longer */
			json_object_array_add(list, state_of(c));
	json_object_object_add(res, "containers", list);
	agent_send(a, agent_reply_ok(r->id, res));
}

void op_state(struct agent *a, const struct agent_req *r)
{
	struct container *c = find(a, r);

	if (c)
		agent_send(a, agent_reply_ok(r->id, state_of(c)));
}

void op_logs(struct agent *a, const struct agent_req *r)
{
	struct container *c = find(a, r);
	char data[AGENT_DATA_MAX];
	uint64_t from = 0, start;
	size_t n;
	struct json_object *res;

	if (!c)
		return;
	if (r->has_lines)
		from = agent_logring_last_lines(&c->log, (uint64_t)r->lines);
	if (r->has_from && (uint64_t)r->from > from)
		from = (uint64_t)r->from;
	n = agent_logring_read(&c->log, from, data, sizeof(data), &start);
	res = json_object_new_object();
	json_object_object_add(res, "data", agent_data_string(data, n));
	json_object_object_add(res, "offset", json_object_new_int64((int64_t)(start + n)));
	json_object_object_add(res, "start", json_object_new_int64((int64_t)start));
	json_object_object_add(res, "running", json_object_new_boolean(c->status == CT_RUNNING));
	agent_send(a, agent_reply_ok(r->id, res));
}

void op_stats(struct agent *a, const struct agent_req *r)
{
	struct container *c = find(a, r);
	struct agent_stats s;

	if (!c)
		return;
	if (cg_stats(a, c->name, &s) < 0) {
		agent_send(a, agent_reply_error(r->id, "EIO", "no cgroup %s/bwrun/%s", a->cgroup_mnt,
						c->name));
		return;
	}
	agent_send(a, agent_reply_ok(r->id, agent_stats_json(&s)));
}

void op_dispatch(struct agent *a, const struct agent_req *r)
{
	static void (*const handlers[AGENT_OP_COUNT])(struct agent *, const struct agent_req *) = {
		[AGENT_OP_HELLO] = op_hello,   [AGENT_OP_IMAGES] = op_images,
		[AGENT_OP_CREATE] = op_create, [AGENT_OP_START] = op_start,
		[AGENT_OP_RUN] = op_run,       [AGENT_OP_EXEC] = op_exec,
		[AGENT_OP_KILL] = op_kill,     [AGENT_OP_STOP] = op_stop,
		[AGENT_OP_DELETE] = op_delete, [AGENT_OP_LIST] = op_list,
		[AGENT_OP_STATE] = op_state,   [AGENT_OP_LOGS] = op_logs,
		[AGENT_OP_STATS] = op_stats,   [AGENT_OP_INPUT] = op_input,
		[AGENT_OP_DETACH] = op_detach,
	};
	handlers[r->op](a, r);
}
