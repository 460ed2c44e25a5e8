/* The agent's wire codec: a request line -> a validated request, results -> reply and event lines. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_AGENT_CODEC_H
#define BULWARK_AGENT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bulwark/agent_proto.h"

enum agent_op {
	AGENT_OP_HELLO,
	AGENT_OP_IMAGES,
	AGENT_OP_CREATE,
	AGENT_OP_START,
	AGENT_OP_RUN,
	AGENT_OP_EXEC,
	AGENT_OP_KILL,
	AGENT_OP_STOP,
	AGENT_OP_DELETE,
	AGENT_OP_LIST,
	AGENT_OP_STATE,
	AGENT_OP_LOGS,
	AGENT_OP_STATS,
	AGENT_OP_INPUT,
	AGENT_OP_DETACH,
	AGENT_OP_COUNT
};

/* A decoded request: every member checked against the protocol; absent optionals are 0/false. */
struct agent_req {
	int64_t id;
	enum agent_op op;
	int64_t protocol;                  /* hello */
	char name[AGENT_NAME_MAX + 1];     /* create run exec kill stop delete state logs stats */
	char image[AGENT_NAME_MAX + 1];    /* create run */
	char *args[AGENT_LIST_MAX + 1];    /* create run exec; NULL-terminated */
	size_t n_args;
	bool has_args;
	char *env[AGENT_LIST_MAX + 1];     /* create run exec; NULL-terminated */
	size_t n_env;
	uint64_t mem;                      /* bytes, 0: no limit */
	int64_t pids;                      /* 0: no limit */
	int64_t cpus_milli;                /* 0: no limit */
	bool tty, attach, force;
	int signal;                        /* kill: 1..64 (default SIGTERM) */
	int64_t timeout_s;                 /* stop: default AGENT_STOP_TIMEOUT_S */
	int64_t lines;                     /* logs: 0 = all */
	bool has_lines;
	int64_t from;                      /* logs */
	bool has_from;
	int64_t session;                   /* input detach */
	char *data;                        /* input: bytes (NULs allowed), data_len long */
	size_t data_len;
};

/* Why a line was refused: the error code and message of the reply, and the id to give it (0 when
 * the line carried no valid id). */
struct agent_err {
	int64_t id;
	const char *code;
	char message[256];
};

const char *agent_op_name(enum agent_op op);

/* Decodes one line (without its "\n", len bytes, any bytes). 0 and *req filled (free it with
 * agent_req_free), or -1 and *err filled. Pure: no I/O, no global state. */
int agent_decode(const char *line, size_t len, struct agent_req *req, struct agent_err *err);
void agent_req_free(struct agent_req *req);
/* The sequence (agent_proto.h "Sequence"): the first request must be a hello of a protocol the
 * agent speaks. 0 when r may run now, or -1 and *err (EPROTO). */
int agent_gate(const struct agent_req *r, bool hello_done, struct agent_err *err);
/* A copy of src that owns its strings (for an operation that outlives its line): 0, or -1. */
int agent_req_copy(struct agent_req *dst, const struct agent_req *src);

/* A container name: 1..AGENT_NAME_MAX of [A-Za-z0-9_.-], not starting with '.' or '-'. */
bool agent_name_valid(const char *s, size_t len);

/* Length of the valid UTF-8 sequence at s (RFC 3629 section 4), 0 if the byte starts none. */
size_t agent_utf8_seq(const unsigned char *s, size_t len);
bool agent_utf8_valid(const char *s, size_t len);

/* ---- encoding: each returns a malloc'd line ending in "\n" (NULL only when out of memory) */

/* A JSON string of bytes, each byte that is not valid UTF-8 replaced by U+FFFD: "data". */
struct json_object *agent_data_string(const char *bytes, size_t len);

char *agent_reply_ok(int64_t id, struct json_object *result); /* takes ownership of result */
char *agent_reply_error(int64_t id, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *agent_reply_err(const struct agent_err *err);
char *agent_event(const char *event, struct json_object *data); /* takes ownership of data */

/* What STATE says about a container (agent_proto.h). */
enum agent_exit_reason { AGENT_EXIT_NONE, AGENT_EXIT_EXITED, AGENT_EXIT_KILLED, AGENT_EXIT_OOM };
struct agent_exit {
	enum agent_exit_reason reason; /* NONE: "exit" is null */
	int code;
	int signal;
};
struct agent_state {
	const char *name;
	const char *image;
	const char *state; /* "created" "running" "paused" "stopped" */
	int pid;
	int64_t created;
	struct agent_exit exit;
};
struct json_object *agent_state_json(const struct agent_state *s);
struct json_object *agent_exit_json(const struct agent_exit *x);

struct agent_stats {
	uint64_t memory_bytes;
	int64_t memory_max;    /* -1: null ("max") */
	int64_t memory_peak;   /* -1: absent */
	uint64_t cpu_usec;
	int64_t cpu_max_milli; /* -1: null */
	uint64_t pids;
	int64_t pids_max;      /* -1: null */
	uint64_t oom_kills;
};
struct json_object *agent_stats_json(const struct agent_stats *s);

#endif
