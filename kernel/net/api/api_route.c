/* The route table of the management API and its matcher. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/api_route.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const struct api_route api_routes[] = {
	{ "GET", "/v1/host", API_HOST, NULL },
	{ "GET", "/v1/net", API_NET, NULL },
	{ "GET", "/v1/log", API_LOG, NULL },
	{ "GET", "/metrics", API_METRICS, NULL },
	{ "GET", "/v1/vms", API_VMS_LIST, NULL },
	{ "POST", "/v1/vms", API_VMS_CREATE, NULL },
	{ "GET", "/v1/vms/{name}", API_VM_GET, NULL },
	{ "DELETE", "/v1/vms/{name}", API_VM_DELETE, NULL },
	{ "GET", "/v1/vms/{name}/stats", API_VM_STATS, NULL },
	{ "GET", "/v1/vms/{name}/output", API_VM_OUTPUT, NULL },
	{ "POST", "/v1/vms/{name}/start", API_VM_ACTION, "start" },
	{ "POST", "/v1/vms/{name}/pause", API_VM_ACTION, "pause" },
	{ "POST", "/v1/vms/{name}/resume", API_VM_ACTION, "resume" },
	{ "POST", "/v1/vms/{name}/stop", API_VM_ACTION, "stop" },
	{ "POST", "/v1/vms/{name}/kill", API_VM_ACTION, "kill" },
	{ "POST", "/v1/vms/{name}/restart", API_VM_ACTION, "restart" },
};
const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);

/* 1 when `path` fits `pattern` (name copied out), 0 when not, -1 when {name} is too long. */
static int fits(const char *pattern, const char *path, char *name)
{
	while (*pattern && *path) {
		if (!strncmp(pattern, "{name}", 6)) {
			size_t n = strcspn(path, "/");
			if (n == 0)
				return 0;
			if (n >= API_NAME_MAX)
				return -1;
			memcpy(name, path, n);
			name[n] = 0;
			path += n;
			pattern += 6;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return !*pattern && !*path;
}

int api_route_match(const char *method, const char *path, struct api_match *m)
{
	bool path_known = false;
	char name[API_NAME_MAX];

	for (size_t i = 0; i < api_route_count; i++) {
		int f = fits(api_routes[i].pattern, path, name);
		if (f < 0)
			return 400;
		if (!f)
			continue;
		path_known = true;
		if (strcmp(api_routes[i].method, method) && !(strcmp(method, "HEAD") == 0 && !strcmp(api_routes[i].method, "GET")))
			continue;
		m->route = &api_routes[i];
		memcpy(m->name, name, sizeof(name));
		return 0;
	}
	return path_known ? 405 : 404;
}

void api_route_allow(const char *path, char *out, size_t outlen)
{
	char name[API_NAME_MAX];
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < api_route_count && used < outlen; i++)
		if (fits(api_routes[i].pattern, path, name) == 1)
			used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", api_routes[i].method);
}
