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
	{ "GET", "/v1/vms/{name}/containers", API_CT_LIST, NULL },
	{ "POST", "/v1/vms/{name}/containers", API_CT_RUN, NULL },
	{ "GET", "/v1/vms/{name}/images", API_CT_IMAGES, NULL },
	{ "DELETE", "/v1/vms/{name}/containers/{ct}", API_CT_DELETE, NULL },
	{ "GET", "/v1/vms/{name}/containers/{ct}/stats", API_CT_STATS, NULL },
	{ "GET", "/v1/vms/{name}/containers/{ct}/logs", API_CT_LOGS, NULL },
	{ "POST", "/v1/vms/{name}/containers/{ct}/exec", API_CT_EXEC, NULL },
	{ "POST", "/v1/vms/{name}/containers/{ct}/stop", API_CT_ACTION, "stop" },
	{ "POST", "/v1/vms/{name}/containers/{ct}/kill", API_CT_ACTION, "kill" },
};
const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);

/* Copies one path segment into out[0..cap) for a {name} or {ct}: 1, 0 if empty, -1 if too long. */
static int segment(const char **path, char *out, size_t cap)
{
	size_t n = strcspn(*path, "/");

	if (n == 0)
		return 0;
	if (n >= cap)
		return -1;
	memcpy(out, *path, n);
	out[n] = 0;
	*path += n;
	return 1;
}

/* 1 when `path` fits `pattern` (name and ct copied out), 0 when not, -1 when a segment is too long. */
static int fits(const char *pattern, const char *path, char *name, char *ct)
{
	while (*pattern && *path) {
		bool is_name = !strncmp(pattern, "{name}", 6), is_ct = !strncmp(pattern, "{ct}", 4);
		if (is_name || is_ct) {
			int f = is_name ? segment(&path, name, API_NAME_MAX) : segment(&path, ct, API_NAME_MAX + 8);
			if (f <= 0)
				return f;
			pattern += is_name ? 6 : 4;
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
	char name[API_NAME_MAX], ct[API_NAME_MAX + 8] = "";

	for (size_t i = 0; i < api_route_count; i++) {
		int f = fits(api_routes[i].pattern, path, name, ct);
		if (f < 0)
			return 400;
		if (!f)
			continue;
		path_known = true;
		if (strcmp(api_routes[i].method, method) && !(strcmp(method, "HEAD") == 0 && !strcmp(api_routes[i].method, "GET")))
			continue;
		m->route = &api_routes[i];
		memcpy(m->name, name, sizeof(name));
		memcpy(m->ct, ct, sizeof(ct));
		return 0;
	}
	return path_known ? 405 : 404;
}

void api_route_allow(const char *path, char *out, size_t outlen)
{
	char name[API_NAME_MAX], ct[API_NAME_MAX + 8];
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < api_route_count && used < outlen; i++)
		if (fits(api_routes[i].pattern, path, name, ct) == 1)
			used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", api_routes[i].method);
}
