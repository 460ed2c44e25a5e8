/* The pretend machine the console's host commands read in host builds (the console unit test and
 * fuzz harness): what a test can see of it and change. */
/* SPDX-License-Identifier: MIT */
#ifndef TESTS_CONSOLE_MACHINE_H
#define TESTS_CONSOLE_MACHINE_H

#include <setjmp.h>
#include <stddef.h>
#include "kernel/log.h"

/* acpi_poweroff() and acpi_reboot() calls; acpi_reboot() then longjmps to machine_reboot_jmp. */
extern int machine_poweroff_calls, machine_reboot_calls;
extern jmp_buf machine_reboot_jmp;
/* What log_get() hands out (three messages, one with a quote, a backslash, ESC and a tab). */
extern const struct log_entry *machine_logs;
extern size_t machine_log_count;

#endif
