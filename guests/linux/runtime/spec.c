/* The default config.json that `spec` writes and image import starts from. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "spec.h"

#include <unistd.h>

#include "util.h"

static const char default_spec[] =
"{\"ociVersion\":\"1.0.2\","
"\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"],"
"\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"TERM=xterm\"],"
"\"cwd\":\"/\","
"\"capabilities\":{"
"\"bounding\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
"\"effective\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
"\"permitted\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
"\"ambient\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
"\"inheritable\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]},"
"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],"
"\"noNewPrivileges\":true},"
"\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
"\"hostname\":\"bwrun\","
"\"mounts\":["
"{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
"{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
"{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\"]},"
"{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"
"{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
"{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
"{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]}],"
"\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}],"
"\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\"],"
"\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]}}";

static void add_userns(struct json_object *spec)
{
	struct json_object *lx = json_object_object_get(spec, "linux");
	struct json_object *ns = json_object_object_get(lx, "namespaces");
	struct json_object *user = json_object_new_object();
	char map[128];

	json_object_object_add(user, "type", json_object_new_string("user"));
	json_object_array_add(ns, user);
	snprintf(map, sizeof(map), "[{\"containerID\":0,\"hostID\":%u,\"size\":1}]", getuid());
	json_object_object_add(lx, "uidMappings", json_tokener_parse(map));
	snprintf(map, sizeof(map), "[{\"containerID\":0,\"hostID\":%u,\"size\":1}]", getgid());
	json_object_object_add(lx, "gidMappings", json_tokener_parse(map));
}

struct json_object *spec_default(bool rootless)
{
	struct json_object *spec = json_tokener_parse(default_spec);

	if (!spec)
		abort();
	if (rootless)
		add_userns(spec);
	return spec;
}
