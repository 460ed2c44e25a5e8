/* The OCI runtime config (config.json) decoded into plain C structures. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_CONFIG_H
#define BWRUN_CONFIG_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct oci_mount {
	const char *destination;
	const char *type;
	const char *source;
	char **options;          /* NULL-terminated */
};

struct oci_idmap {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

struct oci_namespace {
	int flag;                /* CLONE_NEW* */
	const char *path;        /* NULL: create a new one */
};

struct oci_rlimit {
	int resource;
	uint64_t soft;
	uint64_t hard;
};

struct oci_caps {
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct oci_hook {
	const char *path;
	char **args;             /* NULL-terminated, may be NULL */
	char **env;              /* NULL-terminated, may be NULL */
	int timeout;             /* seconds, 0 = none */
};

enum hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_KINDS
};

struct oci_process {
	bool terminal;
	uint32_t uid, gid;
	uint32_t *gids;
	size_t n_gids;
	char **args;
	char **env;
	const char *cwd;
	bool has_caps;
	struct oci_caps caps;
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
};

/* linux.devices[]: a node the runtime creates in the container's /dev. */
struct oci_device {
	const char *path;
	char type;               /* 'c', 'b', 'u' (unbuffered char) or 'p' (fifo) */
	uint32_t major, minor;
	uint32_t mode;           /* permission bits; 0666 when fileMode is absent */
	uint32_t uid, gid;
};

/* linux.resources.devices[]: one rule of the device allow list. */
#define DEV_ACC_MKNOD 1u     /* the kernel's BPF_DEVCG_ACC_* bits */
#define DEV_ACC_READ 2u
#define DEV_ACC_WRITE 4u
struct oci_dev_rule {
	bool allow;
	char type;               /* 'a' (all), 'c' or 'b' */
	int64_t major, minor;    /* -1: any */
	unsigned access;         /* DEV_ACC_* */
};

/* blockIO per-device entries: a weight or a rate (bytes or operations per second). */
struct oci_blkio_dev {
	uint32_t major, minor;
	int64_t value;
};

enum blkio_throttle { THR_READ_BPS, THR_WRITE_BPS, THR_READ_IOPS, THR_WRITE_IOPS, THR_KINDS };

struct oci_hugepage {
	const char *page_size;   /* "2MB", "1GB" */
	uint64_t limit;
};

/* -1 means "not set" for every limit. */
struct oci_resources {
	int64_t memory_limit;
	int64_t memory_swap;
	int64_t memory_reservation;
	int64_t cpu_quota;
	int64_t cpu_period;
	int64_t cpu_shares;      /* cgroup v1 shares, converted to cpu.weight */
	const char *cpuset_cpus; /* NULL: not set */
	const char *cpuset_mems;
	int64_t pids_limit;
	bool has_devices;        /* linux.resources.devices present: the eBPF allow list */
	struct oci_dev_rule *dev_rules;
	size_t n_dev_rules;
	int64_t blkio_weight;
	struct oci_blkio_dev *blkio_weights;
	size_t n_blkio_weights;
	struct oci_blkio_dev *throttle[THR_KINDS];
	size_t n_throttle[THR_KINDS];
	struct oci_hugepage *hugepages;
	size_t n_hugepages;
	struct json_object *unified;   /* file name -> value, written as given */
};

struct oci_config {
	struct json_object *json;        /* owns every const char * below */
	const char *oci_version;
	const char *root_path;
	bool root_readonly;
	const char *hostname;
	const char *domainname;
	struct oci_process process;
	struct oci_mount *mounts;
	size_t n_mounts;
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_device *devices;
	size_t n_devices;
	struct oci_idmap *uid_maps, *gid_maps;
	size_t n_uid_maps, n_gid_maps;
	char **masked_paths;
	char **readonly_paths;
	struct oci_resources resources;
	const char *cgroups_path;
	const char *rootfs_propagation;
	struct json_object *seccomp;     /* decoded by seccomp.c */
	struct json_object *sysctl;
	struct oci_hook *hooks[HOOK_KINDS];
	size_t n_hooks[HOOK_KINDS];
	struct json_object *annotations;
};

/* Decodes the JSON text; errors name the bad field ("process.args[0]: ..."). */
int config_parse(const char *text, struct oci_config *c, struct rt_err *e);
int config_load(const char *path, struct oci_config *c, struct rt_err *e);
/* Decodes one "process" object (used by config and by `exec --process`). */
int config_parse_process(struct json_object *o,
			 struct oci_process *p, struct rt_err *e);
/* Decodes a "linux.resources" object (used by config and by `update -r`); WHERE
 * prefixes the field names in errors. Unset limits are -1. */
int config_parse_resources(struct json_object *res, const char *where,
			   struct oci_resources *r, struct rt_err *e);
void resources_free(struct oci_resources *r);
void config_free(struct oci_config *c);
void process_free(struct oci_process *p);

int namespace_flag(const char *type);
const char *namespace_name(int flag);
bool config_has_namespace(const struct oci_config *c, int flag);
const struct oci_namespace *config_namespace(const struct oci_config *c, int flag);
const char *hook_kind_name(enum hook_kind k);

#endif
