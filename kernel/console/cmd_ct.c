/* The `ct` command group: containers in a VM's Linux guest, through its agent (hypervisor/agent/ct_ops.h). */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>
#include "hypervisor/agent/ct_ops.h"
#include "hypervisor/vm.h"
#include "kernel/civil_time.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/ct_args.h"
#include "kernel/console/json.h"
#include "kernel/sched.h"
#include "kernel/time.h"

#define DETACH_KEY 0x1d /* Ctrl-] */
#define CTRL_C 0x03
#define FOLLOW_PERIOD_NS 500000000ull
#define LOGS_ROUNDS_MAX 16 /* AGENT_LOG_MAX / AGENT_DATA_MAX = 8 replies hold all a container's log */

static struct agent_ct_state list_buf[CT_LIST_MAX];
static char data_buf[AGENT_DATA_MAX + 1], err_buf[AGENT_DATA_MAX + 1];

/* Parses argv (argv[0] the subcommand) and opens the VM's agent session. CMD_OK or the code to return. */
static int begin(int argc, char **argv, struct ct_cmd *cmd, struct ct_ctx *c, const char *what)
{
	char err[256];

	if (ct_parse(argc, argv, cmd, err, sizeof(err)))
		return cmd_usage_error("%s", err);
	if (ct_open(c, cmd->vm, what))
		return cmd_error("%s", c->err);
	return CMD_OK;
}

static void exit_json(struct json *j, const struct agent_exit *e)
{
	char text[48];

	if (!e->present) {
		json_null(j, "exit");
		return;
	}
	json_object_begin(j, "exit");
	if (e->code >= 0)
		json_i64(j, "code", e->code);
	else
		json_null(j, "code");
	if (e->signal >= 0)
		json_i64(j, "signal", e->signal);
	else
		json_null(j, "signal");
	json_string(j, "reason", e->reason);
	agent_exit_text(e, text, sizeof(text));
	json_string(j, "text", text);
	json_object_end(j);
}

static void list_json(const struct agent_ct_state *st, uint32_t n)
{
	struct json j;

	json_init(&j);
	json_array_begin(&j, NULL);
	for (uint32_t i = 0; i < n; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "name", st[i].name);
		json_string(&j, "image", st[i].image);
		json_string(&j, "state", st[i].state);
		json_i64(&j, "pid", st[i].pid);
		json_i64(&j, "created", st[i].created);
		exit_json(&j, &st[i].exit);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_end(&j);
}

static int cmd_ct_list(int argc, char **argv)
{
	struct ct_cmd cmd;
	struct ct_ctx c;
	uint32_t n;
	int rc = begin(argc, argv, &cmd, &c, "ct list");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_list(&c, list_buf, CT_LIST_MAX, &n))
		return cmd_error("%s", c.err);
	if (cmd.json) {
		list_json(list_buf, n);
		return CMD_OK;
	}
	if (!n) {
		console_printf("no containers in vm '%s'; start one with 'ct run %s NAME IMAGE'\n", c.vm->name,
			       c.vm->name);
		return CMD_OK;
	}
	console_printf("%-20s %-16s %-8s %7s  %-19s  %s\n", "NAME", "IMAGE", "STATE", "PID", "CREATED (UTC)", "STATUS");
	for (uint32_t i = 0; i < n; i++) {
		struct civil_time t;
		char status[48];
		civil_from_unix(list_buf[i].created, &t);
		agent_exit_text(&list_buf[i].exit, status, sizeof(status));
		console_printf("%-20s %-16s %-8s %7lld  %04d-%02u-%02u %02u:%02u:%02u  %s\n", list_buf[i].name,
			       list_buf[i].image, list_buf[i].state, (long long)list_buf[i].pid, (int)t.year, t.month,
			       t.day, t.hour, t.minute, t.second, status);
	}
	return CMD_OK;
}

static int cmd_ct_images(int argc, char **argv)
{
	static struct agent_image im[CT_LIST_MAX];
	struct ct_cmd cmd;
	struct ct_ctx c;
	struct json j;
	uint32_t n;
	int rc = begin(argc, argv, &cmd, &c, "ct images");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_images(&c, im, CT_LIST_MAX, &n))
		return cmd_error("%s", c.err);
	if (cmd.json) {
		json_init(&j);
		json_array_begin(&j, NULL);
		for (uint32_t i = 0; i < n; i++) {
			json_object_begin(&j, NULL);
			json_string(&j, "name", im[i].name);
			json_string(&j, "ref", im[i].ref);
			json_i64(&j, "size", im[i].size);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_end(&j);
		return CMD_OK;
	}
	if (!n)
		console_printf("no images in vm '%s'\n", c.vm->name);
	else
		console_printf("%-24s %-16s %12s\n", "NAME", "REF", "BYTES");
	for (uint32_t i = 0; i < n; i++)
		console_printf("%-24s %-16s %12lld\n", im[i].name, im[i].ref[0] ? im[i].ref : "-", (long long)im[i].size);
	return CMD_OK;
}

/* ---- attached sessions (ct run -i, ct exec -i) and ct logs -f: pumped from the console loop ---- */

enum attach_kind { ATTACH_NONE, ATTACH_SESSION, ATTACH_FOLLOW };

static struct {
	enum attach_kind kind;
	uint32_t vm_id;
	char vm[VM_NAME_MAX];
	char name[AGENT_NAME_MAX + 1];
	int64_t session;
	int64_t offset;
	uint64_t next_ns;
	char in[256];
	size_t in_len;
	bool leave;  /* the operator pressed Ctrl-]: send "detach", then leave */
	bool closed; /* the process ended */
	int64_t code, signal;
} att;

static void attach_end(const char *why)
{
	att.kind = ATTACH_NONE;
	console_printf("\r\n[%s]", why);
	console_detach();
}

static void attach_input(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == DETACH_KEY || (att.kind == ATTACH_FOLLOW && buf[i] == CTRL_C)) {
			att.leave = true;
			return;
		}
		if (att.in_len < sizeof(att.in)) /* typed faster than sent: the rest is dropped */
			att.in[att.in_len++] = buf[i] == '\r' ? '\n' : (char)buf[i]; /* Enter ends a line on a pipe */
	}
}

static void on_output(void *ctx, int64_t session, const char *data, size_t len)
{
	(void)ctx;
	if (att.kind == ATTACH_SESSION && session == att.session)
		console_write(data, len);
}

static void on_closed(void *ctx, int64_t session, int64_t code, int64_t sig)
{
	(void)ctx;
	if (att.kind == ATTACH_SESSION && session == att.session) {
		att.closed = true;
		att.code = code;
		att.signal = sig;
	}
}

static void attach_begin(struct ct_ctx *c, enum attach_kind kind, const char *name, int64_t session)
{
	memset(&att, 0, sizeof(att));
	att.kind = kind;
	att.vm_id = c->vm->id;
	snprintf(att.vm, sizeof(att.vm), "%s", c->vm->name);
	snprintf(att.name, sizeof(att.name), "%s", name);
	att.session = session;
	c->s->on_output = on_output;
	c->s->on_closed = on_closed;
	console_attach(attach_input, NULL);
}

static void pump_session(struct ct_ctx *c)
{
	char why[64];

	agent_poll(c->s);
	if (att.in_len) {
		ct_op_input(c, att.session, att.in, att.in_len);
		att.in_len = 0;
	}
	if (att.leave) {
		ct_op_detach(c, att.session);
		snprintf(why, sizeof(why), "detached from %s", att.name);
		attach_end(why);
	} else if (att.closed) {
		snprintf(why, sizeof(why), "%s: session ended, exit code %lld%s", att.name, (long long)att.code,
			 att.signal > 0 ? " (signal)" : "");
		attach_end(why);
	}
}

static void pump_follow(struct ct_ctx *c)
{
	struct agent_logs l;

	if (att.leave) {
		attach_end("stopped following");
		return;
	}
	if (time_ns() < att.next_ns)
		return;
	if (ct_op_logs(c, att.name, 0, att.offset, data_buf, sizeof(data_buf), &l)) {
		console_printf("\r\nerror: %s", c->err);
		attach_end("stopped following");
		return;
	}
	if (l.start > att.offset)
		console_printf("[%lld bytes lost to the log bound]\n", (long long)(l.start - att.offset));
	console_write_neutralised((const uint8_t *)data_buf, l.len);
	att.offset = l.offset;
	if (!l.running && !l.len) {
		attach_end("the container is not running");
		return;
	}
	att.next_ns = l.len == AGENT_DATA_MAX ? 0 : time_ns() + FOLLOW_PERIOD_NS; /* more waiting: ask at once */
}

void ct_console_pump(void)
{
	struct ct_ctx c;

	ct_ops_poll();
	if (att.kind == ATTACH_NONE)
		return;
	if (ct_open(&c, att.vm, "ct") || c.vm->id != att.vm_id) {
		attach_end("the VM is gone or not running");
		return;
	}
	if (att.kind == ATTACH_SESSION)
		pump_session(&c);
	else
		pump_follow(&c);
}

/* ---- run, exec, logs ---- */

static int cmd_ct_run(int argc, char **argv)
{
	int64_t pid, session = -1;
	struct ct_cmd cmd;
	struct ct_ctx c;
	int rc = begin(argc, argv, &cmd, &c, "ct run");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_run(&c, &cmd, &pid, &session))
		return cmd_error("%s", c.err);
	if (!cmd.interactive) {
		console_printf("container '%s' is running in vm '%s' (pid %lld); 'ct logs %s %s' shows its output\n",
			       cmd.name, c.vm->name, (long long)pid, c.vm->name, cmd.name);
		return CMD_OK;
	}
	console_printf("[attached to %s in %s: Ctrl-] detaches]\r\n", cmd.name, c.vm->name);
	attach_begin(&c, ATTACH_SESSION, cmd.name, session);
	return CMD_OK;
}

static int cmd_ct_exec(int argc, char **argv)
{
	struct agent_exec x;
	int64_t session;
	struct ct_cmd cmd;
	struct ct_ctx c;
	int rc = begin(argc, argv, &cmd, &c, "ct exec");

	if (rc != CMD_OK)
		return rc;
	if (cmd.interactive) {
		if (ct_op_exec_attach(&c, &cmd, &session))
			return cmd_error("%s", c.err);
		console_printf("[attached to %s in %s: Ctrl-] detaches]\r\n", cmd.name, c.vm->name);
		attach_begin(&c, ATTACH_SESSION, cmd.name, session);
		return CMD_OK;
	}
	if (ct_op_exec(&c, &cmd, &x, data_buf, err_buf, sizeof(data_buf)))
		return cmd_error("%s", c.err);
	console_write_neutralised((const uint8_t *)data_buf, strlen(data_buf));
	console_write_neutralised((const uint8_t *)err_buf, strlen(err_buf));
	if (x.truncated)
		console_printf("[output cut at %d bytes a stream]\n", AGENT_EXEC_OUT_MAX);
	if (x.signal > 0)
		console_printf("[killed by signal %lld]\n", (long long)x.signal);
	else
		console_printf("[exit code %lld]\n", (long long)x.exit_code);
	return CMD_OK;
}

static int cmd_ct_logs(int argc, char **argv)
{
	struct agent_logs l;
	struct ct_cmd cmd;
	struct ct_ctx c;
	int64_t from = -1;
	int rc = begin(argc, argv, &cmd, &c, "ct logs");

	if (rc != CMD_OK)
		return rc;
	for (int round = 0; round < LOGS_ROUNDS_MAX; round++) {
		if (ct_op_logs(&c, cmd.name, round ? 0 : cmd.lines, from, data_buf, sizeof(data_buf), &l))
			return cmd_error("%s", c.err);
		if (from >= 0 && l.start > from)
			console_printf("[%lld bytes lost to the log bound]\n", (long long)(l.start - from));
		console_write_neutralised((const uint8_t *)data_buf, l.len);
		from = l.offset;
		if (l.len < AGENT_DATA_MAX)
			break;
	}
	if (!cmd.follow)
		return CMD_OK;
	console_printf("[following %s in %s: Ctrl-] or Ctrl-C stops]\r\n", cmd.name, c.vm->name);
	attach_begin(&c, ATTACH_FOLLOW, cmd.name, -1);
	att.offset = from;
	att.next_ns = time_ns() + FOLLOW_PERIOD_NS;
	return CMD_OK;
}

/* ---- stop, kill, rm, stats ---- */

static int cmd_ct_stop(int argc, char **argv)
{
	struct ct_cmd cmd;
	struct ct_ctx c;
	bool killed;
	int rc = begin(argc, argv, &cmd, &c, "ct stop");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_stop(&c, cmd.name, cmd.timeout_s, &killed))
		return cmd_error("%s", c.err);
	console_printf("container '%s' in vm '%s' stopped%s\n", cmd.name, c.vm->name,
		       killed ? " (killed: SIGTERM was not enough)" : "");
	return CMD_OK;
}

static int cmd_ct_kill(int argc, char **argv)
{
	struct ct_cmd cmd;
	struct ct_ctx c;
	int rc = begin(argc, argv, &cmd, &c, "ct kill");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_kill(&c, cmd.name, cmd.signal))
		return cmd_error("%s", c.err);
	console_printf("sent %s to container '%s' in vm '%s'\n", cmd.signal ? cmd.signal : "TERM", cmd.name, c.vm->name);
	return CMD_OK;
}

static int cmd_ct_rm(int argc, char **argv)
{
	struct ct_cmd cmd;
	struct ct_ctx c;
	int rc = begin(argc, argv, &cmd, &c, "ct rm");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_rm(&c, cmd.name))
		return cmd_error("%s", c.err);
	console_printf("container '%s' removed from vm '%s'\n", cmd.name, c.vm->name);
	return CMD_OK;
}

static void json_or_null(struct json *j, const char *key, int64_t v)
{
	if (v < 0)
		json_null(j, key);
	else
		json_i64(j, key, v);
}

static void stats_json(const struct ct_ctx *c, const char *name, const struct agent_stats *s)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "vm", c->vm->name);
	json_string(&j, "name", name);
	json_i64(&j, "memory_bytes", s->memory_bytes);
	json_or_null(&j, "memory_max", s->memory_max);
	json_or_null(&j, "memory_peak", s->memory_peak);
	json_i64(&j, "cpu_usec", s->cpu_usec);
	json_or_null(&j, "cpu_max_milli", s->cpu_max_milli);
	json_i64(&j, "pids", s->pids);
	json_or_null(&j, "pids_max", s->pids_max);
	json_i64(&j, "oom_kills", s->oom_kills);
	json_object_end(&j);
	json_end(&j);
}

static void limit_text(char *out, size_t cap, int64_t v, const char *unit)
{
	if (v < 0)
		snprintf(out, cap, "no limit");
	else
		snprintf(out, cap, "limit %lld%s", (long long)v, unit);
}

static int cmd_ct_stats(int argc, char **argv)
{
	struct agent_stats s;
	struct ct_cmd cmd;
	struct ct_ctx c;
	char lim[48];
	int rc = begin(argc, argv, &cmd, &c, "ct stats");

	if (rc != CMD_OK)
		return rc;
	if (ct_op_stats(&c, cmd.name, &s))
		return cmd_error("%s", c.err);
	if (cmd.json) {
		stats_json(&c, cmd.name, &s);
		return CMD_OK;
	}
	console_printf("container %s in vm %s\n", cmd.name, c.vm->name);
	limit_text(lim, sizeof(lim), s.memory_max, " bytes");
	console_printf("  memory     %lld bytes, %s", (long long)s.memory_bytes, lim);
	if (s.memory_peak >= 0)
		console_printf(", peak %lld bytes", (long long)s.memory_peak);
	console_printf("\n  cpu        %lld.%06lld s, ", (long long)(s.cpu_usec / 1000000), (long long)(s.cpu_usec % 1000000));
	if (s.cpu_max_milli < 0)
		console_printf("no limit\n");
	else
		console_printf("limit %lld.%03lld CPUs\n", (long long)(s.cpu_max_milli / 1000), (long long)(s.cpu_max_milli % 1000));
	limit_text(lim, sizeof(lim), s.pids_max, "");
	console_printf("  pids       %lld, %s\n", (long long)s.pids, lim);
	console_printf("  oom kills  %lld\n", (long long)s.oom_kills);
	return CMD_OK;
}

static const struct console_cmd ct_cmds[] = {
	{ .name = "list", .usage = "ct list VM [--json]", .help = "containers in a VM: state, pid, exit status",
	  .handler = cmd_ct_list },
	{ .name = "images", .usage = "ct images VM [--json]", .help = "images a VM's agent can run",
	  .handler = cmd_ct_images },
	{ .name = "run",
	  .usage = "ct run VM NAME IMAGE [--mem=SIZE] [--pids=N] [--cpus=N] [--env=K=V]... [-i] [-- CMD ARGS...]",
	  .help = "create and start a container (detached; -i attaches, Ctrl-] detaches)", .handler = cmd_ct_run },
	{ .name = "exec", .usage = "ct exec VM NAME [-i] -- CMD ARGS...",
	  .help = "run a command in a container: its output and exit code (-i attaches)", .handler = cmd_ct_exec },
	{ .name = "logs", .usage = "ct logs VM NAME [-n LINES] [-f]",
	  .help = "a container's output (-f follows until Ctrl-] or it stops)", .handler = cmd_ct_logs },
	{ .name = "stop", .usage = "ct stop VM NAME [--timeout S]",
	  .help = "SIGTERM, then SIGKILL after S s (default 10)", .handler = cmd_ct_stop },
	{ .name = "kill", .usage = "ct kill VM NAME [SIGNAL]", .help = "send a signal (default TERM)",
	  .handler = cmd_ct_kill },
	{ .name = "rm", .usage = "ct rm VM NAME", .help = "remove a container that is not running",
	  .handler = cmd_ct_rm },
	{ .name = "stats", .usage = "ct stats VM NAME [--json]", .help = "memory, CPU time and pids (cgroup v2)",
	  .handler = cmd_ct_stats },
};

CONSOLE_COMMAND(ct, .name = "ct", .usage = "ct <command> [ARGS]",
		.help = "containers in a VM's Linux guest, through its agent", .subcmds = ct_cmds,
		.nsubcmds = CONSOLE_ARRAY_SIZE(ct_cmds));
