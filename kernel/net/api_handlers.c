/* The API's operations call the console's own commands with their output captured: the console and
 * the API share one implementation of every operation, and the API's JSON is the console's --json. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api_handlers.h"

#include <stdio.h>
#include <string.h>
#include "hypervisor/vm.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/parse.h"
#include "kernel/net/api/json_in.h"

#define ARGS_MAX 12
#define ARG_BYTES 300
#define CT_ARGS_MAX PARSE_ARGV_MAX /* ct run: options, then a command's words */
#define CT_ARG_BYTES JSON_IN_VALUE_MAX

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
static int run(int argc, char **argv, struct outbuf *out)
{
	int rc;

	console_capture(sink, out);
	rc = commands_dispatch(argc, argv);
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
static void answer_argv(struct api_response *resp, int argc, char **argv, int ok_status, int error_status)
{
	struct outbuf text;
	int rc;

	outbuf_init(&text, API_RESPONSE_MAX);
	rc = run(argc, argv, &text);
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

static void answer(struct api_response *resp, struct command *c, int ok_status, int error_status)
{
	answer_argv(resp, c->argc, c->argv, ok_status, error_status);
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

/* ---- containers: the `ct` commands (hypervisor/agent/ct_ops.h) ---- */

/* The console's error of a ct command as an HTTP status: no container 404, agent silent 504, no agent 503. */
static void ct_status(struct api_response *resp)
{
	const char *b = resp->body.data ? resp->body.data : "";

	if (resp->status != 409)
		return;
	if (strstr(b, "refused: ENOENT"))
		resp->status = 404;
	else if (strstr(b, "did not answer within"))
		resp->status = 504;
	else if (strstr(b, "has no agent channel") || strstr(b, "is not connected"))
		resp->status = 503;
}

/* A ct command line: up to a console line's words (static: too big for the console CPU's stack). */
static struct {
	int argc;
	char *argv[CT_ARGS_MAX];
	char store[CT_ARGS_MAX][CT_ARG_BYTES];
	bool overflow;
} ct_cmd;

static void ct_add(const char *fmt, const char *a)
{
	if (ct_cmd.argc >= CT_ARGS_MAX || snprintf(ct_cmd.store[ct_cmd.argc], CT_ARG_BYTES, fmt, a) >= CT_ARG_BYTES) {
		ct_cmd.overflow = true;
		return;
	}
	ct_cmd.argv[ct_cmd.argc] = ct_cmd.store[ct_cmd.argc];
	ct_cmd.argc++;
}

static void ct_begin(const char *sub, const char *vm)
{
	memset(&ct_cmd, 0, sizeof(ct_cmd));
	ct_add("ct", NULL);
	ct_add("%s", sub);
	ct_add("%s", vm);
}

static void ct_answer(struct api_response *resp, int ok_status)
{
	if (ct_cmd.overflow)
		return api_error(resp, 400, "too many words, or a word over 255 bytes");
	answer_argv(resp, ct_cmd.argc, ct_cmd.argv, ok_status, 409);
	ct_status(resp);
}

/* A command that prints JSON (--json): its output is the response. */
static void ct_json(struct api_response *resp, int ok_status)
{
	ct_add("--json", NULL);
	ct_answer(resp, ok_status);
}

/* A command that prints text: {"vm": VM, "name": CT, KEY: "its output"}. */
static void ct_text(struct api_response *resp, const char *vm, const char *ct, const char *key, int ok_status)
{
	struct outbuf text;

	ct_answer(resp, ok_status);
	if (resp->status != ok_status)
		return;
	outbuf_init(&text, API_RESPONSE_MAX);
	outbuf_puts(&text, "{\"vm\":");
	outbuf_json_string(&text, vm, strlen(vm));
	outbuf_puts(&text, ",\"name\":");
	outbuf_json_string(&text, ct, strlen(ct));
	outbuf_puts(&text, ",\"");
	outbuf_puts(&text, key);
	outbuf_puts(&text, "\":");
	outbuf_json_string(&text, resp->body.data ? resp->body.data : "", resp->body.len);
	outbuf_puts(&text, "}\n");
	outbuf_reset(&resp->body);
	outbuf_append(&resp->body, text.data ? text.data : "", text.len);
	outbuf_free(&text);
}

/* Splits a string member ("cmd", "env") into words as the console would; 0 or -1. */
static int ct_words(const char *value, const char *fmt)
{
	static char line[JSON_IN_VALUE_MAX];
	char *argv[PARSE_ARGV_MAX];
	const char *err;
	int n;

	snprintf(line, sizeof(line), "%s", value);
	if ((n = parse_split(line, argv, PARSE_ARGV_MAX, &err)) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		ct_add(fmt, argv[i]);
	return ct_cmd.overflow ? -1 : 0;
}

/* POST /v1/vms/VM/containers {"name","image","mem":"16M","pids":5,"cpus":"0.5","env":"A=1 B=2","cmd":"sh -c 'x'"}. */
static void api_ct_run(const struct http_req *req, const struct api_match *m, struct api_response *resp)
{
	static const char *const opts[] = { "mem", "pids", "cpus" };
	struct json_member j[JSON_IN_MAX_MEMBERS];
	const char *err = NULL, *name = NULL, *image = NULL, *cmd = NULL, *env = NULL;
	int n = json_in_object(req->body, req->body_len, j, JSON_IN_MAX_MEMBERS, &err);

	if (n < 0)
		return api_error(resp, 400, err);
	for (int i = 0; i < n; i++) {
		const char **slot = !strcmp(j[i].key, "name") ? &name : !strcmp(j[i].key, "image") ? &image :
				    !strcmp(j[i].key, "cmd") ? &cmd : !strcmp(j[i].key, "env") ? &env : NULL;
		if (slot)
			*slot = j[i].value;
	}
	if (!name || !image)
		return api_error(resp, 400, "\"name\" and \"image\" (strings) are required");
	ct_begin("run", m->name);
	ct_add("%s", name);
	ct_add("%s", image);
	for (int i = 0; i < n; i++) {
		unsigned k = 0;
		while (k < sizeof(opts) / sizeof(opts[0]) && strcmp(opts[k], j[i].key))
			k++;
		if (k < sizeof(opts) / sizeof(opts[0])) {
			char opt[CT_ARG_BYTES];
			snprintf(opt, sizeof(opt), "--%.8s=%.200s", j[i].key, j[i].value);
			ct_add("%s", opt);
		}
		else if (strcmp(j[i].key, "name") && strcmp(j[i].key, "image") && strcmp(j[i].key, "cmd") &&
			 strcmp(j[i].key, "env"))
			return api_error(resp, 400, "unknown member; expected name, image, mem, pids, cpus, env, cmd");
	}
	if (env && ct_words(env, "--env=%s"))
		return api_error(resp, 400, "\"env\": too many words or an unterminated quote");
	if (cmd && (ct_add("--", NULL), ct_words(cmd, "%s")))
		return api_error(resp, 400, "\"cmd\": too many words or an unterminated quote");
	ct_text(resp, m->name, name, "message", 201);
}

/* POST .../exec {"cmd": "ls -l /"}: {"vm","name","output"} (stdout, stderr, then "[exit code N]"). */
static void api_ct_exec(const struct http_req *req, const struct api_match *m, struct api_response *resp)
{
	struct json_member j[JSON_IN_MAX_MEMBERS];
	const char *err = NULL;
	int n = json_in_object(req->body, req->body_len, j, JSON_IN_MAX_MEMBERS, &err);

	if (n < 0)
		return api_error(resp, 400, err);
	if (n != 1 || strcmp(j[0].key, "cmd") || !j[0].is_string)
		return api_error(resp, 400, "the body is {\"cmd\": \"COMMAND ARGS\"}");
	ct_begin("exec", m->name);
	ct_add("%s", m->ct);
	ct_add("--", NULL);
	if (ct_words(j[0].value, "%s"))
		return api_error(resp, 400, "\"cmd\": too many words or an unterminated quote");
	ct_text(resp, m->name, m->ct, "output", 200);
}

/* A query value that must be a word of [A-Za-z0-9]: "" when absent; -1 when bad. */
static int query_word(const char *query, const char *key, char *out, size_t cap)
{
	out[0] = 0;
	if (http_query_get(query, key, out, cap))
		return out[0] = 0, 0;
	for (const char *p = out; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			return -1;
	return out[0] ? 0 : -1;
}

static void api_ct(const struct http_req *req, const struct api_match *m, const char *query, struct api_response *resp)
{
	char word[24];

	switch (m->route->op) {
	case API_CT_LIST: ct_begin("list", m->name); return ct_json(resp, 200);
	case API_CT_IMAGES: ct_begin("images", m->name); return ct_json(resp, 200);
	case API_CT_RUN: return api_ct_run(req, m, resp);
	case API_CT_EXEC: return api_ct_exec(req, m, resp);
	case API_CT_STATS:
		ct_begin("stats", m->name);
		ct_add("%s", m->ct);
		return ct_json(resp, 200);
	case API_CT_DELETE:
		ct_begin("rm", m->name);
		ct_add("%s", m->ct);
		ct_text(resp, m->name, m->ct, "message", 200);
		if (resp->status == 200) {
			resp->status = 204;
			outbuf_reset(&resp->body);
		}
		return;
	case API_CT_LOGS:
		if (query_word(query, "lines", word, sizeof(word)))
			return api_error(resp, 400, "lines= needs a number");
		ct_begin("logs", m->name);
		ct_add("%s", m->ct);
		if (word[0])
			ct_add("-n=%s", word);
		return ct_text(resp, m->name, m->ct, "logs", 200);
	case API_CT_ACTION:
		if (query_word(query, strcmp(m->route->action, "stop") ? "signal" : "timeout", word, sizeof(word)))
			return api_error(resp, 400, "timeout= needs a number of seconds, signal= a number or a name");
		ct_begin(m->route->action, m->name);
		ct_add("%s", m->ct);
		if (word[0] && !strcmp(m->route->action, "stop"))
			ct_add("--timeout=%s", word);
		else if (word[0])
			ct_add("%s", word);
		return ct_text(resp, m->name, m->ct, "message", 200);
	default: return api_error(resp, 500, "route without a handler");
	}
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
	default: return api_ct(req, m, query, resp);
	}
}
