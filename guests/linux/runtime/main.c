/* bwrun: an OCI container runtime. Global options, then a table of commands. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "state.h"

static const struct command commands[] = {
	{ "create", "[-b BUNDLE] [--console-socket PATH] [--pid-file PATH] ID",
	  "create a container, stopped before its process starts", cmd_create },
	{ "start", "ID", "start the process of a created container", cmd_start },
	{ "run", "[-b BUNDLE] [-d] [--console-socket PATH] [--pid-file PATH] ID",
	  "create and start a container; without -d wait for it and delete it", cmd_run },
	{ "exec", "[-p PROCESS.json] [-t] [-d] [--cwd DIR] [-e K=V] [-u UID[:GID]] ID [CMD ARGS...]",
	  "run a new process inside a running container", cmd_exec },
	{ "state", "ID", "print the state of a container as JSON", cmd_state },
	{ "list", "[--format table|json] [-q]", "list containers", cmd_list },
	{ "ps", "[--format table|json] ID", "list the processes of a container", cmd_ps },
	{ "kill", "[-a] ID [SIGNAL]", "send a signal (default SIGTERM) to a container", cmd_kill },
	{ "delete", "[-f] ID", "delete a stopped (or, with -f, any) container", cmd_delete },
	{ "pause", "ID", "freeze every process of a container", cmd_pause },
	{ "resume", "ID", "thaw a paused container", cmd_resume },
	{ "spec", "[-b BUNDLE] [--rootless]", "write a default config.json", cmd_spec },
	{ "import", "[--ref NAME] LAYOUT BUNDLE",
	  "unpack an OCI image layout (directory or tar) into BUNDLE/rootfs + config.json",
	  cmd_import },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *f)
{
	fprintf(f, "usage: bwrun [--root DIR] COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n           %s\n", commands[i].name, commands[i].usage,
			commands[i].help);
	fprintf(f, "\nglobal options:\n  --root DIR  state directory (default %s)\n",
		DEFAULT_STATE_ROOT);
}

int cmd_usage_error(const struct cmd_ctx *ctx, const char *what)
{
	fprintf(stderr, "bwrun %s: %s\nusage: bwrun %s %s\n", ctx->name, what, ctx->name,
		ctx->usage);
	return 1;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Takes the global options (runc's too, --log etc. are accepted and ignored). */
static int parse_global(int argc, char **argv, struct cmd_ctx *ctx)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char *eq = strchr(a, '=');
		bool takes_value = !strncmp(a, "--root", 6) || !strncmp(a, "--log", 5) ||
				   !strncmp(a, "--criu", 6);
		const char *val = eq ? eq + 1 : (takes_value && i + 1 < argc ? argv[i + 1] : NULL);

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help(stdout);
			exit(0);
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
			printf("bwrun version %s\nspec: 1.0.2\n", BWRUN_VERSION);
			exit(0);
		}
		if (takes_value && !val) {
			fprintf(stderr, "bwrun: %s needs a value\n", a);
			exit(1);
		}
		if (!strncmp(a, "--root", 6))
			ctx->root = val;
		if (takes_value && !eq)
			i++;
	}
	return i;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { .root = DEFAULT_STATE_ROOT };
	int i = parse_global(argc, argv, &ctx);
	const struct command *cmd;

	if (i >= argc) {
		print_help(stderr);
		return 1;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, "bwrun: unknown command \"%s\" (try bwrun --help)\n", argv[i]);
		return 1;
	}
	ctx.name = cmd->name;
	ctx.usage = cmd->usage;
	return cmd->handler(&ctx, argc - i, argv + i);
}
