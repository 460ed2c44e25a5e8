/* Console commands about the console itself: `help [CMD [SUB]]` and `version`. */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <string.h>

#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/escape.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"

#ifndef BULWARK_VERSION
#define BULWARK_VERSION "unknown"
#endif

#define HELP_MAX_CMDS 128

static void help_line(const struct console_cmd *c)
{
	console_printf("  %-30s %s\n", c->usage, c->help ? c->help : "");
}

static void help_list_text(void)
{
	const struct console_cmd *cmds[HELP_MAX_CMDS];
	size_t n = commands_sorted(cmds, HELP_MAX_CMDS);

	console_printf("commands (type 'help CMD' for one, 'CMD --help' works too):\n");
	for (size_t i = 0; i < n; i++)
		help_line(cmds[i]);
	console_printf("keys: Tab completes, up/down history, Ctrl-A/E home/end, Ctrl-U/K/W kill, "
		       "Ctrl-L clear, Ctrl-C abandons the line\n");
}

static void help_one_text(const struct console_cmd *c)
{
	console_printf("usage: %s\n  %s\n", c->usage, c->help ? c->help : "");
	if (c->subcmds && c->nsubcmds) {
		console_printf("commands:\n");
		for (size_t i = 0; i < c->nsubcmds; i++)
			help_line(&c->subcmds[i]);
	}
}

static void help_json_cmd(struct json *j, const struct console_cmd *c)
{
	json_object_begin(j, NULL);
	json_string(j, "name", c->name);
	json_string(j, "usage", c->usage);
	json_string(j, "help", c->help);
	if (c->subcmds) {
		json_array_begin(j, "commands");
		for (size_t i = 0; i < c->nsubcmds; i++)
			help_json_cmd(j, &c->subcmds[i]);
		json_array_end(j);
	}
	json_object_end(j);
}

static void help_json(const struct console_cmd *only)
{
	const struct console_cmd *cmds[HELP_MAX_CMDS];
	size_t n = only ? 1 : commands_sorted(cmds, HELP_MAX_CMDS);
	struct json j;

	if (only)
		cmds[0] = only;
	json_init(&j);
	json_array_begin(&j, NULL);
	for (size_t i = 0; i < n; i++)
		help_json_cmd(&j, cmds[i]);
	json_array_end(&j);
	json_end(&j);
}

/* Decodes `help [CMD [SUB]]`: finds the command (or subcommand) named, NULL for all. */
static int decode_help(int argc, char **argv, const struct console_cmd **out)
{
	const struct console_cmd *c = NULL;

	if (argc >= 2 && !(c = commands_find(NULL, 0, argv[1])))
		return cmd_error("unknown command '%s'; type 'help' for the list", argv[1]);
	if (argc == 3) {
		const struct console_cmd *grp = c;
		if (!grp->subcmds)
			return cmd_usage_error("'%s' has no subcommands", grp->name);
		c = commands_find(grp->subcmds, grp->nsubcmds, argv[2]);
		if (!c)
			return cmd_error("unknown %s command '%s'; type 'help %s' for the list", grp->name,
					 argv[2], grp->name);
	}
	*out = c;
	return CMD_OK;
}

static int cmd_help(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	const struct console_cmd *c = NULL;
	int rc = cmd_parse_opts(&argc, argv, opts, CONSOLE_ARRAY_SIZE(opts), 2);

	if (rc == CMD_OK)
		rc = decode_help(argc, argv, &c);
	if (rc != CMD_OK)
		return rc;
	if (opts[0].seen)
		help_json(c);
	else if (c)
		help_one_text(c);
	else
		help_list_text();
	return CMD_OK;
}

static int cmd_version(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	struct json j;
	int rc = cmd_parse_opts(&argc, argv, opts, CONSOLE_ARRAY_SIZE(opts), 0);

	if (rc != CMD_OK)
		return rc;
	if (!opts[0].seen) {
		console_printf("Bulwark %s\n", BULWARK_VERSION);
		return CMD_OK;
	}
	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "name", "Bulwark");
	json_string(&j, "version", BULWARK_VERSION);
	json_object_end(&j);
	json_end(&j);
	return CMD_OK;
}

CONSOLE_COMMAND(help, .name = "help", .usage = "help [CMD [SUB]] [--json]",
		.help = "list the commands, or explain one", .handler = cmd_help);
CONSOLE_COMMAND(version, .name = "version", .usage = "version [--json]",
		.help = "show the hypervisor's version", .handler = cmd_version);
