/* The container operations over a VM's agent channel (the virtio-console agent port), waiting on the console CPU. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/agent/ct_ops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/serial.h"
#include "hypervisor/dev/virtio/vport.h"
#include "hypervisor/vm.h"
#include "kernel/console/console.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/time.h"

_Static_assert(CT_VM_NAME_MAX == VM_NAME_MAX - 1, "ct_args checks VM names against the VM table's limit");

#define CT_SESSIONS_MAX 16
#define KEY_CTRL_C 0x03
#define KEY_DETACH 0x1d /* Ctrl-] */

/* ---- the channel: the VM's agent port (hypervisor/dev/virtio/vport.h) ---- */

static long chan_write(void *ctx, const void *buf, size_t len)
{
	return vport_write(ctx, VPORT_AGENT, buf, len);
}

static long chan_read(void *ctx, void *buf, size_t cap)
{
	return (long)vport_read(ctx, VPORT_AGENT, buf, cap);
}

static bool chan_connected(void *ctx)
{
	return vport_connected(ctx, VPORT_AGENT);
}

static const struct agent_chan_ops vport_chan = { chan_write, chan_read, chan_connected };

/* ---- one session per VM, kept while the VM exists; a new boot starts a new one ---- */

struct slot {
	uint32_t vm_id;
	uint64_t started_ns;
	struct agent_session *s;
};

static struct slot slots[CT_SESSIONS_MAX];

/*
 * What agents send that the hypervisor drops is logged, but at most AGENT_LOG_BURST lines each
 * AGENT_LOG_WINDOW_NS (all VMs together): a guest that floods its port with bad lines would
 * otherwise fill the log ring (hiding everything else) and the console with notices. What was
 * left out is counted in one line when the next window opens.
 */
#define AGENT_LOG_BURST 20
#define AGENT_LOG_WINDOW_S 10
#define AGENT_LOG_WINDOW_NS (AGENT_LOG_WINDOW_S * 1000000000ull)

static uint64_t log_window_ns, log_suppressed;
static uint32_t log_logged;

/* Opens a new window once the last has passed, saying what it left out. */
static void log_window(uint64_t now)
{
	if (now - log_window_ns < AGENT_LOG_WINDOW_NS)
		return;
	if (log_suppressed)
		log_warn("agent: %llu more messages about what agents sent not logged (at most %d in %d s)",
			 (unsigned long long)log_suppressed, AGENT_LOG_BURST, AGENT_LOG_WINDOW_S);
	log_window_ns = now;
	log_logged = 0;
	log_suppressed = 0;
}

static void log_agent(const char *msg)
{
	log_window(time_ns());
	if (log_logged >= AGENT_LOG_BURST) {
		log_suppressed++;
		return;
	}
	log_logged++;
	log_warn("%s", msg);
}

static bool vm_id_exists(uint32_t id)
{
	static struct vm *list[VM_MAX];
	uint32_t n = vm_snapshot(list, VM_MAX);

	for (uint32_t i = 0; i < n; i++)
		if (list[i]->id == id)
			return true;
	return false;
}

static struct slot *slot_for(struct vm *vm, bool create)
{
	struct slot *free_slot = NULL;

	for (uint32_t i = 0; i < CT_SESSIONS_MAX; i++) {
		if (slots[i].s && slots[i].vm_id == vm->id)
			return &slots[i];
		if (create && !free_slot && (!slots[i].s || !vm_id_exists(slots[i].vm_id)))
			free_slot = &slots[i];
	}
	if (!create || !free_slot)
		return NULL;
	if (!free_slot->s && !(free_slot->s = malloc(sizeof(*free_slot->s))))
		return NULL;
	free_slot->vm_id = vm->id;
	free_slot->started_ns = vm->started_ns;
	agent_session_init(free_slot->s, &vport_chan, vm);
	return free_slot;
}

struct agent_session *ct_session_of(struct vm *vm)
{
	struct slot *sl = slot_for(vm, false);
	return sl ? sl->s : NULL;
}

void ct_ops_poll(void)
{
	static struct vm *list[VM_MAX];
	static uint64_t next_ns;
	uint64_t now = time_ns();
	uint32_t n;

	if (now < next_ns)
		return;
	next_ns = now + CT_POLL_NS;
	if (log_suppressed)
		log_window(now);
	n = vm_snapshot(list, VM_MAX);
	for (uint32_t i = 0; i < n; i++) {
		struct slot *sl;
		if (list[i]->state != VM_RUNNING || !(sl = slot_for(list[i], false)))
			continue;
		if (sl->started_ns == list[i]->started_ns)
			agent_poll(sl->s);
	}
}

static int fail(struct ct_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct ct_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

int ct_open(struct ct_ctx *c, const char *vm_name, const char *what)
{
	struct slot *sl;
	uint8_t none;

	memset(c, 0, sizeof(*c));
	c->what = what;
	agent_log = log_agent;
	if (!(c->vm = vm_lookup(vm_name)))
		return fail(c, "no VM named '%s'; 'vm list' shows them", vm_name);
	if (c->vm->state != VM_RUNNING)
		return fail(c, "vm '%s' is %s, not running; start it with 'vm start %s'", c->vm->name,
			    vm_state_name(c->vm->state), c->vm->name);
	if (vport_write(c->vm, VPORT_AGENT, &none, 0) < 0)
		return fail(c, "vm '%s' has no agent channel (no virtio-console port %s); containers need a Linux "
			    "guest with the agent", c->vm->name, AGENT_PORT_NAME);
	if (!(sl = slot_for(c->vm, true)))
		return fail(c, "no agent session free (%d VMs talk to agents already, or the heap is full)", CT_SESSIONS_MAX);
	if (sl->started_ns != c->vm->started_ns) { /* the VM booted again: a new agent */
		agent_session_init(sl->s, &vport_chan, c->vm);
		sl->started_ns = c->vm->started_ns;
	}
	c->s = sl->s;
	return 0;
}

/* ---- waiting ---- */

struct waiter {
	struct vm *vm;
	bool key, stopped;
};

static uint64_t w_now(void *ctx)
{
	(void)ctx;
	return time_ns();
}

static void w_step(void *ctx)
{
	(void)ctx;
	sched_console_wait_step();
	if (!console_capturing()) /* an API request's answer is being captured: guest output waits */
		vm_console_pump();
}

/* Keys typed while a command waits are read here: Ctrl-C (or Ctrl-]) ends the wait, others are dropped. */
static bool w_aborted(void *ctx)
{
	struct waiter *w = ctx;
	uint8_t b;

	while (serial_read_byte(&b))
		if (b == KEY_CTRL_C || b == KEY_DETACH)
			w->key = true;
	if (w->vm->state != VM_RUNNING)
		w->stopped = true;
	return w->key || w->stopped;
}

static const struct agent_wait_ops console_wait = { w_now, w_step, w_aborted };

static int call(struct ct_ctx *c, const char *op, agent_args_fn args, const void *arg, uint32_t timeout_s,
		const struct agent_msg **reply)
{
	struct waiter w = { .vm = c->vm };
	enum agent_status st = agent_call(c->s, &console_wait, &w, op, args, arg, (uint64_t)timeout_s * 1000000000ull,
					  reply);
	const char *vm = c->vm->name;

	switch (st) {
	case AGENT_OK:
		return 0;
	case AGENT_E_NOT_CONNECTED:
		return fail(c, "the agent in vm '%s' is not connected (port %s is not open in the guest yet; is it "
			    "still booting?)", vm, AGENT_PORT_NAME);
	case AGENT_E_TIMEOUT:
		return fail(c, "the agent in vm '%s' did not answer within %u s", vm, timeout_s);
	case AGENT_E_ABORTED:
		if (w.stopped)
			return fail(c, "vm '%s' stopped while %s waited for its agent", vm, c->what);
		return fail(c, "interrupted; %s gave up waiting (a later reply is dropped)", c->what);
	case AGENT_E_REMOTE:
		return fail(c, "the agent in vm '%s' refused: %s: %s", vm, (*reply)->code, (*reply)->message);
	case AGENT_E_VERSION:
		return fail(c, "the agent in vm '%s' does not speak protocol %d: %s", vm, AGENT_PROTO_VERSION,
			    c->s->why);
	case AGENT_E_RESTARTED:
		return fail(c, "the agent in vm '%s' restarted while %s waited; try again", vm, c->what);
	case AGENT_E_BAD_REPLY:
		return fail(c, "the agent in vm '%s' sent a reply that cannot be used: %s", vm, c->s->why);
	case AGENT_E_SEND:
	default:
		return fail(c, "could not send %s to the agent in vm '%s' (too long, or the port went away)", c->what,
			    vm);
	}
}

static int bad_reply(struct ct_ctx *c, const char *why)
{
	log_warn("agent: vm %s: %s: unusable reply: %s", c->vm->name, c->what, why);
	return fail(c, "the agent in vm '%s' sent a reply that cannot be used: %s", c->vm->name, why);
}

/* ---- request arguments ---- */

static void name_args(struct json *j, const void *arg)
{
	json_string(j, "name", arg);
}

static void list_of(struct json *j, const char *key, const char *const *v, uint32_t n)
{
	json_array_begin(j, key);
	for (uint32_t i = 0; i < n; i++)
		json_string(j, NULL, v[i]);
	json_array_end(j);
}

struct run_arg {
	const struct ct_cmd *cmd;
	bool attach;
};

static void run_args(struct json *j, const void *arg)
{
	const struct run_arg *r = arg;
	const struct ct_cmd *c = r->cmd;

	json_string(j, "name", c->name);
	json_string(j, "image", c->image);
	if (c->nargs)
		list_of(j, "args", c->args, c->nargs);
	if (c->nenv)
		list_of(j, "env", c->env, c->nenv);
	if (c->mem)
		json_u64(j, "mem", c->mem);
	if (c->pids)
		json_u64(j, "pids", c->pids);
	if (c->cpus_milli)
		json_u64(j, "cpus_milli", c->cpus_milli);
	if (r->attach)
		json_bool(j, "attach", true);
}

static void exec_args(struct json *j, const void *arg)
{
	const struct run_arg *r = arg;

	json_string(j, "name", r->cmd->name);
	list_of(j, "args", r->cmd->args, r->cmd->nargs);
	if (r->attach)
		json_bool(j, "attach", true);
}

struct logs_arg {
	const char *name;
	uint32_t lines;
	int64_t from;
};

static void logs_args(struct json *j, const void *arg)
{
	const struct logs_arg *l = arg;

	json_string(j, "name", l->name);
	if (l->lines)
		json_u64(j, "lines", l->lines);
	if (l->from >= 0)
		json_u64(j, "from", (uint64_t)l->from);
}

struct stop_arg {
	const char *name;
	uint32_t timeout_s;
};

static void stop_args(struct json *j, const void *arg)
{
	const struct stop_arg *s = arg;

	json_string(j, "name", s->name);
	json_u64(j, "timeout_s", s->timeout_s);
}

struct kill_arg {
	const char *name, *signal;
};

static void kill_args(struct json *j, const void *arg)
{
	const struct kill_arg *k = arg;

	json_string(j, "name", k->name);
	if (!k->signal)
		return;
	if (k->signal[0] >= '0' && k->signal[0] <= '9')
		json_u64(j, "signal", (uint64_t)strtoul(k->signal, NULL, 10));
	else
		json_string(j, "signal", k->signal);
}

struct input_arg {
	int64_t session;
	const char *data;
};

static void input_args(struct json *j, const void *arg)
{
	const struct input_arg *in = arg;

	json_u64(j, "session", (uint64_t)in->session);
	if (in->data)
		json_string(j, "data", in->data);
}

/* ---- operations ---- */

int ct_op_list(struct ct_ctx *c, struct agent_ct_state *out, uint32_t max, uint32_t *n)
{
	const struct agent_msg *r = NULL;
	char why[160];
	int arr;

	*n = 0;
	if (call(c, "list", NULL, NULL, CT_QUICK_TIMEOUT_S, &r))
		return -1;
	if ((arr = agent_result_array(&r->doc, r->result, "containers", why, sizeof(why))) < 0)
		return bad_reply(c, why);
	for (int e = json_first(&r->doc, arr); e >= 0 && *n < max; e = json_after(&r->doc, e)) {
		const struct agent_exit_note *note;
		if (agent_result_state(&r->doc, e, &out[*n], why, sizeof(why)))
			return bad_reply(c, why);
		note = agent_exit_of(c->s, out[*n].name);
		if (!out[*n].exit.present && note && strcmp(out[*n].state, "running"))
			out[*n].exit = note->exit; /* an "exited" event the list does not carry yet */
		(*n)++;
	}
	return 0;
}

int ct_op_images(struct ct_ctx *c, struct agent_image *out, uint32_t max, uint32_t *n)
{
	const struct agent_msg *r = NULL;
	char why[160];
	int arr;

	*n = 0;
	if (call(c, "images", NULL, NULL, CT_QUICK_TIMEOUT_S, &r))
		return -1;
	if ((arr = agent_result_array(&r->doc, r->result, "images", why, sizeof(why))) < 0)
		return bad_reply(c, why);
	for (int e = json_first(&r->doc, arr); e >= 0 && *n < max; e = json_after(&r->doc, e))
		if (agent_result_image(&r->doc, e, &out[(*n)++], why, sizeof(why)))
			return bad_reply(c, why);
	return 0;
}

int ct_op_run(struct ct_ctx *c, const struct ct_cmd *cmd, int64_t *pid, int64_t *session)
{
	struct run_arg a = { cmd, cmd->interactive };
	const struct agent_msg *r = NULL;
	char why[160];

	if (call(c, "run", run_args, &a, CT_RUN_TIMEOUT_S, &r))
		return -1;
	if (agent_result_started(&r->doc, r->result, pid, session, why, sizeof(why)))
		return bad_reply(c, why);
	if (cmd->interactive && *session < 0)
		return bad_reply(c, "no \"session\" for an attached run");
	return 0;
}

int ct_op_exec(struct ct_ctx *c, const struct ct_cmd *cmd, struct agent_exec *x, char *out, char *errout, size_t cap)
{
	struct run_arg a = { cmd, false };
	const struct agent_msg *r = NULL;
	char why[160];

	if (call(c, "exec", exec_args, &a, CT_EXEC_TIMEOUT_S, &r))
		return -1;
	if (agent_result_exec(&r->doc, r->result, x, out, errout, cap, why, sizeof(why)))
		return bad_reply(c, why);
	return 0;
}

int ct_op_exec_attach(struct ct_ctx *c, const struct ct_cmd *cmd, int64_t *session)
{
	struct run_arg a = { cmd, true };
	const struct agent_msg *r = NULL;

	if (call(c, "exec", exec_args, &a, CT_QUICK_TIMEOUT_S, &r))
		return -1;
	if (json_get_int(&r->doc, json_get(&r->doc, r->result, "session"), 0, INT32_MAX, session))
		return bad_reply(c, "no \"session\" for an attached exec");
	return 0;
}

int ct_op_logs(struct ct_ctx *c, const char *name, uint32_t lines, int64_t from, char *buf, size_t cap,
	       struct agent_logs *out)
{
	struct logs_arg a = { name, lines, from };
	const struct agent_msg *r = NULL;
	char why[160];

	if (call(c, "logs", logs_args, &a, CT_QUICK_TIMEOUT_S, &r))
		return -1;
	if (agent_result_logs(&r->doc, r->result, buf, cap, out, why, sizeof(why)))
		return bad_reply(c, why);
	return 0;
}

int ct_op_stop(struct ct_ctx *c, const char *name, uint32_t timeout_s, bool *killed)
{
	struct stop_arg a = { name, timeout_s ? timeout_s : AGENT_STOP_TIMEOUT_S };
	const struct agent_msg *r = NULL;
	char why[160];

	if (call(c, "stop", stop_args, &a, a.timeout_s + CT_STOP_GRACE_S, &r))
		return -1;
	if (agent_result_stop(&r->doc, r->result, killed, why, sizeof(why)))
		return bad_reply(c, why);
	return 0;
}

int ct_op_kill(struct ct_ctx *c, const char *name, const char *signal)
{
	struct kill_arg a = { name, signal }; /* none: the agent's default, TERM */
	const struct agent_msg *r = NULL;

	return call(c, "kill", kill_args, &a, CT_QUICK_TIMEOUT_S, &r);
}

int ct_op_rm(struct ct_ctx *c, const char *name)
{
	const struct agent_msg *r = NULL;

	if (!call(c, "delete", name_args, name, CT_QUICK_TIMEOUT_S, &r))
		return 0;
	if (r && c->s->have_reply && !r->ok && !strcmp(r->code, "EBUSY"))
		snprintf(c->err + strlen(c->err), sizeof(c->err) - strlen(c->err), "; stop it first with 'ct stop %s %s'",
			 c->vm->name, name);
	return -1;
}

int ct_op_stats(struct ct_ctx *c, const char *name, struct agent_stats *out)
{
	const struct agent_msg *r = NULL;
	char why[160];

	if (call(c, "stats", name_args, name, CT_QUICK_TIMEOUT_S, &r))
		return -1;
	if (agent_result_stats(&r->doc, r->result, out, why, sizeof(why)))
		return bad_reply(c, why);
	return 0;
}

int ct_op_input(struct ct_ctx *c, int64_t session, const char *data, size_t len)
{
	static char buf[AGENT_DATA_MAX + 1]; /* the console CPU's stack is small */
	struct input_arg a = { session, buf };

	if (len > AGENT_DATA_MAX)
		len = AGENT_DATA_MAX;
	memcpy(buf, data, len);
	buf[len] = '\0';
	return agent_send_nowait(c->s, "input", input_args, &a);
}

int ct_op_detach(struct ct_ctx *c, int64_t session)
{
	struct input_arg a = { session, NULL };

	return agent_send_nowait(c->s, "detach", input_args, &a);
}
