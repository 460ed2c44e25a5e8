/* The agent protocol's envelope (include/bulwark/agent_proto.h): requests encoded, replies and events decoded. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_AGENT_AGENT_CODEC_H
#define HYPERVISOR_AGENT_AGENT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/console/json.h"
#include "kernel/json_parse.h"

/*
 * Pure logic (host-tested, fuzzed). A decoded message's tokens point into the line it came
 * from: both must outlive the use of the message.
 */

#define AGENT_TOKS_MAX 2048      /* values in one message (a list of 64 containers takes ~1700) */
#define AGENT_CODE_MAX 16        /* "ENOENT" and friends, NUL included */
#define AGENT_MSG_MAX 256        /* an error message as shown, NUL included (longer ones are cut) */
#define AGENT_EVENT_MAX 16

/* The bounds every message from the guest must keep (agent_proto.h: AGENT_DATA_MAX, AGENT_LIST_MAX). */
extern const struct json_limits agent_limits;

/* A request being written: agent_request_begin, then members of "args" through `json`, then agent_request_end. */
struct agent_request {
	struct json json;
	char *buf;
	size_t cap, len;
	bool overflow;
};

/* Starts {"v":1,"id":ID,"op":OP,"args":{ in buf[0..cap). */
void agent_request_begin(struct agent_request *r, char *buf, size_t cap, uint32_t id, const char *op);
/* Closes the request and adds the "\n". Returns its length, or -1 if it did not fit (or over AGENT_LINE_MAX). */
long agent_request_end(struct agent_request *r);

enum agent_msg_kind { AGENT_MSG_REPLY, AGENT_MSG_EVENT };

struct agent_msg {
	enum agent_msg_kind kind;
	struct json_doc doc;
	/* a reply */
	uint32_t id;
	bool ok;
	int result;                  /* token of "result" (an object) when ok */
	char code[AGENT_CODE_MAX];   /* "error" when not ok */
	char message[AGENT_MSG_MAX];
	/* an event */
	char event[AGENT_EVENT_MAX];
	int data;                    /* token of "data" (an object) */
};

/*
 * Decodes one line (without its "\n") into `m`, tokens in toks[0..cap). Checks the envelope:
 * one object, "v" == AGENT_PROTO_VERSION, then either "event" (a string) with "data" (an
 * object), or "id" (1..AGENT_ID_MAX) with "ok" and "result" (an object) or "error"
 * ({"code","message"} strings). Unknown members are ignored (a newer agent may add some).
 * Returns 0, or -1 with the reason in err.
 */
int agent_decode(const char *line, size_t len, struct json_tok *toks, uint32_t cap, struct agent_msg *m,
		 char *err, size_t errlen);

#endif
