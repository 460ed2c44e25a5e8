/* The `log [-n N] [--json]` console command: the newest entries of the kernel log ring. */
/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdbool.h>

#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/escape.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"
#include "kernel/log.h"

struct log_args {
	bool json;
	bool limited;
	uint64_t count; /* when limited */
};

static int decode_log(int argc, char **argv, struct log_args *a)
{
	struct parse_opt opts[] = { { .name = "--json" }, { .name = "-n", .takes_number = true } };
	int rc = cmd_parse_opts(&argc, argv, opts, CONSOLE_ARRAY_SIZE(opts), 0);

	a->json = opts[0].seen;
	a->limited = opts[1].seen;
	a->count = opts[1].value;
	return rc;
}

static void log_entry_text(const struct log_entry *e)
{
	char text[LOG_TEXT_MAX * 4];

	console_printf("[%6" PRIu64 ".%06" PRIu64 "] %-5s %s\n", e->time_ns / 1000000000u,
		       e->time_ns / 1000u % 1000000u, log_level_name(e->level),
		       escape_text(e->text, text, sizeof(text)));
}

static void log_entry_json(struct json *j, const struct log_entry *e)
{
	json_object_begin(j, NULL);
	json_u64(j, "seq", e->seq);
	json_u64(j, "time_ns", e->time_ns);
	json_string(j, "level", log_level_name(e->level));
	json_string(j, "text", e->text);
	json_object_end(j);
}

/* Shows the last `n` held entries; an entry that left the ring meanwhile is skipped. */
static void invoke_log(const struct log_args *a)
{
	size_t held = log_count();
	size_t n = a->limited && a->count < held ? (size_t)a->count : held;
	struct log_entry e;
	struct json j;

	json_init(&j);
	if (a->json)
		json_array_begin(&j, NULL);
	for (size_t i = held - n; i < held; i++) {
		if (log_get(i, &e) < 0)
			continue;
		e.text[LOG_TEXT_MAX - 1] = '\0';
		if (a->json)
			log_entry_json(&j, &e);
		else
			log_entry_text(&e);
	}
	if (a->json) {
		json_array_end(&j);
		json_end(&j);
	}
}

static int cmd_log(int argc, char **argv)
{
	struct log_args a;
	int rc = decode_log(argc, argv, &a);

	if (rc == CMD_OK)
		invoke_log(&a);
	return rc;
}

CONSOLE_COMMAND(log, .name = "log", .usage = "log [-n N] [--json]",
		.help = "the last N kernel log entries (default: all held) with time and level",
		.handler = cmd_log);
