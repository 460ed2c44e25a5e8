/* The `integrity` command: checksums of the hypervisor's code and read-only data, to compare over time. */
/* SPDX-License-Identifier: MIT */

#include <stdint.h>
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"

extern const uint8_t __kernel_start[], __trampoline_start[], __start_console_cmds[];

/* FNV-1a, 64-bit: any change to a byte changes the sum. */
static uint64_t fnv1a(const uint8_t *p, const uint8_t *end)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; p < end; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

static int cmd_integrity(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	uint64_t text, rodata;

	if (cmd_parse_opts(&argc, argv, opts, 1, 0))
		return CMD_USAGE;
	text = fnv1a(__kernel_start, __trampoline_start);
	rodata = fnv1a(__trampoline_start, __start_console_cmds);
	if (opts[0].seen) {
		struct json j;
		json_init(&j);
		json_object_begin(&j, NULL);
		json_u64(&j, "text_fnv1a", text);
		json_u64(&j, "rodata_fnv1a", rodata);
		json_u64(&j, "bytes", (uint64_t)(__start_console_cmds - __kernel_start));
		json_object_end(&j);
		json_end(&j);
		return CMD_OK;
	}
	console_printf("text   %016llx\nrodata %016llx\n", (unsigned long long)text, (unsigned long long)rodata);
	return CMD_OK;
}

CONSOLE_COMMAND(integrity, .name = "integrity", .usage = "integrity [--json]",
		.help = "checksums of the hypervisor's code and read-only data", .handler = cmd_integrity);
