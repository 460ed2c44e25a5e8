/* Fuzz harness of the console command parser and dispatcher: each input line runs as typed, with the host commands. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/log.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/console_machine.h"

/* ---- the kernel facilities the host commands read: tests/unit/console_machine.c, with a log of
 * bytes the console must not pass through raw ---- */

static const struct log_entry logs[] = {
	{ 0, 1000000, LOG_INFO, "boot" },
	{ 1, 2500000000ull, LOG_WARN, "guest wrote \x1b[2J and \x7f\xff" },
	{ 2, 3000000000ull, LOG_ERROR, "last" },
};

/* ---- what the operator sees: never a raw control byte the input put there ---- */

static bool checking; /* from after the first prompt, which the editor draws with VT100 sequences */

static void out(const char *buf, size_t len)
{
	for (size_t i = 0; checking && i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		FUZZ_CHECK(c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f));
	}
}

/* Each line (split at LF) runs through commands_run_line() as the editor would hand it over. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char line[CONSOLE_LINE_MAX + 1];
	size_t start = 0;

	if (!ready) {
		console_init(out);
		FUZZ_CHECK(commands_duplicate() == NULL);
		machine_logs = logs;
		machine_log_count = sizeof(logs) / sizeof(logs[0]);
		ready = checking = true;
	}
	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size, n = end - start;
		if (n > CONSOLE_LINE_MAX)
			n = CONSOLE_LINE_MAX;
		memcpy(line, data + start, n);
		line[n] = '\0';
		if (setjmp(machine_reboot_jmp) == 0) {
			int rc = commands_run_line(line);
			FUZZ_CHECK(rc == CMD_OK || rc == CMD_ERROR || rc == CMD_USAGE);
		}
		start = end + 1;
	}
	return 0;
}
