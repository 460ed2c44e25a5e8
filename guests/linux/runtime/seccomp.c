/* seccomp: the config's filter decoded into a libseccomp context, loaded before exec. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint32_t action;
	bool takes_errno;
} actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(EPERM), true },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(EPERM), true },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const char *str_field(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int decode_action(struct json_object *o, const char *key, const char *where,
			 uint32_t *out, struct rt_err *e)
{
	const char *name = str_field(o, key);
	struct json_object *en;

	if (!name)
		return rt_fail(e, 0, "%s.%s: missing", where, key);
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(actions[i].name, name))
			continue;
		*out = actions[i].action;
		if (actions[i].takes_errno &&
		    json_object_object_get_ex(o, key[0] == 'd' ? "defaultErrnoRet" : "errnoRet", &en)) {
			int v = json_object_get_int(en);

			if (v < 0 || v > 4095)
				return rt_fail(e, 0, "%s: errnoRet %d out of range", where, v);
			*out = (actions[i].action & 0xffff0000U) | (uint32_t)v;
		}
		return 0;
	}
	return rt_fail(e, 0, "%s.%s: unsupported seccomp action \"%s\"", where, key, name);
}

static int decode_arches(scmp_filter_ctx ctx, struct json_object *spec, struct rt_err *e)
{
	struct json_object *a;

	if (!json_object_object_get_ex(spec, "architectures", &a))
		return 0;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(a, i));
		uint32_t arch;
		int r;

		if (!name || strncmp(name, "SCMP_ARCH_", 10))
			return rt_fail(e, 0, "linux.seccomp.architectures[%zu]: unknown", i);
		cleanup_free char *low = xstrdup(name + 10);
		for (char *p = low; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		arch = seccomp_arch_resolve_name(low);
		if (!arch)
			return rt_fail(e, 0, "linux.seccomp.architectures[%zu]: unknown architecture %s",
				       i, name);
		r = seccomp_arch_add(ctx, arch);
		if (r < 0 && r != -EEXIST)
			return rt_fail(e, -r, "linux.seccomp.architectures[%zu]: %s", i, name);
	}
	return 0;
}

static int decode_args(struct json_object *rule, const char *where, struct scmp_arg_cmp *cmp,
		       unsigned *n, struct rt_err *e)
{
	struct json_object *a;

	*n = 0;
	if (!json_object_object_get_ex(rule, "args", &a) || json_object_is_type(a, json_type_null))
		return 0;
	if (json_object_array_length(a) > 6)
		return rt_fail(e, 0, "%s.args: at most 6 conditions", where);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *c = json_object_array_get_idx(a, i), *v;
		const char *op = str_field(c, "op");
		size_t k;

		memset(&cmp[i], 0, sizeof(cmp[i]));
		if (json_object_object_get_ex(c, "index", &v))
			cmp[i].arg = (unsigned)json_object_get_int(v);
		if (cmp[i].arg > 5)
			return rt_fail(e, 0, "%s.args[%zu].index: must be 0..5", where, i);
		if (json_object_object_get_ex(c, "value", &v))
			cmp[i].datum_a = json_object_get_uint64(v);
		if (json_object_object_get_ex(c, "valueTwo", &v))
			cmp[i].datum_b = json_object_get_uint64(v);
		for (k = 0; op && k < sizeof(ops) / sizeof(ops[0]); k++)
			if (!strcmp(ops[k].name, op))
				break;
		if (!op || k == sizeof(ops) / sizeof(ops[0]))
			return rt_fail(e, 0, "%s.args[%zu].op: unknown operator", where, i);
		cmp[i].op = ops[k].op;
	}
	*n = (unsigned)json_object_array_length(a);
	return 0;
}

static int decode_rule(scmp_filter_ctx ctx, struct json_object *rule, size_t idx,
		       uint32_t def, struct rt_err *e)
{
	struct json_object *names;
	struct scmp_arg_cmp cmp[6];
	char where[64];
	uint32_t action;
	unsigned n_args;

	snprintf(where, sizeof(where), "linux.seccomp.syscalls[%zu]", idx);
	if (decode_action(rule, "action", where, &action, e) < 0 ||
	    decode_args(rule, where, cmp, &n_args, e) < 0)
		return -1;
	if (!json_object_object_get_ex(rule, "names", &names) ||
	    !json_object_is_type(names, json_type_array))
		return rt_fail(e, 0, "%s.names: expected an array of syscall names", where);
	if (action == def)
		return 0;
	for (size_t i = 0; i < json_object_array_length(names); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(names, i));
		int nr = name ? seccomp_syscall_resolve_name(name) : __NR_SCMP_ERROR;
		int r;

		if (nr == __NR_SCMP_ERROR)
			continue; /* unknown on this architecture: skipped, as runc does */
		r = seccomp_rule_add_array(ctx, action, nr, n_args, cmp);
		if (r < 0)
			return rt_fail(e, -r, "%s: cannot add rule for %s", where, name);
	}
	return 0;
}

int seccomp_decode(struct json_object *spec, void **out, struct rt_err *e)
{
	struct json_object *rules;
	scmp_filter_ctx ctx;
	uint32_t def;

	*out = NULL;
	if (!spec)
		return 0;
	if (decode_action(spec, "defaultAction", "linux.seccomp", &def, e) < 0)
		return -1;
	ctx = seccomp_init(def);
	if (!ctx)
		return rt_fail(e, 0, "linux.seccomp: cannot initialise libseccomp");
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (decode_arches(ctx, spec, e) < 0)
		goto fail;
	if (json_object_object_get_ex(spec, "syscalls", &rules)) {
		for (size_t i = 0; i < json_object_array_length(rules); i++)
			if (decode_rule(ctx, json_object_array_get_idx(rules, i), i, def, e) < 0)
				goto fail;
	}
	*out = ctx;
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

int seccomp_install(void *filter, struct rt_err *e)
{
	int r;

	if (!filter)
		return 0;
	r = seccomp_load(filter);
	if (r < 0)
		return rt_fail(e, -r, "load seccomp filter");
	return 0;
}

void seccomp_filter_free(void *filter)
{
	if (filter)
		seccomp_release(filter);
}

struct json_object *seccomp_features(void)
{
	static const char *const arches[] = { "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
					      "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM" };
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array(), *p = json_object_new_array();
	struct json_object *ar = json_object_new_array();

	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		json_object_array_add(a, json_object_new_string(actions[i].name));
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		json_object_array_add(p, json_object_new_string(ops[i].name));
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		json_object_array_add(ar, json_object_new_string(arches[i]));
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	json_object_object_add(o, "actions", a);
	json_object_object_add(o, "operators", p);
	json_object_object_add(o, "archs", ar);
	return o;
}

const char *seccomp_lib_version(void)
{
	static char buf[32];
	const struct scmp_version *v = seccomp_version();

	snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}
