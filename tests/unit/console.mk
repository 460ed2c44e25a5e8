# Host unit tests of the management console: line editor, parser, command table and host commands.
# SPDX-License-Identifier: MIT
CONSOLE_CORE := kernel/console/commands.c kernel/console/parse.c kernel/console/escape.c \
	kernel/console/json.c kernel/console/lineedit.c kernel/console/console.c
UNIT_TEST_NAMES += console_lineedit console_parse console_commands
UNIT_console_lineedit_SRCS := tests/unit/console_lineedit.c kernel/console/lineedit.c
UNIT_console_parse_SRCS := tests/unit/console_parse.c kernel/console/parse.c kernel/console/escape.c
UNIT_console_commands_SRCS := tests/unit/console_commands.c $(CONSOLE_CORE) \
	kernel/console/cmd_help.c kernel/console/cmd_host.c kernel/console/cmd_log.c \
	kernel/console/cmd_power.c kernel/tsc_sync.c kernel/civil_time.c tests/unit/console_machine.c
UNIT_TEST_NAMES += console_ct_args
UNIT_console_ct_args_SRCS := tests/unit/console_ct_args.c kernel/console/ct_args.c kernel/console/parse.c
