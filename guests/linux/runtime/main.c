/* bwrun: an OCI container runtime. Global options, then a table of commands. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "log.h"
#include "seccomp.h"
#include "state.h"

struct global_opts {
	const char *log;
	const char *log_format;
	bool debug;
};

static const struct command commands[] = {
	{ "create", "[-b BUNDLE] [--console-socket PATH] [--pid-file PATH] [--no-pivot] [--no-new-keyring] ID",
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
	{ "update", "[-r RESOURCES.json|-] [--memory N] [--memory-swap N] [--cpu-quota N] [--cpu-period N] [--cpu-share N] [--cpuset-cpus L] [--cpuset-mems L] [--pids-limit N] [--blkio-weight N] ID",
	  "change the cgroup limits of a running container", cmd_update },
	{ "features", "", "print the runtime-spec features JSON of this runtime", cmd_features },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *f)
{
	fprintf(f, "usage: bwrun [GLOBAL OPTIONS] COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n           %s\n", commands[i].name, commands[i].usage,
			commands[i].help);
	fprintf(f, "\nglobal options (runc's):\n"
		   "  --root DIR            state directory (default %s)\n"
		   "  --log FILE            append errors and warnings to FILE\n"
		   "  --log-format FORMAT   text (default) or json, as runc writes them\n"
		   "  --debug               debug lines in the log (or on stderr)\n"
		   "  --systemd-cgroup      refused: bwrun drives cgroup v2 directly\n"
		   "  --version, -v         version, commit, runtime-spec version\n",
		DEFAULT_STATE_ROOT);
}

static void print_version(void)
{
	printf("bwrun version %s\ncommit: %s\nspec: %s\nlibseccomp: %s\n", BWRUN_VERSION,
	       BWRUN_COMMIT, BWRUN_SPEC_VERSION, seccomp_lib_version());
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

static const char *const valued[] = { "--root", "--log", "--log-format", "--criu",
				       "--rootless" };

static bool takes_value(const char *a, size_t *len)
{
	for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		size_t n = strlen(valued[k]);

		if (!strncmp(a, valued[k], n) && (a[n] == '\0' || a[n] == '=')) {
			*len = n;
			return true;
		}
	}
	return false;
}

/* runc's global options, before the command. Exits on --help, --version and errors. */
static int parse_global(int argc, char **argv, struct cmd_ctx *ctx, struct global_opts *g)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		size_t n = 0;
		bool valued_opt = takes_value(a, &n);
		const char *val = NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help(stdout);
			exit(0);
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
			print_version();
			exit(0);
		}
		if (!strcmp(a, "--debug")) {
			g->debug = true;
			continue;
		}
		if (!strcmp(a, "--systemd-cgroup")) {
			fprintf(stderr, "bwrun: --systemd-cgroup is not supported: bwrun creates cgroup v2 directories itself (cgroupfs); drop the option or use a cgroupfs cgroup manager\n");
			exit(1);
		}
		if (!valued_opt) {
			fprintf(stderr, "bwrun: unknown global option %s (try bwrun --help)\n", a);
			exit(1);
		}
		val = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val) {
			fprintf(stderr, "bwrun: %s needs a value\n", a);
			exit(1);
		}
		if (!strncmp(a, "--root", n) && n == 6)
			ctx->root = val;
		else if (n == 5)
			g->log = val;
		else if (n == 12)
			g->log_format = val;
	}
	return i;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { .root = DEFAULT_STATE_ROOT };
	struct global_opts g = { 0 };
	int i = parse_global(argc, argv, &ctx, &g);
	const struct command *cmd;
	struct rt_err e = { 0 };

	if (log_setup(g.log, g.log_format, g.debug, &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
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
	log_debug("%s: command %s, state under %s", BWRUN_VERSION, cmd->name, ctx.root);
	return cmd->handler(&ctx, argc - i, argv + i);
}
