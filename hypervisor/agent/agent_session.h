/* One VM's conversation with its guest agent: line assembly, request ids, replies matched by id, events. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_AGENT_AGENT_SESSION_H
#define HYPERVISOR_AGENT_AGENT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bulwark/agent_proto.h"
#include "hypervisor/agent/agent_codec.h"
#include "hypervisor/agent/agent_result.h"

/*
 * Pure logic over two small ops tables, so the same code runs in the hypervisor (over the
 * virtio-console agent port, hypervisor/agent/agent_port.c) and in host tests (over a
 * scripted fake agent). Nothing here blocks: agent_call() waits by calling wait->step()
 * until the reply, the deadline on wait->now_ns(), or wait->aborted().
 */

/* The channel: vport_write/vport_read/vport_connected of the VM's agent port. All non-blocking. */
struct agent_chan_ops {
	long (*write)(void *ctx, const void *buf, size_t len); /* bytes taken (0 when full), -1 gone */
	long (*read)(void *ctx, void *buf, size_t cap);        /* bytes read (0 when none), -1 gone */
	bool (*connected)(void *ctx);                          /* the guest has the port open */
};

/* How a caller waits. */
struct agent_wait_ops {
	uint64_t (*now_ns)(void *ctx);
	void (*step)(void *ctx);     /* lets the rest of the system (the guest) run for a while */
	bool (*aborted)(void *ctx);  /* the operator pressed Ctrl-C */
};

enum agent_status {
	AGENT_OK = 0,
	AGENT_E_NOT_CONNECTED, /* the port is not open in the guest (yet) */
	AGENT_E_TIMEOUT,       /* no reply within the deadline */
	AGENT_E_ABORTED,       /* Ctrl-C */
	AGENT_E_REMOTE,        /* the agent's own error: code and message in the reply */
	AGENT_E_BAD_REPLY,     /* a reply we could not use (see agent_session.why) */
	AGENT_E_VERSION,       /* the agent speaks another protocol version */
	AGENT_E_RESTARTED,     /* the agent restarted ("ready") while we waited */
	AGENT_E_SEND,          /* the request does not fit, or the channel went away */
};

#define AGENT_RX_CHUNK 512
#define AGENT_RX_BUDGET 16384 /* bytes one agent_poll() (or one wait step) takes from the guest at most */
#define AGENT_EXITS_MAX 16
#define AGENT_WHY_MAX 160

/* An "exited" event, kept so `ct list` can show exits the agent reported. */
struct agent_exit_note {
	char name[AGENT_NAME_MAX + 1];
	struct agent_exit exit;
};

struct agent_session {
	const struct agent_chan_ops *chan;
	void *chan_ctx;
	/* the line being assembled; a line over AGENT_LINE_MAX is dropped up to its "\n" */
	char line[AGENT_LINE_MAX];
	size_t line_len;
	bool discarding;
	uint8_t rx[AGENT_RX_CHUNK];
	size_t rx_pos, rx_len;
	/* requests */
	char tx[AGENT_LINE_MAX];
	size_t tx_len, tx_off;
	uint32_t next_id;
	uint32_t waiting_id; /* 0: none */
	uint32_t nowait_ids[8]; /* recent agent_send_nowait() ids: their replies are expected, not stray */
	uint32_t nowait_next;
	bool have_reply;
	struct json_tok toks[AGENT_TOKS_MAX];
	struct agent_msg reply; /* valid while have_reply: its tokens point into line[] */
	bool hello_done;
	bool restarted;      /* "ready" arrived while waiting */
	char agent_version[64];
	/* events */
	struct agent_exit_note exits[AGENT_EXITS_MAX];
	uint32_t exits_next, exits_count;
	void (*on_output)(void *ctx, int64_t session, const char *data, size_t len);
	void (*on_closed)(void *ctx, int64_t session, int64_t exit_code, int64_t signal);
	void *attach_ctx;
	/* counters, for logs and tests */
	uint64_t dropped_lines, stray_replies, bad_messages;
	char why[AGENT_WHY_MAX]; /* the last problem, for error messages */
};

/* Log lines about what the guest sent (kernel: log_warn); NULL drops them. */
extern void (*agent_log)(const char *msg);

/* Resets `s` for a channel (a new VM or a new connection). */
void agent_session_init(struct agent_session *s, const struct agent_chan_ops *chan, void *chan_ctx);

/* The args of a request: members written through the JSON writer, or NULL for {}. */
typedef void (*agent_args_fn)(struct json *j, const void *arg);

/*
 * Sends request `op` and waits for its reply (saying "hello" first when the agent has not
 * heard one since it became ready). AGENT_OK: *reply holds the result, valid until the next
 * call on `s`. AGENT_E_REMOTE: *reply holds the agent's code and message. Otherwise s->why
 * may say more.
 */
enum agent_status agent_call(struct agent_session *s, const struct agent_wait_ops *w, void *wctx, const char *op,
			     agent_args_fn args, const void *arg, uint64_t timeout_ns, const struct agent_msg **reply);

/* Reads and handles what the guest sent, without waiting (events between commands, attached output);
 * at most AGENT_RX_BUDGET bytes a call. */
void agent_poll(struct agent_session *s);

/* Sends a request without waiting for its reply (e.g. "input" of an attached session); 0 or -1. */
int agent_send_nowait(struct agent_session *s, const char *op, agent_args_fn args, const void *arg);

/* The last exit reported for container `name`, or NULL. */
const struct agent_exit_note *agent_exit_of(const struct agent_session *s, const char *name);

#endif
