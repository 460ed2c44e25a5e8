/* The management API's routes: method and path to an operation (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_API_ROUTE_H
#define KERNEL_NET_API_API_ROUTE_H

#include <stddef.h>

enum api_op {
	API_HOST, API_NET, API_LOG, API_METRICS, API_VMS_LIST, API_VMS_CREATE, API_VM_GET, API_VM_DELETE,
	API_VM_STATS, API_VM_OUTPUT, API_VM_ACTION,
	API_CT_LIST, API_CT_RUN, API_CT_IMAGES, API_CT_DELETE, API_CT_STATS, API_CT_LOGS, API_CT_EXEC, API_CT_ACTION,
};

#define API_NAME_MAX 64

struct api_route {
	const char *method;
	const char *pattern; /* "/v1/vms/{name}/start": {name} and {ct} match one non-empty segment */
	enum api_op op;
	const char *action;  /* for API_VM_ACTION / API_CT_ACTION: the console's `vm` / `ct` subcommand */
};

struct api_match {
	const struct api_route *route;
	char name[API_NAME_MAX]; /* the {name} segment, percent-decoding not applied */
	char ct[API_NAME_MAX + 8]; /* the {ct} segment: a container name is up to 64 characters */
};

/* Every route served, for the OpenAPI check and `api --json`. */
extern const struct api_route api_routes[];
extern const size_t api_route_count;

/*
 * Matches `method` and `path` (no query). Returns 0 with *m filled, 404 when no route
 * has that path, 405 when routes have the path but not the method, 400 when {name}
 * is longer than API_NAME_MAX - 1 (or {ct} than API_NAME_MAX + 7).
 */
int api_route_match(const char *method, const char *path, struct api_match *m);
/* For a 405: the methods the path allows, "GET, POST" (RFC 9110 10.2.1 Allow). */
void api_route_allow(const char *path, char *out, size_t outlen);

#endif
