/* The `ct` command group's arguments: one pure parser and checker for every subcommand (host unit-tested). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_CT_ARGS_H
#define KERNEL_CONSOLE_CT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bulwark/agent_proto.h"

enum ct_op { CT_LIST, CT_IMAGES, CT_RUN, CT_EXEC, CT_LOGS, CT_STOP, CT_KILL, CT_RM, CT_STATS, CT_OP_COUNT };

#define CT_VM_NAME_MAX 31      /* VM_NAME_MAX - 1 (hypervisor/vm.h), checked in cmd_ct.c */
#define CT_WORDS_MAX 32        /* a console line has at most PARSE_ARGV_MAX words */
/* The ranges the agent takes (agent_proto.h "Ranges"); the console refuses the rest before sending. */
#define CT_MEM_MIN AGENT_MEM_MIN
#define CT_MEM_MAX AGENT_MEM_MAX
#define CT_PIDS_MAX AGENT_PIDS_MAX
#define CT_CPUS_MILLI_MIN AGENT_CPUS_MILLI_MIN
#define CT_CPUS_MILLI_MAX AGENT_CPUS_MILLI_MAX
#define CT_LINES_MAX AGENT_LINES_MAX
#define CT_TIMEOUT_MAX AGENT_TIMEOUT_S_MAX

/* One `ct` command, checked: every pointer points into the caller's argv. */
struct ct_cmd {
	enum ct_op op;
	const char *vm, *name, *image;
	bool json, interactive, follow;
	uint64_t mem;         /* bytes; 0: no limit */
	uint32_t pids;        /* 0: no limit */
	uint32_t cpus_milli;  /* 0: no limit; 1000 = one CPU */
	uint32_t lines;       /* ct logs -n; 0: all the agent keeps */
	uint32_t timeout_s;   /* ct stop --timeout; 0: the agent's default (AGENT_STOP_TIMEOUT_S) */
	const char *signal;   /* ct kill: "TERM", "9", ...; NULL: the agent's default, TERM */
	const char *env[CT_WORDS_MAX];
	uint32_t nenv;
	const char *args[CT_WORDS_MAX]; /* the words after "--" */
	uint32_t nargs;
};

/*
 * Parses argv[0..argc) where argv[0] is the subcommand ("list", "run", ...), as typed after
 * `ct`. Returns 0, or -1 with err saying what is wrong and what to type instead (the console
 * appends the usage). Nothing is sent anywhere: this only reads argv.
 */
int ct_parse(int argc, char **argv, struct ct_cmd *out, char *err, size_t errlen);

/* "0.5" -> 500, "2" -> 2000, "1.25" -> 1250: a decimal with at most 3 fractional digits. 0 or -1. */
int ct_parse_cpus(const char *s, uint32_t *milli);
/* A signal as the agent takes it: 1..64, or a name such as TERM or SIGKILL (upper case). 0 or -1. */
int ct_check_signal(const char *s);
/* A container NAME (agent_proto.h "Names"): 0 or -1. */
int ct_check_name(const char *s);

#endif
