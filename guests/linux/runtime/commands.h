/* The command table's handlers, one file per command group. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_COMMANDS_H
#define BWRUN_COMMANDS_H

/* The runtime-spec version bwrun follows (runc --version prints its own the same way). */
#define BWRUN_SPEC_VERSION "1.0.2"
#ifndef BWRUN_COMMIT
#define BWRUN_COMMIT "unknown"
#endif

/* Global options shared by every command. */
struct cmd_ctx {
	const char *root;        /* --root: state directory */
	const char *name;        /* the command's name, for messages */
	const char *usage;
};

struct command {
	const char *name;
	const char *usage;
	const char *help;
	int (*handler)(struct cmd_ctx *ctx, int argc, char **argv);
};

/* Handlers return the process exit status: 0 success, 1 error (like runc), or the
 * container's own status for run and exec. */
int cmd_create(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_run(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_start(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_exec(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_state(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_list(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_ps(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_kill(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_delete(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_pause(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_resume(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_spec(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_import(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_update(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_features(struct cmd_ctx *ctx, int argc, char **argv);

/* Prints "bwrun NAME: usage" to stderr and returns 1. */
int cmd_usage_error(const struct cmd_ctx *ctx, const char *what);

#endif
