/* Decodes config.json (through json-c) into struct oci_config, naming bad fields. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>

#include "caps.h"

static const struct {
	const char *name;
	int flag;
} ns_table[] = {
	{ "pid", CLONE_NEWPID },     { "network", CLONE_NEWNET },
	{ "mount", CLONE_NEWNS },    { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS },     { "user", CLONE_NEWUSER },
	{ "cgroup", CLONE_NEWCGROUP },
};

static const char *const hook_names[HOOK_KINDS] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

static const struct {
	const char *name;
	int resource;
} rlimit_table[] = {
	{ "RLIMIT_AS", RLIMIT_AS },         { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },       { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },   { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },     { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },   { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

int namespace_flag(const char *type)
{
	for (size_t i = 0; i < sizeof(ns_table) / sizeof(ns_table[0]); i++)
		if (!strcmp(ns_table[i].name, type))
			return ns_table[i].flag;
	return 0;
}

const char *namespace_name(int flag)
{
	for (size_t i = 0; i < sizeof(ns_table) / sizeof(ns_table[0]); i++)
		if (ns_table[i].flag == flag)
			return ns_table[i].name;
	return "?";
}

const char *hook_kind_name(enum hook_kind k)
{
	return (unsigned)k < HOOK_KINDS ? hook_names[k] : "?";
}

const struct oci_namespace *config_namespace(const struct oci_config *c, int flag)
{
	for (size_t i = 0; i < c->n_namespaces; i++)
		if (c->namespaces[i].flag == flag)
			return &c->namespaces[i];
	return NULL;
}

bool config_has_namespace(const struct oci_config *c, int flag)
{
	return config_namespace(c, flag) != NULL;
}

/* ---- typed accessors: each names the field in its error ---- */

static int get_opt(struct json_object *o, const char *key, json_type t,
		   const char *where, struct json_object **out, struct rt_err *e)
{
	struct json_object *v = NULL;

	*out = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (t == json_type_double && json_object_is_type(v, json_type_int))
		t = json_type_int;
	if (!json_object_is_type(v, t))
		return rt_fail(e, 0, "%s%s%s: expected %s", where, *where ? "." : "", key,
			       json_type_to_name(t));
	*out = v;
	return 1;
}

static int get_str(struct json_object *o, const char *key, const char *where,
		   const char **out, struct rt_err *e)
{
	struct json_object *v;
	int r = get_opt(o, key, json_type_string, where, &v, e);

	if (r > 0)
		*out = json_object_get_string(v);
	return r;
}

static int get_bool(struct json_object *o, const char *key, const char *where,
		    bool *out, struct rt_err *e)
{
	struct json_object *v;
	int r = get_opt(o, key, json_type_boolean, where, &v, e);

	if (r > 0)
		*out = json_object_get_boolean(v);
	return r;
}

static int get_int(struct json_object *o, const char *key, const char *where,
		   int64_t *out, struct rt_err *e)
{
	struct json_object *v;
	int r = get_opt(o, key, json_type_int, where, &v, e);

	if (r > 0) {
		errno = 0;
		*out = json_object_get_int64(v);
		if (errno)
			return rt_fail(e, 0, "%s.%s: integer out of range", where, key);
	}
	return r;
}

static int get_u32(struct json_object *o, const char *key, const char *where,
		   uint32_t *out, struct rt_err *e)
{
	int64_t v;
	int r = get_int(o, key, where, &v, e);

	if (r > 0 && (v < 0 || v > UINT32_MAX))
		return rt_fail(e, 0, "%s.%s: %lld is not a 32-bit unsigned value", where, key,
			       (long long)v);
	if (r > 0)
		*out = (uint32_t)v;
	return r;
}

static int get_u64(struct json_object *o, const char *key, const char *where,
		   uint64_t *out, struct rt_err *e)
{
	struct json_object *v;
	int r = get_opt(o, key, json_type_int, where, &v, e);

	if (r > 0)
		*out = json_object_get_uint64(v);
	return r;
}

/* A JSON array of strings into a NULL-terminated vector (strings copied). */
static int get_strv(struct json_object *o, const char *key, const char *where,
		    char ***out, struct rt_err *e)
{
	struct json_object *a;
	int r = get_opt(o, key, json_type_array, where, &a, e);
	size_t n;
	char **v;

	*out = NULL;
	if (r <= 0)
		return r;
	n = json_object_array_length(a);
	v = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(a, i);

		if (!json_object_is_type(s, json_type_string)) {
			strv_free(v);
			return rt_fail(e, 0, "%s.%s[%zu]: expected string", where, key, i);
		}
		v[i] = xstrdup(json_object_get_string(s));
	}
	*out = v;
	return 1;
}

/* ---- sections ---- */

static int parse_caps(struct json_object *o, struct oci_caps *c, struct rt_err *e)
{
	static const char *const sets[] = { "bounding", "effective", "inheritable",
					    "permitted", "ambient" };
	uint64_t *dst[] = { &c->bounding, &c->effective, &c->inheritable, &c->permitted,
			    &c->ambient };

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < 5; i++) {
		cleanup_strv char **names = NULL;

		if (get_strv(o, sets[i], "process.capabilities", &names, e) < 0)
			return -1;
		for (size_t j = 0; names && names[j]; j++) {
			int cap = cap_from_name(names[j]);

			if (cap < 0)
				return rt_fail(e, 0, "process.capabilities.%s[%zu]: unknown capability %s",
					       sets[i], j, names[j]);
			*dst[i] |= 1ULL << cap;
		}
	}
	return 0;
}

static int parse_rlimits(struct json_object *o, struct oci_process *p, struct rt_err *e)
{
	struct json_object *a;
	int r = get_opt(o, "rlimits", json_type_array, "process", &a, e);

	if (r <= 0)
		return r;
	p->n_rlimits = json_object_array_length(a);
	p->rlimits = xcalloc(p->n_rlimits, sizeof(*p->rlimits));
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct json_object *it = json_object_array_get_idx(a, i);
		char where[64];
		const char *type = NULL;
		size_t k;

		snprintf(where, sizeof(where), "process.rlimits[%zu]", i);
		if (get_str(it, "type", where, &type, e) < 0 ||
		    get_u64(it, "soft", where, &p->rlimits[i].soft, e) < 0 ||
		    get_u64(it, "hard", where, &p->rlimits[i].hard, e) < 0)
			return -1;
		if (!type)
			return rt_fail(e, 0, "%s.type: missing", where);
		for (k = 0; k < sizeof(rlimit_table) / sizeof(rlimit_table[0]); k++)
			if (!strcmp(rlimit_table[k].name, type))
				break;
		if (k == sizeof(rlimit_table) / sizeof(rlimit_table[0]))
			return rt_fail(e, 0, "%s.type: unknown rlimit %s", where, type);
		p->rlimits[i].resource = rlimit_table[k].resource;
	}
	return 0;
}

static int parse_user(struct json_object *o, struct oci_process *p, struct rt_err *e)
{
	struct json_object *u, *a;

	if (get_opt(o, "user", json_type_object, "process", &u, e) < 0)
		return -1;
	if (!u)
		return 0;
	if (get_u32(u, "uid", "process.user", &p->uid, e) < 0 ||
	    get_u32(u, "gid", "process.user", &p->gid, e) < 0 ||
	    get_opt(u, "additionalGids", json_type_array, "process.user", &a, e) < 0)
		return -1;
	if (!a)
		return 0;
	p->n_gids = json_object_array_length(a);
	p->gids = xcalloc(p->n_gids, sizeof(uint32_t));
	for (size_t i = 0; i < p->n_gids; i++) {
		struct json_object *g = json_object_array_get_idx(a, i);
		int64_t v = json_object_get_int64(g);

		if (!json_object_is_type(g, json_type_int) || v < 0 || v > UINT32_MAX)
			return rt_fail(e, 0, "process.user.additionalGids[%zu]: expected a gid", i);
		p->gids[i] = (uint32_t)v;
	}
	return 0;
}

int config_parse_process(struct json_object *o, struct oci_process *p, struct rt_err *e)
{
	struct json_object *caps;
	int64_t oom;
	int r;

	memset(p, 0, sizeof(*p));
	p->cwd = "/";
	if (get_bool(o, "terminal", "process", &p->terminal, e) < 0 ||
	    get_strv(o, "args", "process", &p->args, e) < 0 ||
	    get_strv(o, "env", "process", &p->env, e) < 0 ||
	    get_str(o, "cwd", "process", &p->cwd, e) < 0 ||
	    get_bool(o, "noNewPrivileges", "process", &p->no_new_privileges, e) < 0 ||
	    parse_user(o, p, e) < 0 || parse_rlimits(o, p, e) < 0)
		return -1;
	r = get_int(o, "oomScoreAdj", "process", &oom, e);
	if (r < 0)
		return -1;
	if (r > 0) {
		if (oom < -1000 || oom > 1000)
			return rt_fail(e, 0, "process.oomScoreAdj: %lld is outside -1000..1000",
				       (long long)oom);
		p->has_oom_score_adj = true;
		p->oom_score_adj = (int)oom;
	}
	if (get_opt(o, "capabilities", json_type_object, "process", &caps, e) < 0)
		return -1;
	if (caps) {
		p->has_caps = true;
		if (parse_caps(caps, &p->caps, e) < 0)
			return -1;
	}
	return 0;
}

static int parse_mounts(struct json_object *root, struct oci_config *c, struct rt_err *e)
{
	struct json_object *a;
	int r = get_opt(root, "mounts", json_type_array, "", &a, e);

	if (r <= 0)
		return r;
	c->n_mounts = json_object_array_length(a);
	c->mounts = xcalloc(c->n_mounts, sizeof(*c->mounts));
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct json_object *m = json_object_array_get_idx(a, i);
		struct oci_mount *mt = &c->mounts[i];
		char where[48];

		snprintf(where, sizeof(where), "mounts[%zu]", i);
		if (!json_object_is_type(m, json_type_object))
			return rt_fail(e, 0, "%s: expected object", where);
		if (get_str(m, "destination", where, &mt->destination, e) < 0 ||
		    get_str(m, "type", where, &mt->type, e) < 0 ||
		    get_str(m, "source", where, &mt->source, e) < 0 ||
		    get_strv(m, "options", where, &mt->options, e) < 0)
			return -1;
	}
	return 0;
}

static int parse_idmaps(struct json_object *lx, const char *key, struct oci_idmap **out,
			size_t *n, struct rt_err *e)
{
	struct json_object *a;
	int r = get_opt(lx, key, json_type_array, "linux", &a, e);

	if (r <= 0)
		return r;
	*n = json_object_array_length(a);
	*out = xcalloc(*n, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct json_object *m = json_object_array_get_idx(a, i);
		char where[48];

		snprintf(where, sizeof(where), "linux.%s[%zu]", key, i);
		if (get_u32(m, "containerID", where, &(*out)[i].container_id, e) < 0 ||
		    get_u32(m, "hostID", where, &(*out)[i].host_id, e) < 0 ||
		    get_u32(m, "size", where, &(*out)[i].size, e) < 0)
			return -1;
	}
	return 0;
}

static int parse_namespaces(struct json_object *lx, struct oci_config *c, struct rt_err *e)
{
	struct json_object *a;
	int r = get_opt(lx, "namespaces", json_type_array, "linux", &a, e);

	if (r <= 0)
		return r;
	c->n_namespaces = json_object_array_length(a);
	c->namespaces = xcalloc(c->n_namespaces, sizeof(*c->namespaces));
	for (size_t i = 0; i < c->n_namespaces; i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		const char *type = NULL;
		char where[48];

		snprintf(where, sizeof(where), "linux.namespaces[%zu]", i);
		if (get_str(n, "type", where, &type, e) < 0 ||
		    get_str(n, "path", where, &c->namespaces[i].path, e) < 0)
			return -1;
		if (!type)
			return rt_fail(e, 0, "%s.type: missing", where);
		c->namespaces[i].flag = namespace_flag(type);
		if (!c->namespaces[i].flag)
			return rt_fail(e, 0, "%s.type: unknown namespace type \"%s\"", where, type);
	}
	return 0;
}

static int parse_dev_rules(struct json_object *res, const char *where,
			   struct oci_resources *r, struct rt_err *e)
{
	struct json_object *a;
	int found = get_opt(res, "devices", json_type_array, where, &a, e);

	if (found <= 0)
		return found;
	r->has_devices = true;
	r->n_dev_rules = json_object_array_length(a);
	r->dev_rules = xcalloc(r->n_dev_rules, sizeof(*r->dev_rules));
	for (size_t i = 0; i < r->n_dev_rules; i++) {
		struct json_object *it = json_object_array_get_idx(a, i);
		struct oci_dev_rule *d = &r->dev_rules[i];
		const char *type = "a", *access = "rwm";
		char at[80];
		bool allow_set;

		snprintf(at, sizeof(at), "%s.devices[%zu]", where, i);
		d->major = d->minor = -1;
		if (!json_object_is_type(it, json_type_object))
			return rt_fail(e, 0, "%s: expected object", at);
		allow_set = json_object_object_get_ex(it, "allow", NULL);
		if (get_bool(it, "allow", at, &d->allow, e) < 0 ||
		    get_str(it, "type", at, &type, e) < 0 ||
		    get_int(it, "major", at, &d->major, e) < 0 ||
		    get_int(it, "minor", at, &d->minor, e) < 0 ||
		    get_str(it, "access", at, &access, e) < 0)
			return -1;
		if (!allow_set)
			return rt_fail(e, 0, "%s.allow: missing", at);
		if (strlen(type) != 1 || !strchr("acb", type[0]))
			return rt_fail(e, 0, "%s.type: \"%s\" is not a, c or b", at, type);
		d->type = type[0];
		if (d->major < -1 || d->major > UINT32_MAX || d->minor < -1 || d->minor > UINT32_MAX)
			return rt_fail(e, 0, "%s: major and minor must be -1 or 32-bit numbers", at);
		if (!access[0])
			access = "rwm";
		for (const char *p = access; *p; p++) {
			if (*p == 'r')
				d->access |= DEV_ACC_READ;
			else if (*p == 'w')
				d->access |= DEV_ACC_WRITE;
			else if (*p == 'm')
				d->access |= DEV_ACC_MKNOD;
			else
				return rt_fail(e, 0, "%s.access: \"%s\" is not a subset of rwm", at, access);
		}
	}
	return 0;
}

/* blockIO.weightDevice (KEY "weight") or a throttle list (KEY "rate"). */
static int parse_blkio_list(struct json_object *blk, const char *list, const char *key,
			    const char *where, struct oci_blkio_dev **out, size_t *n,
			    struct rt_err *e)
{
	struct json_object *a;
	int found = get_opt(blk, list, json_type_array, where, &a, e);

	if (found <= 0)
		return found;
	*n = json_object_array_length(a);
	*out = xcalloc(*n, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct json_object *it = json_object_array_get_idx(a, i);
		struct oci_blkio_dev *d = &(*out)[i];
		char at[96];
		int got;

		snprintf(at, sizeof(at), "%s.%s[%zu]", where, list, i);
		d->value = -1;
		if (!json_object_is_type(it, json_type_object))
			return rt_fail(e, 0, "%s: expected object", at);
		if ((got = get_u32(it, "major", at, &d->major, e)) < 0)
			return -1;
		if (!got)
			return rt_fail(e, 0, "%s.major: missing", at);
		if ((got = get_u32(it, "minor", at, &d->minor, e)) < 0)
			return -1;
		if (!got)
			return rt_fail(e, 0, "%s.minor: missing", at);
		if ((got = get_int(it, key, at, &d->value, e)) < 0)
			return -1;
		if (!got || d->value < 0)
			return rt_fail(e, 0, "%s.%s: must be a non-negative number", at, key);
	}
	return 0;
}

static int parse_blkio(struct json_object *res, const char *where, struct oci_resources *r,
		       struct rt_err *e)
{
	static const char *const lists[THR_KINDS] = {
		[THR_READ_BPS] = "throttleReadBpsDevice", [THR_WRITE_BPS] = "throttleWriteBpsDevice",
		[THR_READ_IOPS] = "throttleReadIOPSDevice", [THR_WRITE_IOPS] = "throttleWriteIOPSDevice",
	};
	char at[64];
	struct json_object *blk;

	snprintf(at, sizeof(at), "%s.blockIO", where);
	if (get_opt(res, "blockIO", json_type_object, where, &blk, e) < 0)
		return -1;
	if (!blk)
		return 0;
	if (get_int(blk, "weight", at, &r->blkio_weight, e) < 0 ||
	    parse_blkio_list(blk, "weightDevice", "weight", at, &r->blkio_weights,
			     &r->n_blkio_weights, e) < 0)
		return -1;
	for (int k = 0; k < THR_KINDS; k++)
		if (parse_blkio_list(blk, lists[k], "rate", at, &r->throttle[k], &r->n_throttle[k],
				     e) < 0)
			return -1;
	return 0;
}

static int parse_hugepages(struct json_object *res, const char *where, struct oci_resources *r,
			   struct rt_err *e)
{
	struct json_object *a;
	int found = get_opt(res, "hugepageLimits", json_type_array, where, &a, e);

	if (found <= 0)
		return found;
	r->n_hugepages = json_object_array_length(a);
	r->hugepages = xcalloc(r->n_hugepages, sizeof(*r->hugepages));
	for (size_t i = 0; i < r->n_hugepages; i++) {
		struct json_object *it = json_object_array_get_idx(a, i);
		char at[80];
		int got;

		snprintf(at, sizeof(at), "%s.hugepageLimits[%zu]", where, i);
		if (!json_object_is_type(it, json_type_object))
			return rt_fail(e, 0, "%s: expected object", at);
		if (get_str(it, "pageSize", at, &r->hugepages[i].page_size, e) < 0 ||
		    (got = get_u64(it, "limit", at, &r->hugepages[i].limit, e)) < 0)
			return -1;
		if (!r->hugepages[i].page_size || !got)
			return rt_fail(e, 0, "%s: needs pageSize and limit", at);
	}
	return 0;
}

static void resources_unset(struct oci_resources *r)
{
	memset(r, 0, sizeof(*r));
	r->memory_limit = r->memory_swap = r->memory_reservation = -1;
	r->cpu_quota = r->cpu_period = r->cpu_shares = r->pids_limit = -1;
	r->blkio_weight = -1;
}

int config_parse_resources(struct json_object *res, const char *where,
			   struct oci_resources *r, struct rt_err *e)
{
	struct json_object *mem, *cpu, *pids;
	char m[64], c[64], p[64];

	resources_unset(r);
	snprintf(m, sizeof(m), "%s.memory", where);
	snprintf(c, sizeof(c), "%s.cpu", where);
	snprintf(p, sizeof(p), "%s.pids", where);
	if (!json_object_is_type(res, json_type_object))
		return rt_fail(e, 0, "%s: expected object", where);
	if (get_opt(res, "memory", json_type_object, where, &mem, e) < 0 ||
	    get_opt(res, "cpu", json_type_object, where, &cpu, e) < 0 ||
	    get_opt(res, "pids", json_type_object, where, &pids, e) < 0 ||
	    get_opt(res, "unified", json_type_object, where, &r->unified, e) < 0)
		return -1;
	if (get_int(mem, "limit", m, &r->memory_limit, e) < 0 ||
	    get_int(mem, "swap", m, &r->memory_swap, e) < 0 ||
	    get_int(mem, "reservation", m, &r->memory_reservation, e) < 0 ||
	    get_int(cpu, "quota", c, &r->cpu_quota, e) < 0 ||
	    get_int(cpu, "period", c, &r->cpu_period, e) < 0 ||
	    get_int(cpu, "shares", c, &r->cpu_shares, e) < 0 ||
	    get_str(cpu, "cpus", c, &r->cpuset_cpus, e) < 0 ||
	    get_str(cpu, "mems", c, &r->cpuset_mems, e) < 0 ||
	    get_int(pids, "limit", p, &r->pids_limit, e) < 0)
		return -1;
	if (r->cpuset_cpus && !r->cpuset_cpus[0])
		r->cpuset_cpus = NULL;
	if (r->cpuset_mems && !r->cpuset_mems[0])
		r->cpuset_mems = NULL;
	if (r->unified) {
		json_object_object_foreach(r->unified, key, val)
		{
			if (!json_object_is_type(val, json_type_string))
				return rt_fail(e, 0, "%s.unified.%s: expected string", where, key);
		}
	}
	if (parse_dev_rules(res, where, r, e) < 0 || parse_blkio(res, where, r, e) < 0 ||
	    parse_hugepages(res, where, r, e) < 0)
		return -1;
	return 0;
}

static int parse_resources(struct json_object *lx, struct oci_resources *r, struct rt_err *e)
{
	struct json_object *res;
	int found;

	resources_unset(r);
	found = get_opt(lx, "resources", json_type_object, "linux", &res, e);
	if (found <= 0)
		return found;
	return config_parse_resources(res, "linux.resources", r, e);
}

void resources_free(struct oci_resources *r)
{
	free(r->dev_rules);
	free(r->blkio_weights);
	for (int k = 0; k < THR_KINDS; k++)
		free(r->throttle[k]);
	free(r->hugepages);
	resources_unset(r);
}

static int parse_devices(struct json_object *lx, struct oci_config *c, struct rt_err *e)
{
	struct json_object *a;
	int r = get_opt(lx, "devices", json_type_array, "linux", &a, e);

	if (r <= 0)
		return r;
	c->n_devices = json_object_array_length(a);
	c->devices = xcalloc(c->n_devices, sizeof(*c->devices));
	for (size_t i = 0; i < c->n_devices; i++) {
		struct json_object *it = json_object_array_get_idx(a, i);
		struct oci_device *d = &c->devices[i];
		const char *type = NULL;
		char at[48];
		int has_mode;

		snprintf(at, sizeof(at), "linux.devices[%zu]", i);
		d->mode = 0666; /* runc's default fileMode */
		if (!json_object_is_type(it, json_type_object))
			return rt_fail(e, 0, "%s: expected object", at);
		if (get_str(it, "path", at, &d->path, e) < 0 || get_str(it, "type", at, &type, e) < 0 ||
		    get_u32(it, "major", at, &d->major, e) < 0 ||
		    get_u32(it, "minor", at, &d->minor, e) < 0 ||
		    (has_mode = get_u32(it, "fileMode", at, &d->mode, e)) < 0 ||
		    get_u32(it, "uid", at, &d->uid, e) < 0 || get_u32(it, "gid", at, &d->gid, e) < 0)
			return -1;
		if (!d->path || !type)
			return rt_fail(e, 0, "%s: needs path and type", at);
		if (strlen(type) != 1 || !strchr("cbup", type[0]))
			return rt_fail(e, 0, "%s.type: \"%s\" is not c, b, u or p", at, type);
		d->type = type[0];
		if (has_mode && d->mode > 07777)
			return rt_fail(e, 0, "%s.fileMode: %o holds more than permission bits", at,
				       d->mode);
	}
	return 0;
}

static int parse_hook_list(struct json_object *a, enum hook_kind k, struct oci_config *c,
			   struct rt_err *e)
{
	size_t n = json_object_array_length(a);

	c->n_hooks[k] = n;
	c->hooks[k] = xcalloc(n, sizeof(struct oci_hook));
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(a, i);
		struct oci_hook *hk = &c->hooks[k][i];
		int64_t timeout = 0;
		char where[64];

		snprintf(where, sizeof(where), "hooks.%s[%zu]", hook_names[k], i);
		if (get_str(h, "path", where, &hk->path, e) < 0 ||
		    get_strv(h, "args", where, &hk->args, e) < 0 ||
		    get_strv(h, "env", where, &hk->env, e) < 0 ||
		    get_int(h, "timeout", where, &timeout, e) < 0)
			return -1;
		if (!hk->path)
			return rt_fail(e, 0, "%s.path: missing", where);
		if (timeout < 0 || timeout > 86400)
			return rt_fail(e, 0, "%s.timeout: must be positive", where);
		hk->timeout = (int)timeout;
	}
	return 0;
}

static int parse_hooks(struct json_object *root, struct oci_config *c, struct rt_err *e)
{
	struct json_object *h;

	if (get_opt(root, "hooks", json_type_object, "", &h, e) < 0)
		return -1;
	for (int k = 0; h && k < HOOK_KINDS; k++) {
		struct json_object *a;

		if (get_opt(h, hook_names[k], json_type_array, "hooks", &a, e) < 0)
			return -1;
		if (a && parse_hook_list(a, (enum hook_kind)k, c, e) < 0)
			return -1;
	}
	return 0;
}

static int parse_linux(struct json_object *root, struct oci_config *c, struct rt_err *e)
{
	struct json_object *lx;

	if (get_opt(root, "linux", json_type_object, "", &lx, e) < 0)
		return -1;
	if (parse_namespaces(lx, c, e) < 0 ||
	    parse_idmaps(lx, "uidMappings", &c->uid_maps, &c->n_uid_maps, e) < 0 ||
	    parse_idmaps(lx, "gidMappings", &c->gid_maps, &c->n_gid_maps, e) < 0 ||
	    get_strv(lx, "maskedPaths", "linux", &c->masked_paths, e) < 0 ||
	    get_strv(lx, "readonlyPaths", "linux", &c->readonly_paths, e) < 0 ||
	    parse_resources(lx, &c->resources, e) < 0 || parse_devices(lx, c, e) < 0 ||
	    get_str(lx, "cgroupsPath", "linux", &c->cgroups_path, e) < 0 ||
	    get_str(lx, "rootfsPropagation", "linux", &c->rootfs_propagation, e) < 0 ||
	    get_opt(lx, "seccomp", json_type_object, "linux", &c->seccomp, e) < 0 ||
	    get_opt(lx, "sysctl", json_type_object, "linux", &c->sysctl, e) < 0)
		return -1;
	return 0;
}

static int parse_root(struct json_object *root, struct oci_config *c, struct rt_err *e)
{
	struct json_object *r, *p;

	if (get_opt(root, "root", json_type_object, "", &r, e) < 0 ||
	    get_str(r, "path", "root", &c->root_path, e) < 0 ||
	    get_bool(r, "readonly", "root", &c->root_readonly, e) < 0)
		return -1;
	if (get_opt(root, "process", json_type_object, "", &p, e) < 0)
		return -1;
	if (p && config_parse_process(p, &c->process, e) < 0)
		return -1;
	if (!p)
		c->process.cwd = "/";
	return 0;
}

int config_parse(const char *text, struct oci_config *c, struct rt_err *e)
{
	enum json_tokener_error jerr;

	memset(c, 0, sizeof(*c));
	resources_unset(&c->resources);
	c->json = json_tokener_parse_verbose(text, &jerr);
	if (!c->json)
		return rt_fail(e, 0, "config.json: %s", json_tokener_error_desc(jerr));
	if (!json_object_is_type(c->json, json_type_object))
		return rt_fail(e, 0, "config.json: top level must be an object");
	if (get_str(c->json, "ociVersion", "", &c->oci_version, e) < 0 ||
	    get_str(c->json, "hostname", "", &c->hostname, e) < 0 ||
	    get_str(c->json, "domainname", "", &c->domainname, e) < 0 ||
	    get_opt(c->json, "annotations", json_type_object, "", &c->annotations, e) < 0 ||
	    parse_root(c->json, c, e) < 0 || parse_mounts(c->json, c, e) < 0 ||
	    parse_linux(c->json, c, e) < 0 || parse_hooks(c->json, c, e) < 0)
		return -1;
	return 0;
}

int config_load(const char *path, struct oci_config *c, struct rt_err *e)
{
	cleanup_free char *text = NULL;

	memset(c, 0, sizeof(*c));
	if (read_file(path, &text, NULL, e) < 0)
		return -1;
	return config_parse(text, c, e);
}

void process_free(struct oci_process *p)
{
	free(p->gids);
	strv_free(p->args);
	strv_free(p->env);
	free(p->rlimits);
	memset(p, 0, sizeof(*p));
}

void config_free(struct oci_config *c)
{
	process_free(&c->process);
	for (size_t i = 0; i < c->n_mounts; i++)
		strv_free(c->mounts[i].options);
	free(c->mounts);
	free(c->namespaces);
	free(c->devices);
	resources_free(&c->resources);
	free(c->uid_maps);
	free(c->gid_maps);
	strv_free(c->masked_paths);
	strv_free(c->readonly_paths);
	for (int k = 0; k < HOOK_KINDS; k++) {
		for (size_t i = 0; i < c->n_hooks[k]; i++) {
			strv_free(c->hooks[k][i].args);
			strv_free(c->hooks[k][i].env);
		}
		free(c->hooks[k]);
	}
	if (c->json)
		json_object_put(c->json);
	memset(c, 0, sizeof(*c));
}
