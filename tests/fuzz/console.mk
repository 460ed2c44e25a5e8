# Fuzz harness of the console command parser and dispatcher (kernel/console/commands.c, parse.c, the host commands).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += console
FUZZ_console_SRCS := tests/fuzz/console.c kernel/console/commands.c kernel/console/parse.c \
	kernel/console/escape.c kernel/console/json.c kernel/console/lineedit.c kernel/console/console.c \
	kernel/console/cmd_help.c kernel/console/cmd_host.c kernel/console/cmd_log.c kernel/console/cmd_power.c \
	kernel/tsc_sync.c kernel/civil_time.c tests/unit/console_machine.c
