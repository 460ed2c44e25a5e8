/* The hypervisor's side of the agent protocol for one VM: bounded line assembly, ids, waiting, events. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/agent/agent_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/escape.h"

void (*agent_log)(const char *msg);

/* Notes carry what the guest sent (names, codes, messages): escaped, so that no control byte of
 * it reaches the log, the operator's terminal or an error message. */
static void note(struct agent_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct agent_session *s, const char *fmt, ...)
{
	char raw[AGENT_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	escape_text(raw, s->why, sizeof(s->why));
	if (agent_log)
		agent_log(s->why);
}

void agent_session_init(struct agent_session *s, const struct agent_chan_ops *chan, void *chan_ctx)
{
	memset(s, 0, sizeof(*s));
	s->chan = chan;
	s->chan_ctx = chan_ctx;
	s->next_id = 1;
}

/* ---- events ---- */

static void event_exited(struct agent_session *s, const struct agent_msg *m)
{
	struct agent_exit_note n;
	char why[AGENT_WHY_MAX], text[48];
	size_t len;

	if (json_get_str(&m->doc, json_get(&m->doc, m->data, "name"), n.name, sizeof(n.name), &len) ||
	    agent_result_exit(&m->doc, json_get(&m->doc, m->data, "exit"), &n.exit, why, sizeof(why))) {
		s->bad_messages++;
		note(s, "agent: dropped an \"exited\" event without a name and an exit");
		return;
	}
	if (!agent_name_ok(n.name, len)) {
		s->bad_messages++;
		note(s, "agent: dropped an \"exited\" event with a bad name");
		return;
	}
	for (uint32_t i = 0; i < s->exits_count; i++)
		if (!strcmp(s->exits[i].name, n.name)) {
			s->exits[i] = n;
			return;
		}
	s->exits[s->exits_next] = n;
	s->exits_next = (s->exits_next + 1) % AGENT_EXITS_MAX;
	if (s->exits_count < AGENT_EXITS_MAX)
		s->exits_count++;
	agent_exit_text(&n.exit, text, sizeof(text));
	note(s, "agent: container %s %s", n.name, text);
}

static void event_session(struct agent_session *s, const struct agent_msg *m, bool closed)
{
	static char data[AGENT_DATA_MAX + 1];
	int64_t session, code = -1, sig = 0;
	size_t n;

	if (json_get_int(&m->doc, json_get(&m->doc, m->data, "session"), 0, INT32_MAX, &session)) {
		s->bad_messages++;
		note(s, "agent: dropped an \"%s\" event without a session", m->event);
		return;
	}
	if (closed) {
		json_get_int(&m->doc, json_get(&m->doc, m->data, "exit_code"), 0, 255, &code);
		json_get_int(&m->doc, json_get(&m->doc, m->data, "signal"), 0, 64, &sig);
		if (s->on_closed)
			s->on_closed(s->attach_ctx, session, code, sig);
		return;
	}
	if (json_get_str(&m->doc, json_get(&m->doc, m->data, "data"), data, sizeof(data), &n)) {
		s->bad_messages++;
		note(s, "agent: dropped an \"output\" event without data");
		return;
	}
	if (s->on_output)
		s->on_output(s->attach_ctx, session, data, n);
}

static void handle_event(struct agent_session *s, const struct agent_msg *m)
{
	if (!strcmp(m->event, "ready")) {
		s->hello_done = false;
		if (s->waiting_id)
			s->restarted = true;
		note(s, "agent: ready");
	} else if (!strcmp(m->event, "exited")) {
		event_exited(s, m);
	} else if (!strcmp(m->event, "output") || !strcmp(m->event, "closed")) {
		event_session(s, m, m->event[0] == 'c');
	} else {
		s->bad_messages++;
		note(s, "agent: dropped an unknown event");
	}
}

/* ---- incoming lines ---- */

static void handle_line(struct agent_session *s)
{
	struct agent_msg m;
	char err[AGENT_WHY_MAX];

	if (s->line_len == 0)
		return; /* empty lines are ignored (agent_proto.h) */
	if (agent_decode(s->line, s->line_len, s->toks, AGENT_TOKS_MAX, &m, err, sizeof(err))) {
		s->bad_messages++;
		note(s, "agent: dropped a bad message: %s", err);
		return;
	}
	if (m.kind == AGENT_MSG_EVENT) {
		handle_event(s, &m);
		return;
	}
	for (uint32_t i = 0; i < 8; i++)
		if (m.id == s->nowait_ids[i]) {
			s->nowait_ids[i] = 0;
			if (!m.ok)
				note(s, "agent: request %u refused: %s: %s", m.id, m.code, m.message);
			return;
		}
	if (m.id != s->waiting_id || s->have_reply) {
		s->stray_replies++;
		note(s, "agent: dropped a reply to id %u, which nobody waits for", m.id);
		return;
	}
	s->reply = m;
	s->have_reply = true;
}

/* One byte into the line assembler; a full line is handled at its "\n". */
static void take_byte(struct agent_session *s, uint8_t b)
{
	if (b == '\n') {
		if (s->discarding) {
			s->discarding = false;
			return;
		}
		handle_line(s);
		s->line_len = 0;
		return;
	}
	if (s->discarding)
		return;
	if (s->line_len + 1 >= AGENT_LINE_MAX) { /* AGENT_LINE_MAX counts the "\n" */
		s->dropped_lines++;
		s->discarding = true;
		s->line_len = 0;
		note(s, "agent: dropped a line over %d bytes", AGENT_LINE_MAX);
		return;
	}
	s->line[s->line_len++] = (char)b;
}

/*
 * Reads and handles bytes until none are left, a reply someone waits for has arrived, or
 * AGENT_RX_BUDGET bytes were taken: a guest that writes without end (its vCPU on another CPU
 * refills the port while we read) cannot keep the caller here, past its deadline or away from
 * the console; the rest waits in the port for the next call.
 */
static void consume(struct agent_session *s)
{
	for (size_t taken = 0; !s->have_reply && taken < AGENT_RX_BUDGET; taken++) {
		if (s->rx_pos == s->rx_len) {
			long got = s->chan->read(s->chan_ctx, s->rx, sizeof(s->rx));
			if (got <= 0)
				return;
			s->rx_pos = 0;
			s->rx_len = (size_t)got > sizeof(s->rx) ? sizeof(s->rx) : (size_t)got;
		}
		take_byte(s, s->rx[s->rx_pos++]);
	}
}

void agent_poll(struct agent_session *s)
{
	if (s->waiting_id)
		return; /* a waiter consumes */
	s->have_reply = false;
	consume(s);
}

const struct agent_exit_note *agent_exit_of(const struct agent_session *s, const char *name)
{
	for (uint32_t i = 0; i < s->exits_count; i++)
		if (!strcmp(s->exits[i].name, name))
			return &s->exits[i];
	return NULL;
}

/* ---- requests ---- */

static int flush_tx(struct agent_session *s)
{
	while (s->tx_off < s->tx_len) {
		long put = s->chan->write(s->chan_ctx, s->tx + s->tx_off, s->tx_len - s->tx_off);
		if (put < 0)
			return -1;
		if (put == 0)
			return 0;
		s->tx_off += (size_t)put;
	}
	s->tx_off = s->tx_len = 0;
	return 0;
}

/* Encodes a request behind whatever is still queued. Its id, or 0 if it does not fit. */
static uint32_t queue_request(struct agent_session *s, const char *op, agent_args_fn args, const void *arg)
{
	struct agent_request r;
	uint32_t id = s->next_id;
	long n;

	if (s->tx_off) {
		memmove(s->tx, s->tx + s->tx_off, s->tx_len - s->tx_off);
		s->tx_len -= s->tx_off;
		s->tx_off = 0;
	}
	agent_request_begin(&r, s->tx + s->tx_len, sizeof(s->tx) - s->tx_len, id, op);
	if (args)
		args(&r.json, arg);
	if ((n = agent_request_end(&r)) < 0)
		return 0;
	s->tx_len += (size_t)n;
	s->next_id = id >= AGENT_ID_MAX ? 1 : id + 1;
	return id;
}

int agent_send_nowait(struct agent_session *s, const char *op, agent_args_fn args, const void *arg)
{
	uint32_t id;

	if (!s->chan->connected(s->chan_ctx) || !(id = queue_request(s, op, args, arg)))
		return -1;
	s->nowait_ids[s->nowait_next++ % 8] = id;
	return flush_tx(s);
}

static enum agent_status wait_reply(struct agent_session *s, const struct agent_wait_ops *w, void *wctx,
				    uint32_t id, uint64_t deadline)
{
	enum agent_status st;

	s->waiting_id = id;
	s->have_reply = false;
	s->restarted = false;
	for (;;) {
		if (flush_tx(s) < 0) {
			st = AGENT_E_SEND;
			break;
		}
		consume(s);
		if (s->have_reply) {
			st = s->reply.ok ? AGENT_OK : AGENT_E_REMOTE;
			break;
		}
		if (s->restarted) {
			st = AGENT_E_RESTARTED;
			break;
		}
		if (!s->chan->connected(s->chan_ctx)) {
			st = AGENT_E_NOT_CONNECTED;
			break;
		}
		if (w->aborted && w->aborted(wctx)) {
			st = AGENT_E_ABORTED;
			break;
		}
		if (w->now_ns(wctx) >= deadline) {
			st = AGENT_E_TIMEOUT;
			break;
		}
		w->step(wctx);
	}
	s->waiting_id = 0;
	if (st != AGENT_OK && st != AGENT_E_REMOTE)
		s->tx_off = s->tx_len = 0; /* a request not yet sent is not sent later */
	return st;
}

static void hello_args(struct json *j, const void *arg)
{
	(void)arg;
	json_u64(j, "protocol", AGENT_PROTO_VERSION);
}

static enum agent_status say_hello(struct agent_session *s, const struct agent_wait_ops *w, void *wctx,
				   uint64_t deadline)
{
	struct agent_hello h;
	char err[AGENT_WHY_MAX];
	uint32_t id = queue_request(s, "hello", hello_args, NULL);
	enum agent_status st;

	if (!id)
		return AGENT_E_SEND;
	st = wait_reply(s, w, wctx, id, deadline);
	if (st == AGENT_E_REMOTE) {
		snprintf(s->why, sizeof(s->why), "%.15s: %.120s", s->reply.code, s->reply.message);
		return AGENT_E_VERSION;
	}
	if (st != AGENT_OK)
		return st;
	if (agent_result_hello(&s->reply.doc, s->reply.result, &h, err, sizeof(err))) {
		snprintf(s->why, sizeof(s->why), "a bad hello reply: %.120s", err);
		return AGENT_E_BAD_REPLY;
	}
	if (h.protocol != AGENT_PROTO_VERSION) {
		snprintf(s->why, sizeof(s->why), "it speaks protocol %lld, the hypervisor %d", (long long)h.protocol,
			 AGENT_PROTO_VERSION);
		return AGENT_E_VERSION;
	}
	snprintf(s->agent_version, sizeof(s->agent_version), "%s", h.agent);
	s->hello_done = true;
	return AGENT_OK;
}

enum agent_status agent_call(struct agent_session *s, const struct agent_wait_ops *w, void *wctx, const char *op,
			     agent_args_fn args, const void *arg, uint64_t timeout_ns, const struct agent_msg **reply)
{
	uint64_t deadline = w->now_ns(wctx) + timeout_ns;
	enum agent_status st;
	uint32_t id;

	s->why[0] = '\0';
	s->have_reply = false;
	if (!s->chan->connected(s->chan_ctx))
		return AGENT_E_NOT_CONNECTED;
	consume(s); /* events that came before: a "ready" among them asks for hello */
	s->have_reply = false;
	for (int attempt = 0;; attempt++) {
		if (!s->hello_done && (st = say_hello(s, w, wctx, deadline)) != AGENT_OK)
			return st;
		if (!(id = queue_request(s, op, args, arg)))
			return AGENT_E_SEND;
		st = wait_reply(s, w, wctx, id, deadline);
		/* an agent that restarted unseen (its "ready" lost) wants hello again: once, then the request */
		if (attempt == 0 && st == AGENT_E_REMOTE && !strcmp(s->reply.code, "EPROTO") &&
		    !strcmp(s->reply.message, "hello first")) {
			s->hello_done = false;
			continue;
		}
		break;
	}
	if (reply)
		*reply = &s->reply;
	return st;
}
