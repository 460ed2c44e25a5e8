/* Container operations in a VM's guest, through its agent: the one layer `ct` (and so the HTTP API) calls. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_AGENT_CT_OPS_H
#define HYPERVISOR_AGENT_CT_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hypervisor/agent/agent_session.h"
#include "kernel/console/ct_args.h"

/*
 * Every operation: ct_open() finds the VM and its agent session, then one call sends one
 * request and waits for its reply, at most its deadline on the hypervisor's clock
 * (kernel/time.h), while the console CPU keeps running vCPUs (sched_console_wait_step) and
 * the `vm console` pump. Ctrl-C typed at the console ends a wait. Each returns 0, or -1 with
 * c->err holding the message the console prints after "error: " — which of: no such VM, VM not
 * running, no agent channel, agent not connected, no answer within N s, the agent's own error
 * (code and message), a reply we could not use, interrupted.
 */

#define CT_QUICK_TIMEOUT_S 5   /* list, images, kill, rm, stats, logs: a reply is immediate */
#define CT_RUN_TIMEOUT_S 30    /* create + start through bwrun */
#define CT_EXEC_TIMEOUT_S 30   /* a non-interactive exec answers when the process ends */
#define CT_STOP_GRACE_S 5      /* stop: its --timeout plus this */
#define CT_LIST_MAX 64
#define CT_ERR_MAX 256

struct vm;

struct ct_ctx {
	struct vm *vm;
	struct agent_session *s;
	const char *what; /* "ct list", for messages */
	char err[CT_ERR_MAX];
};

/* Finds VM `vm_name` and its agent session; `what` names the command in messages. */
int ct_open(struct ct_ctx *c, const char *vm_name, const char *what);

int ct_op_list(struct ct_ctx *c, struct agent_ct_state *out, uint32_t max, uint32_t *n);
int ct_op_images(struct ct_ctx *c, struct agent_image *out, uint32_t max, uint32_t *n);
/* run: create and start (attach: an interactive session, *session its id). */
int ct_op_run(struct ct_ctx *c, const struct ct_cmd *cmd, int64_t *pid, int64_t *session);
/* exec without -i: stdout and stderr into buffers of `cap` bytes (> AGENT_EXEC_OUT_MAX). */
int ct_op_exec(struct ct_ctx *c, const struct ct_cmd *cmd, struct agent_exec *x, char *out, char *errout, size_t cap);
/* exec -i: starts the process attached; *session its id. */
int ct_op_exec_attach(struct ct_ctx *c, const struct ct_cmd *cmd, int64_t *session);
/* logs: the last `lines` lines (0: all kept) or the bytes after `from` (-1: not given), into buf. */
int ct_op_logs(struct ct_ctx *c, const char *name, uint32_t lines, int64_t from, char *buf, size_t cap,
	       struct agent_logs *out);
int ct_op_stop(struct ct_ctx *c, const char *name, uint32_t timeout_s, bool *killed);
int ct_op_kill(struct ct_ctx *c, const char *name, const char *signal);
int ct_op_rm(struct ct_ctx *c, const char *name);
int ct_op_stats(struct ct_ctx *c, const char *name, struct agent_stats *out);
/* Attached sessions: bytes to its stdin, and leaving it (neither waits for the reply). */
int ct_op_input(struct ct_ctx *c, int64_t session, const char *data, size_t len);
int ct_op_detach(struct ct_ctx *c, int64_t session);

/* The session of a VM that exists (NULL when none was opened): the `ct` pumps poll it. */
struct agent_session *ct_session_of(struct vm *vm);

/*
 * From the console CPU's loop, at most every CT_POLL_NS: reads what every running VM's agent
 * sent since (events such as "exited", stray replies), so the guest's port never fills up
 * between commands and `ct list` knows the exits.
 */
#define CT_POLL_NS 100000000ull
void ct_ops_poll(void);

#endif
