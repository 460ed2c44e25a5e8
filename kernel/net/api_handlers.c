/* The API's operations call the console's own commands with their output captured: the console and
 * the API share one implementation of every operation, and the API's JSON is the console's --json. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api_handlers.h"

#include <stdio.h>
#include <string.h>
#include "hypervisor/vm.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/net/api/json_in.h"

#define ARGS_MAX 12
#define ARG_BYTES 300

struct command {
	int argc;
	char *argv[ARGS_MAX];
	char store[ARGS_MAX][ARG_BYTES];
};

static void add(struct command *c, const char *fmt, const char *a, const char *b)
{
	if (c->argc >= ARGS_MAX)
		return;
	snprintf(c->store[c->argc], ARG_BYTES, fmt, a, b);
	c->argv[c->argc] = c->store[c->argc];
	c->argc++;
}

static void sink(void *ctx, const char *buf, size_t len)
{
	outbuf_append(ctx, buf, len);
}

/* Runs a console command; its output lands in `out`. Returns the handler's CMD_* code. */
static int run(struct command *c, struct outbuf *out)
{
	int rc;

	console_capture(sink, out);
	rc = commands_dispatch(c->argc, c->argv);
	console_capture(NULL, NULL);
	return rc;
}

void api_error(struct api_response *resp, int status, const char *msg)
{
	size_t n = strlen(msg);

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	resp->status = status;
	resp->content_type = "application/json";
	outbuf_reset(&resp->body);
	outbuf_puts(&resp->body, "{\"error\":");
	outbuf_json_string(&resp->body, msg, n);
	outbuf_puts(&resp->body, "}\n");
}

/* A command's result as the response: its JSON on success, its "error: ..." message otherwise. */
static void answer(struct api_response *resp, struct command *c, int ok_status, int error_status)
{
	struct outbuf text;
	int rc;

	outbuf_init(&text, API_RESPONSE_MAX);
	rc = run(c, &text);
	if (text.overflow) {
		api_error(resp, 500, "the answer is larger than the API's response limit");
	} else if (rc == CMD_OK) {
		resp->status = ok_status;
		outbuf_reset(&resp->body);
		if (text.len)
			outbuf_append(&resp->body, text.data, text.len);
	} else {
		const char *msg = text.data ? text.data : "failed";
		if (!strncmp(msg, "error: ", 7))
			msg += 7;
		api_error(resp, rc == CMD_USAGE ? 400 : error_status, msg);
	}
	outbuf_free(&text);
}

static void vm_show(struct api_response *resp, const char *name, int status)
{
	struct command c = { 0 };
	add(&c, "vm", NULL, NULL);
	add(&c, "show", NULL, NULL);
	add(&c, "%s", name, NULL);
	add(&c, "--json", NULL, NULL);
	answer(resp, &c, status, 409);
}

/* POST /v1/vms {"name": "web", "kernel": "hello.elf", "mem": "16M", "vcpus": 1, "cpus": "0"}: the words of vm create. */
static void api_vm_create(const struct http_req *req, struct api_response *resp)
{
	static const char *const keys[] = { "kernel", "image", "initrd", "cmdline", "module", "debug_exit", "mem", "vcpus", "cpus" };
	struct json_member m[JSON_IN_MAX_MEMBERS];
	struct command c = { 0 };
	const char *err = NULL, *name = NULL;
	int n = json_in_object(req->body, req->body_len, m, JSON_IN_MAX_MEMBERS, &err);

	if (n < 0)
		return api_error(resp, 400, err);
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].key, "name") && m[i].is_string)
			name = m[i].value;
	if (!name)
		return api_error(resp, 400, "\"name\" (a string) is required");
	if (vm_lookup(name))
		return api_error(resp, 409, "a VM with that name exists already");
	add(&c, "vm", NULL, NULL);
	add(&c, "create", NULL, NULL);
	add(&c, "%s", name, NULL);
	for (int i = 0; i < n; i++) {
		unsigned k = 0;
		if (!strcmp(m[i].key, "name"))
			continue;
		while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k], m[i].key))
			k++;
		if (k == sizeof(keys) / sizeof(keys[0]))
			return api_error(resp, 400, "unknown member; expected name, kernel (or image), initrd, cmdline, module, debug_exit, mem, vcpus, cpus");
		add(&c, "%s=%s", m[i].key, m[i].value);
	}
	answer(resp, &c, 201, 400);
	if (resp->status == 201)
		vm_show(resp, name, 201);
}

static void vm_action(const struct api_match *m, struct api_response *resp, const char *action)
{
	struct command c = { 0 };

	add(&c, "vm", NULL, NULL);
	add(&c, "%s", action, NULL);
	add(&c, "%s", m->name, NULL);
	answer(resp, &c, 200, 409);
	if (resp->status != 200)
		return;
	if (!strcmp(action, "destroy")) {
		resp->status = 204;
		outbuf_reset(&resp->body);
		return;
	}
	vm_show(resp, m->name, 200);
}

/* Output as JSON: {"name": ..., "output": "..."} (control bytes are already shown as \xNN). */
static void vm_output(const struct api_match *m, const char *query, struct api_response *resp)
{
	struct command c = { 0 };
	char bytes[24] = "1024";
	struct outbuf text;

	if (!http_query_get(query, "bytes", bytes, sizeof(bytes)) && (!bytes[0] || strspn(bytes, "0123456789") != strlen(bytes)))
		return api_error(resp, 400, "bytes= needs a number");
	add(&c, "vm", NULL, NULL);
	add(&c, "output", NULL, NULL);
	add(&c, "%s", m->name, NULL);
	add(&c, "-n", NULL, NULL);
	add(&c, "%s", bytes, NULL);
	answer(resp, &c, 200, 409);
	if (resp->status != 200)
		return;
	outbuf_init(&text, API_RESPONSE_MAX);
	outbuf_puts(&text, "{\"name\":");
	outbuf_json_string(&text, m->name, strlen(m->name));
	outbuf_puts(&text, ",\"output\":");
	outbuf_json_string(&text, resp->body.data ? resp->body.data : "", resp->body.len);
	outbuf_puts(&text, "}\n");
	outbuf_reset(&resp->body);
	outbuf_append(&resp->body, text.data ? text.data : "", text.len);
	outbuf_free(&text);
}

static void simple(struct api_response *resp, const char *a, const char *b, const char *c3, const char *d)
{
	struct command c = { 0 };
	const char *words[] = { a, b, c3, d };
	for (unsigned i = 0; i < 4 && words[i]; i++)
		add(&c, "%s", words[i], NULL);
	answer(resp, &c, 200, 409);
}

static void log_get(const char *query, struct api_response *resp)
{
	char n[24] = "100";

	if (!http_query_get(query, "n", n, sizeof(n)) && (!n[0] || strspn(n, "0123456789") != strlen(n)))
		return api_error(resp, 400, "n= needs a number");
	simple(resp, "log", "-n", n, "--json");
}

void api_handle(const struct http_req *req, const struct api_match *m, const char *query, struct api_response *resp)
{
	resp->content_type = "application/json";
	switch (m->route->op) {
	case API_HOST: return simple(resp, "info", "--json", NULL, NULL);
	case API_NET: return simple(resp, "net", "--json", NULL, NULL);
	case API_LOG: return log_get(query, resp);
	case API_VMS_LIST: return simple(resp, "vm", "list", "--json", NULL);
	case API_VMS_CREATE: return api_vm_create(req, resp);
	case API_METRICS:
		resp->status = 200;
		resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
		outbuf_reset(&resp->body);
		api_metrics(&resp->body);
		if (resp->body.overflow)
			api_error(resp, 500, "the metrics are larger than the API's response limit");
		return;
	default:
		break;
	}
	/* the routes with {name}: 404 when there is no such VM */
	if (!vm_lookup(m->name))
		return api_error(resp, 404, "no VM with that name; GET /v1/vms lists them");
	switch (m->route->op) {
	case API_VM_GET: return vm_show(resp, m->name, 200);
	case API_VM_DELETE: return vm_action(m, resp, "destroy");
	case API_VM_STATS: return simple(resp, "vm", "stats", m->name, "--json");
	case API_VM_OUTPUT: return vm_output(m, query, resp);
	case API_VM_ACTION: return vm_action(m, resp, m->route->action);
	default: return api_error(resp, 500, "route without a handler");
	}
}
