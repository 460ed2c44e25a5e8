/* A container's bundle: the image's config.json with the request's args, env and limits
 * (OCI runtime-spec config.md "process", config-linux.md "Control groups"). */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object)) {
		v = json_object_new_object();
		json_object_object_add(o, key, v);
	}
	return v;
}

/* env: the image's, each KEY the request names replaced, the rest appended. */
static void merge_env(struct json_object *proc, const struct agent_req *r)
{
	struct json_object *old, *env = json_object_new_array();

	if (json_object_object_get_ex(proc, "env", &old) && json_object_is_type(old, json_type_array))
		for (size_t i = 0; i < json_object_array_length(old); i++) {
			const char *e = json_object_get_string(json_object_array_get_idx(old, i));
			const char *eq = e ? strchr(e, '=') : NULL;
			bool replaced = false;
			for (size_t k = 0; eq && k < r->n_env; k++)
				if (!strncmp(r->env[k], e, (size_t)(eq - e) + 1))
					replaced = true;
			if (e && !replaced)
				json_object_array_add(env, json_object_new_string(e));
		}
	for (size_t k = 0; k < r->n_env; k++)
		json_object_array_add(env, json_object_new_string(r->env[k]));
	json_object_object_add(proc, "env", env);
}

int bundle_write(const char *base, const char *bundle, const struct agent_req *r, char *msg,
		 size_t msg_size)
{
	char *path = xasprintf("%s/config.json", base);
	struct json_object *c = json_object_from_file(path), *proc, *linux_, *res, *root;
	int rc = -1;

	free(path);
	if (!c || !json_object_is_type(c, json_type_object)) {
		snprintf(msg, msg_size, "the image's config.json in %s does not parse", base);
		json_object_put(c);
		return -1;
	}
	/* The image's rootfs, shared read-only by every container of it. */
	root = member(c, "root");
	path = xasprintf("%s/rootfs", base);
	json_object_object_add(root, "path", json_object_new_string(path));
	free(path);
	json_object_object_add(root, "readonly", json_object_new_boolean(1));
	json_object_object_add(c, "hostname", json_object_new_string(r->name));
	proc = member(c, "process");
	json_object_object_add(proc, "terminal", json_object_new_boolean(r->tty));
	if (r->has_args) {
		struct json_object *args = json_object_new_array();
		for (size_t i = 0; i < r->n_args; i++)
			json_object_array_add(args, json_object_new_string(r->args[i]));
		json_object_object_add(proc, "args", args);
	}
	if (r->n_env)
		merge_env(proc, r);
	linux_ = member(c, "linux");
	res = member(linux_, "resources");
	if (r->mem) {
		struct json_object *m = member(res, "memory");
		json_object_object_add(m, "limit", json_object_new_int64((int64_t)r->mem));
		/* swap = limit: memory.swap.max 0, so a hog meets the OOM killer, not swap */
		json_object_object_add(m, "swap", json_object_new_int64((int64_t)r->mem));
	}
	if (r->pids)
		json_object_object_add(member(res, "pids"), "limit", json_object_new_int64(r->pids));
	if (r->cpus_milli) {
		/* cpu.max "QUOTA PERIOD": cpus_milli/1000 CPUs = quota/period, period 100 ms */
		struct json_object *cpu = member(res, "cpu");
		json_object_object_add(cpu, "quota", json_object_new_int64(r->cpus_milli * 100));
		json_object_object_add(cpu, "period", json_object_new_int64(100000));
	}
	path = xasprintf("%s/config.json", bundle);
	if (json_object_to_file_ext(path, c, JSON_C_TO_STRING_PLAIN) < 0)
		snprintf(msg, msg_size, "write %s: %s", path, strerror(errno));
	else
		rc = 0;
	free(path);
	json_object_put(c);
	return rc;
}
