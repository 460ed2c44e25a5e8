/* The one console command table: registration through a linker section, lookup, dispatch, completion. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/console.h"
#include "kernel/console/escape.h"
#include "kernel/console/parse.h"

#define COMMANDS_MAX 128
#define MSG_MAX 256

/* Bracketed by the linker (see CONSOLE_COMMAND in commands.h). */
extern const struct console_cmd __start_console_cmds[];
extern const struct console_cmd __stop_console_cmds[];

static char usage_msg[MSG_MAX];

static size_t top_count(void)
{
	return (size_t)(__stop_console_cmds - __start_console_cmds);
}

const struct console_cmd *commands_find(const struct console_cmd *table, size_t n, const char *name)
{
	if (!table) {
		table = __start_console_cmds;
		n = top_count();
	}
	for (size_t i = 0; i < n; i++)
		if (table[i].name && strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

size_t commands_sorted(const struct console_cmd **out, size_t max)
{
	size_t n = 0;

	for (const struct console_cmd *c = __start_console_cmds; c < __stop_console_cmds && n < max; c++) {
		size_t at = n++;
		while (at > 0 && strcmp(out[at - 1]->name, c->name) > 0) {
			out[at] = out[at - 1];
			at--;
		}
		out[at] = c;
	}
	return n;
}

const char *commands_duplicate(void)
{
	const struct console_cmd *sorted[COMMANDS_MAX];
	size_t n = commands_sorted(sorted, COMMANDS_MAX);

	for (size_t i = 1; i < n; i++)
		if (strcmp(sorted[i - 1]->name, sorted[i]->name) == 0)
			return sorted[i]->name;
	return NULL;
}

/* ---- errors ---- */

int cmd_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(usage_msg, sizeof(usage_msg), fmt, ap);
	va_end(ap);
	return CMD_USAGE;
}

static void print_error(const char *msg, const char *tail)
{
	char safe[MSG_MAX * 4];

	console_printf("error: %s%s\n", escape_text(msg, safe, sizeof(safe)), tail);
}

int cmd_error(const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error(msg, "");
	return CMD_ERROR;
}

static void print_usage_error(const struct console_cmd *cmd)
{
	char tail[MSG_MAX];

	snprintf(tail, sizeof(tail), "; usage: %s", cmd->usage);
	print_error(usage_msg, tail);
}

int cmd_parse_opts(int *argc, char **argv, struct parse_opt *opts, size_t nopts, int max_words)
{
	char err[PARSE_ERR_MAX];

	if (parse_opts(argc, argv, opts, nopts, err, sizeof(err)) < 0)
		return cmd_usage_error("%s", err);
	if (*argc - 1 > max_words)
		return cmd_usage_error("unexpected argument '%s'", argv[max_words + 1]);
	return CMD_OK;
}

/* ---- dispatch ---- */

static int run_cmd(const struct console_cmd *cmd, int argc, char **argv);

/* A group: argv[0] is the group's name, argv[1] the subcommand. */
static int run_group(const struct console_cmd *grp, int argc, char **argv)
{
	const struct console_cmd *sub;

	if (argc < 2)
		return cmd_error("'%s' needs a command; type 'help %s' for the list", grp->name, grp->name);
	sub = commands_find(grp->subcmds, grp->nsubcmds, argv[1]);
	if (!sub)
		return cmd_error("unknown %s command '%s'; type 'help %s' for the list", grp->name, argv[1],
				 grp->name);
	return run_cmd(sub, argc - 1, argv + 1);
}

static bool wants_help(int argc, char **argv)
{
	return argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
}

static int run_cmd(const struct console_cmd *cmd, int argc, char **argv)
{
	int rc;

	if (cmd->subcmds && !cmd->handler)
		return run_group(cmd, argc, argv);
	if (wants_help(argc, argv) || !cmd->handler) {
		console_printf("usage: %s\n  %s\n", cmd->usage, cmd->help ? cmd->help : "");
		return CMD_OK;
	}
	usage_msg[0] = '\0';
	rc = cmd->handler(argc, argv);
	if (rc == CMD_USAGE)
		print_usage_error(cmd);
	return rc;
}

int commands_dispatch(int argc, char **argv)
{
	const struct console_cmd *cmd;

	if (argc <= 0)
		return CMD_OK;
	cmd = commands_find(NULL, 0, argv[0]);
	if (!cmd)
		return cmd_error("unknown command '%s'; type 'help' for the list", argv[0]);
	return run_cmd(cmd, argc, argv);
}

int commands_run_line(char *line)
{
	char *argv[PARSE_ARGV_MAX];
	const char *err = NULL;
	int argc = parse_split(line, argv, PARSE_ARGV_MAX, &err);

	if (argc < 0)
		return cmd_error("%s; nothing was run", err);
	return commands_dispatch(argc, argv);
}

/* ---- completion ---- */

/* Names in `table` (NULL: top level, sorted) that start with `word`. */
static size_t complete_in(const struct console_cmd *table, size_t n, const char *word, size_t wlen,
			  const char **out, size_t max)
{
	const struct console_cmd *sorted[COMMANDS_MAX];
	size_t found = 0;

	if (!table) {
		n = commands_sorted(sorted, COMMANDS_MAX);
		for (size_t i = 0; i < n && found < max; i++)
			if (strncmp(sorted[i]->name, word, wlen) == 0)
				out[found++] = sorted[i]->name;
		return found;
	}
	for (size_t i = 0; i < n && found < max; i++)
		if (strncmp(table[i].name, word, wlen) == 0)
			out[found++] = table[i].name;
	return found;
}

/* Splits line[0..len) at spaces into up to 3 word spans; returns the number of words (the last may be empty). */
static size_t words_of(const char *line, size_t len, size_t start[3], size_t wlen[3])
{
	size_t n = 0, i = 0;

	for (;;) {
		while (i < len && line[i] == ' ')
			i++;
		if (n == 3)
			return 4;
		start[n] = i;
		while (i < len && line[i] != ' ')
			i++;
		wlen[n] = i - start[n];
		n++;
		if (i == len)
			return n;
	}
}

size_t commands_complete(const char *line, size_t len, const char **out, size_t max)
{
	size_t start[3], wlen[3], n = words_of(line, len, start, wlen);
	const struct console_cmd *grp;
	char name[64];

	if (n == 1)
		return complete_in(NULL, 0, line + start[0], wlen[0], out, max);
	if (n != 2 || wlen[0] >= sizeof(name))
		return 0;
	memcpy(name, line + start[0], wlen[0]);
	name[wlen[0]] = '\0';
	if (strcmp(name, "help") == 0) /* help takes a command name */
		return complete_in(NULL, 0, line + start[1], wlen[1], out, max);
	grp = commands_find(NULL, 0, name);
	if (!grp || !grp->subcmds)
		return 0;
	return complete_in(grp->subcmds, grp->nsubcmds, line + start[1], wlen[1], out, max);
}
