/* Command features: what bwrun implements, as the runtime-spec's Features structure. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>

#include "caps.h"
#include "commands.h"
#include "config.h"
#include "mounts.h"
#include "seccomp.h"

static struct json_object *strings(const char *const *v, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *enabled(bool on)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_boolean(on));
	return o;
}

/* features.md "linux": namespaces, capabilities, cgroup, seccomp, apparmor, selinux. */
static struct json_object *linux_features(void)
{
	static const int ns[] = { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNS, CLONE_NEWNET,
				  CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS };
	struct json_object *lx = json_object_new_object();
	struct json_object *nsa = json_object_new_array(), *caps = json_object_new_array();
	struct json_object *cg = json_object_new_object();

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		json_object_array_add(nsa, json_object_new_string(namespace_name(ns[i])));
	for (int i = 0; i < cap_count(); i++)
		json_object_array_add(caps, json_object_new_string(cap_name(i)));
	json_object_object_add(cg, "v1", json_object_new_boolean(0));
	json_object_object_add(cg, "v2", json_object_new_boolean(1));
	json_object_object_add(cg, "systemd", json_object_new_boolean(0));
	json_object_object_add(cg, "systemdUser", json_object_new_boolean(0));
	json_object_object_add(cg, "rdma", json_object_new_boolean(0));
	json_object_object_add(lx, "namespaces", nsa);
	json_object_object_add(lx, "capabilities", caps);
	json_object_object_add(lx, "cgroup", cg);
	json_object_object_add(lx, "seccomp", seccomp_features());
	json_object_object_add(lx, "apparmor", enabled(false));
	json_object_object_add(lx, "selinux", enabled(false));
	json_object_object_add(lx, "intelRdt", enabled(false));
	return lx;
}

int cmd_features(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop" };
	struct json_object *o = json_object_new_object(), *mo = json_object_new_array();

	(void)argv;
	if (argc != 1)
		return cmd_usage_error(ctx, "takes no arguments");
	mount_option_names(mo);
	json_object_object_add(o, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(o, "ociVersionMax", json_object_new_string(BWRUN_SPEC_VERSION));
	json_object_object_add(o, "hooks", strings(hooks, sizeof(hooks) / sizeof(hooks[0])));
	json_object_object_add(o, "mountOptions", mo);
	json_object_object_add(o, "linux", linux_features());
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}
