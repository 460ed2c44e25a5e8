/* Semantic checks of a decoded config: everything the runtime relies on later. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "validate.h"

#include <ctype.h>
#include <sched.h>
#include <string.h>

#include "idmap.h"

int validate_id(const char *id, struct rt_err *e)
{
	size_t n = strlen(id);

	if (n == 0 || n > 1024)
		return rt_fail(e, 0, "container id must be 1 to 1024 characters");
	if (!isalnum((unsigned char)id[0]))
		return rt_fail(e, 0, "invalid container id \"%s\": must start with a letter or digit", id);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("_.-", id[i]))
			return rt_fail(e, 0, "invalid container id \"%s\": only [A-Za-z0-9_.-] allowed", id);
	return 0;
}

static int validate_process(const struct oci_process *p, struct rt_err *e)
{
	if (!p->args || !p->args[0] || !p->args[0][0])
		return rt_fail(e, 0, "process.args: must name the program to run");
	if (!p->cwd || p->cwd[0] != '/')
		return rt_fail(e, 0, "process.cwd: \"%s\" must be an absolute path",
			       p->cwd ? p->cwd : "");
	for (size_t i = 0; p->env && p->env[i]; i++)
		if (!strchr(p->env[i], '=') || p->env[i][0] == '=')
			return rt_fail(e, 0, "process.env[%zu]: \"%s\" is not NAME=VALUE", i,
				       p->env[i]);
	for (size_t i = 0; i < p->n_rlimits; i++)
		if (p->rlimits[i].soft > p->rlimits[i].hard)
			return rt_fail(e, 0, "process.rlimits[%zu]: soft limit above hard limit", i);
	/* An ambient capability outside permitted and inheritable is not an error: the kernel
	 * will not raise it, and runc and crun then leave it out (caps_apply() does too). */
	if (p->has_caps && (p->caps.effective & ~p->caps.permitted))
		return rt_fail(e, 0, "process.capabilities.effective: every effective capability must also be permitted");
	return 0;
}

static int validate_namespaces(const struct oci_config *c, struct rt_err *e)
{
	int seen = 0;
	bool userns = config_has_namespace(c, CLONE_NEWUSER);

	for (size_t i = 0; i < c->n_namespaces; i++) {
		const struct oci_namespace *ns = &c->namespaces[i];

		if (seen & ns->flag)
			return rt_fail(e, 0, "linux.namespaces[%zu]: namespace \"%s\" listed twice",
				       i, namespace_name(ns->flag));
		seen |= ns->flag;
		if (ns->path && ns->path[0] != '/')
			return rt_fail(e, 0, "linux.namespaces[%zu].path: must be absolute", i);
	}
	if (c->hostname && c->hostname[0] && !config_has_namespace(c, CLONE_NEWUTS))
		return rt_fail(e, 0, "hostname: setting a hostname needs a uts namespace");
	if (c->domainname && c->domainname[0] && !config_has_namespace(c, CLONE_NEWUTS))
		return rt_fail(e, 0, "domainname: setting a domainname needs a uts namespace");
	if ((c->n_uid_maps || c->n_gid_maps) && !userns)
		return rt_fail(e, 0, "linux.uidMappings: mappings need a user namespace");
	if (userns && !config_namespace(c, CLONE_NEWUSER)->path &&
	    (!c->n_uid_maps || !c->n_gid_maps))
		return rt_fail(e, 0, "linux.uidMappings: a new user namespace needs uidMappings and gidMappings");
	if (idmap_validate(c->uid_maps, c->n_uid_maps, "linux.uidMappings", e) < 0 ||
	    idmap_validate(c->gid_maps, c->n_gid_maps, "linux.gidMappings", e) < 0)
		return -1;
	return 0;
}

static int validate_mounts(const struct oci_config *c, struct rt_err *e)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct oci_mount *m = &c->mounts[i];

		if (!m->destination || m->destination[0] != '/')
			return rt_fail(e, 0, "mounts[%zu].destination: must be an absolute path", i);
		if (strstr(m->destination, "/../") ||
		    !strcmp(m->destination + strlen(m->destination) - 3, "/.."))
			return rt_fail(e, 0, "mounts[%zu].destination: must not contain \"..\"", i);
	}
	for (size_t i = 0; c->masked_paths && c->masked_paths[i]; i++)
		if (c->masked_paths[i][0] != '/')
			return rt_fail(e, 0, "linux.maskedPaths[%zu]: must be absolute", i);
	for (size_t i = 0; c->readonly_paths && c->readonly_paths[i]; i++)
		if (c->readonly_paths[i][0] != '/')
			return rt_fail(e, 0, "linux.readonlyPaths[%zu]: must be absolute", i);
	return 0;
}

static bool has_dotdot(const char *p)
{
	size_t n = strlen(p);

	return !strcmp(p, "..") || !strncmp(p, "../", 3) || strstr(p, "/../") ||
	       (n >= 3 && !strcmp(p + n - 3, "/.."));
}

static int validate_devices(const struct oci_config *c, struct rt_err *e)
{
	for (size_t i = 0; i < c->n_devices; i++) {
		const struct oci_device *d = &c->devices[i];

		if (d->path[0] != '/' || has_dotdot(d->path) || !strcmp(d->path, "/"))
			return rt_fail(e, 0, "linux.devices[%zu].path: \"%s\" must be an absolute path without \"..\"",
				       i, d->path);
		if (d->type == 'p' && (d->major || d->minor))
			return rt_fail(e, 0, "linux.devices[%zu]: a fifo (type p) has no major or minor", i);
	}
	return 0;
}

/* Page sizes as the kernel names hugetlb files: digits and KB, MB or GB. */
static bool valid_page_size(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && (!strcmp(s + n, "KB") || !strcmp(s + n, "MB") || !strcmp(s + n, "GB"));
}

static int validate_blkio(const struct oci_resources *r, struct rt_err *e)
{
	/* config-linux.md "Block IO": weight and weightDevice.weight are 10..1000. */
	if (r->blkio_weight != -1 && (r->blkio_weight < 10 || r->blkio_weight > 1000))
		return rt_fail(e, 0, "linux.resources.blockIO.weight: must be within 10..1000");
	for (size_t i = 0; i < r->n_blkio_weights; i++)
		if (r->blkio_weights[i].value < 10 || r->blkio_weights[i].value > 1000)
			return rt_fail(e, 0, "linux.resources.blockIO.weightDevice[%zu].weight: must be within 10..1000", i);
	return 0;
}

static int validate_unified(const struct oci_resources *r, struct rt_err *e)
{
	if (!r->unified)
		return 0;
	json_object_object_foreach(r->unified, key, val)
	{
		const char *dot = strchr(key, '.');

		(void)val;
		if (!dot || dot == key || strchr(key, '/') || has_dotdot(key))
			return rt_fail(e, 0, "linux.resources.unified: \"%s\" is not a cgroup file name (CONTROLLER.FILE)", key);
	}
	return 0;
}

int resources_validate(const struct oci_resources *r, struct rt_err *e)
{
	for (size_t i = 0; i < r->n_hugepages; i++)
		if (!valid_page_size(r->hugepages[i].page_size))
			return rt_fail(e, 0, "linux.resources.hugepageLimits[%zu].pageSize: \"%s\" is not like 2MB or 1GB",
				       i, r->hugepages[i].page_size);
	if (validate_blkio(r, e) < 0 || validate_unified(r, e) < 0)
		return -1;
	if (r->memory_limit != -1 && r->memory_limit < 4096)
		return rt_fail(e, 0, "linux.resources.memory.limit: %lld is below one page",
			       (long long)r->memory_limit);
	if (r->memory_swap != -1 && r->memory_limit != -1 && r->memory_swap > 0 &&
	    r->memory_swap < r->memory_limit)
		return rt_fail(e, 0, "linux.resources.memory.swap: must be at least memory.limit");
	if (r->cpu_quota != -1 && r->cpu_quota < 1000)
		return rt_fail(e, 0, "linux.resources.cpu.quota: must be -1 or at least 1000");
	if (r->cpu_period != -1 && (r->cpu_period < 1000 || r->cpu_period > 1000000))
		return rt_fail(e, 0, "linux.resources.cpu.period: must be within 1000..1000000");
	if (r->cpu_shares != -1 && (r->cpu_shares < 2 || r->cpu_shares > 262144))
		return rt_fail(e, 0, "linux.resources.cpu.shares: must be within 2..262144");
	if (r->pids_limit != -1 && r->pids_limit < 1)
		return rt_fail(e, 0, "linux.resources.pids.limit: must be -1 or positive");
	return 0;
}

static int validate_propagation(const char *p, struct rt_err *e)
{
	static const char *const ok[] = { "private", "rprivate", "slave", "rslave",
					  "shared", "rshared", "unbindable", "runbindable" };

	if (!p || !p[0])
		return 0;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(p, ok[i]))
			return 0;
	return rt_fail(e, 0, "linux.rootfsPropagation: unknown value \"%s\"", p);
}

int config_validate(const struct oci_config *c, struct rt_err *e)
{
	if (!c->oci_version)
		return rt_fail(e, 0, "ociVersion: missing");
	if (strncmp(c->oci_version, "1.", 2))
		return rt_fail(e, 0, "ociVersion: version \"%s\" is not supported (want 1.x)",
			       c->oci_version);
	if (!c->root_path || !c->root_path[0])
		return rt_fail(e, 0, "root.path: missing");
	if (validate_process(&c->process, e) < 0 || validate_namespaces(c, e) < 0 ||
	    validate_mounts(c, e) < 0 || resources_validate(&c->resources, e) < 0 ||
	    validate_propagation(c->rootfs_propagation, e) < 0)
		return -1;
	/* config-linux.md: cgroupsPath may be absolute or relative (to the runtime's own
	 * cgroup); either way it stays below the cgroup mount. */
	if (c->cgroups_path && has_dotdot(c->cgroups_path))
		return rt_fail(e, 0, "linux.cgroupsPath: must not contain \"..\"");
	if (c->cgroups_path && strchr(c->cgroups_path, ':'))
		return rt_fail(e, 0, "linux.cgroupsPath: \"%s\" is a systemd slice:prefix:name path; bwrun drives cgroupfs only (no --systemd-cgroup)",
			       c->cgroups_path);
	if (validate_devices(c, e) < 0)
		return -1;
	if (!config_has_namespace(c, CLONE_NEWNS) &&
	    ((c->masked_paths && c->masked_paths[0]) || (c->readonly_paths && c->readonly_paths[0])))
		return rt_fail(e, 0, "linux.maskedPaths/readonlyPaths: unable to restrict sys entries without a private mount namespace");
	return 0;
}
