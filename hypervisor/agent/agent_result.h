/* The results of agent requests (include/bulwark/agent_proto.h), decoded from a reply into C structs. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_AGENT_AGENT_RESULT_H
#define HYPERVISOR_AGENT_AGENT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bulwark/agent_proto.h"
#include "kernel/json_parse.h"

/*
 * Pure logic. Each decoder checks every member it reads (type, range, length) and returns 0,
 * or -1 with the reason in err (the reply is then reported as malformed, nothing is shown).
 * Numbers are bounded: sizes and times to 0..2^53 (what a JSON double holds exactly),
 * pids to 0..2^31-1, exit codes 0..255, signals 0..64.
 */

#define AGENT_JSON_UINT_MAX 9007199254740992ll /* 2^53 */

struct agent_hello {
	int64_t protocol;
	char agent[64];
};

struct agent_exit {
	bool present;
	int64_t code, signal;
	char reason[16]; /* "exited", "killed", "oom-killed" */
};

struct agent_ct_state {
	char name[AGENT_NAME_MAX + 1];
	char image[AGENT_NAME_MAX + 1];
	char state[12]; /* "created", "running", "paused", "stopped" */
	int64_t pid, created;
	struct agent_exit exit;
};

struct agent_image {
	char name[AGENT_NAME_MAX + 1];
	char ref[AGENT_NAME_MAX + 1];
	int64_t size;
};

struct agent_stats {
	int64_t memory_bytes, memory_max, memory_peak; /* max -1: no limit (null); peak -1: not reported */
	int64_t cpu_usec, cpu_max_milli, pids, pids_max, oom_kills; /* -1: null */
};

struct agent_logs {
	int64_t offset, start;
	bool running;
	size_t len;
};

struct agent_exec {
	int64_t exit_code, signal;
	bool truncated;
};

/* Whether name[0..len) is a container or image NAME as agent_proto.h defines it (no NUL inside). */
bool agent_name_ok(const char *name, size_t len);

int agent_result_hello(const struct json_doc *d, int res, struct agent_hello *out, char *err, size_t errlen);
/* One STATE object (an element of "containers", or the result of "state"). */
int agent_result_state(const struct json_doc *d, int at, struct agent_ct_state *out, char *err, size_t errlen);
/* The "exit" member form: {"code","signal","reason"} or null. */
int agent_result_exit(const struct json_doc *d, int at, struct agent_exit *out, char *err, size_t errlen);
/* The array tokens of "containers" / "images", or -1 with err. Walk it with json_first()/json_after(). */
int agent_result_array(const struct json_doc *d, int res, const char *key, char *err, size_t errlen);
int agent_result_image(const struct json_doc *d, int at, struct agent_image *out, char *err, size_t errlen);
int agent_result_stats(const struct json_doc *d, int res, struct agent_stats *out, char *err, size_t errlen);
/* "logs": the data into buf[0..cap) (NUL-terminated, length in out->len). */
int agent_result_logs(const struct json_doc *d, int res, char *buf, size_t cap, struct agent_logs *out, char *err,
		      size_t errlen);
/* A non-attached "exec": stdout and stderr into their buffers (each AGENT_EXEC_OUT_MAX + 1 bytes at least). */
int agent_result_exec(const struct json_doc *d, int res, struct agent_exec *out, char *out_buf, char *err_buf,
		      size_t cap, char *err, size_t errlen);
/* "stop": whether it had to be killed. */
int agent_result_stop(const struct json_doc *d, int res, bool *killed, char *err, size_t errlen);
/* "start"/"run": the pid (and the session when attached; -1 if none). */
int agent_result_started(const struct json_doc *d, int res, int64_t *pid, int64_t *session, char *err, size_t errlen);

/* "exited N", "killed by signal N (TERM)" or "OOM-killed", from an exit. */
void agent_exit_text(const struct agent_exit *e, char *out, size_t cap);

#endif
