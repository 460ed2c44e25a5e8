/* The console command table: how command groups register and how a line is dispatched. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_COMMANDS_H
#define KERNEL_CONSOLE_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * One command. A plain command has a handler; a group (like `vm`) has a
 * table of subcommands instead and the dispatcher hands it argv[1..] (so a
 * subcommand's handler sees its own name as argv[0]).
 *
 * A handler returns CMD_OK, CMD_ERROR after printing "error: ..." itself (see
 * cmd_error()), or the value of cmd_usage_error() for bad arguments, in which
 * case the dispatcher prints "error: <what>; usage: <usage>".
 */
struct console_cmd {
	const char *name;
	const char *usage; /* "log [-n N] [--json]"; a subcommand's names its group: "vm start NAME" */
	const char *help;  /* one line */
	int (*handler)(int argc, char **argv);
	const struct console_cmd *subcmds; /* a group's table, NULL otherwise */
	size_t nsubcmds;
};

#define CMD_OK 0
#define CMD_ERROR (-1)
#define CMD_USAGE (-2)

#define CONSOLE_CMDS_SECTION "console_cmds"

/*
 * Registers a top-level command or group from any file:
 *
 *   CONSOLE_COMMAND(uptime, .name = "uptime", .usage = "uptime [--json]",
 *                   .help = "time since boot", .handler = cmd_uptime);
 *
 * A group registers its own sub-table; `vm start web` then calls
 * cmd_vm_start(2, {"start", "web"}), and `help vm`, `vm` alone, an unknown
 * subcommand and Tab completion of the second word all work from the table:
 *
 *   static const struct console_cmd vm_cmds[] = {
 *       { .name = "start", .usage = "vm start NAME", .help = "start a VM",
 *         .handler = cmd_vm_start },
 *       { .name = "list", .usage = "vm list [--json]", .help = "every VM",
 *         .handler = cmd_vm_list },
 *   };
 *   CONSOLE_COMMAND(vm, .name = "vm", .usage = "vm <command> [ARGS]",
 *                   .help = "create and control virtual machines",
 *                   .subcmds = vm_cmds, .nsubcmds = CONSOLE_ARRAY_SIZE(vm_cmds));
 *
 * The struct lands in the linker section `console_cmds`, which the linker
 * brackets with __start_console_cmds / __stop_console_cmds. The explicit
 * alignment keeps the compiler from padding entries apart.
 */
#define CONSOLE_COMMAND(ident, ...)                                                      \
	static const struct console_cmd console_cmd_##ident                              \
		__attribute__((used, section(CONSOLE_CMDS_SECTION), aligned(8))) = {__VA_ARGS__}

#define CONSOLE_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Every registered top-level command, sorted by name; returns how many (at most `max`). */
size_t commands_sorted(const struct console_cmd **out, size_t max);
/* The command called `name` in `table` (NULL: the top level), or NULL. */
const struct console_cmd *commands_find(const struct console_cmd *table, size_t n, const char *name);
/* A name registered twice, or NULL when every name is unique. */
const char *commands_duplicate(void);

/* Splits and runs one line typed at the console; returns the handler's result (CMD_OK for a blank line). */
int commands_run_line(char *line);
/* Runs argv[0] from the top-level table. */
int commands_dispatch(int argc, char **argv);

/* Tab completion: candidates for the last word of `line[0..len)` (command or subcommand names). */
size_t commands_complete(const char *line, size_t len, const char **out, size_t max);

/* For handlers: records what was wrong with the arguments; returns CMD_USAGE. */
int cmd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For handlers: prints "error: <message>" (control characters escaped); returns CMD_ERROR. */
int cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct parse_opt;
/*
 * For handlers: takes the options in `opts` out of argv (see parse_opts())
 * and allows at most `max_words` other words after argv[0]. Returns CMD_OK,
 * or CMD_USAGE with the reason recorded (unknown option, bad number, extra word).
 */
int cmd_parse_opts(int *argc, char **argv, struct parse_opt *opts, size_t nopts, int max_words);

#endif
