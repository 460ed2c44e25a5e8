/* Host unit tests of the console command table, dispatch errors, groups, completion and the host commands' output. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/acpi/acpi.h"
#include "hypervisor/virt.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/host_api.h"
#include "kernel/console/parse.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm/pmm.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "tests/unit/console_machine.h"

/* ---- captured console output ---- */

#define OUT_MAX (1 << 16)
static char out[OUT_MAX + 1];
static size_t out_len;

static void capture(const char *buf, size_t len)
{
	if (len > OUT_MAX - out_len)
		out_len = 0;
	if (len > OUT_MAX)
		return;
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

static void out_reset(void)
{
	out_len = 0;
	out[0] = '\0';
}

/* ---- a command group shaped like the future `vm` group ---- */

static int vm_start_calls;
static char vm_started[64];

static int test_vm_start(int argc, char **argv)
{
	if (argc != 2)
		return cmd_usage_error("%s", argc < 2 ? "missing NAME" : "too many arguments");
	vm_start_calls++;
	snprintf(vm_started, sizeof(vm_started), "%s", argv[1]);
	return CMD_OK;
}

static int test_vm_stop(int argc, char **argv)
{
	(void)argc;
	return cmd_error("VM '%s' is not running (state: stopped)", argv[1] ? argv[1] : "");
}

static const struct console_cmd test_vm_cmds[] = {
	{ .name = "start", .usage = "vm start NAME", .help = "start a VM", .handler = test_vm_start },
	{ .name = "stats", .usage = "vm stats NAME", .help = "VM statistics", .handler = test_vm_stop },
	{ .name = "stop", .usage = "vm stop NAME", .help = "stop a VM", .handler = test_vm_stop },
};

CONSOLE_COMMAND(vm, .name = "vm", .usage = "vm <command> [ARGS]", .help = "virtual machines",
		.subcmds = test_vm_cmds, .nsubcmds = CONSOLE_ARRAY_SIZE(test_vm_cmds));

/* ---- a minimal strict JSON checker ---- */

static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_str(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
	}
	return p + 1;
}

static const char *json_num(const char *p)
{
	const char *s = p;

	while ((*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
		p++;
	return p > s ? p : NULL;
}

static const char *json_seq(const char *p, char close, bool keyed)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keyed) {
			if (!(p = json_str(json_ws(p))) || *(p = json_ws(p)) != ':')
				return NULL;
			p++;
		}
		if (!(p = json_value(p)))
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p)
{
	p = json_ws(p);
	if (*p == '{')
		return json_seq(p, '}', true);
	if (*p == '[')
		return json_seq(p, ']', false);
	if (*p == '"')
		return json_str(p);
	if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	return json_num(p);
}

static bool json_valid(const char *text)
{
	const char *end = json_value(text);

	return end && *json_ws(end) == '\0';
}

/* ---- helpers ---- */

static int setup(void **state)
{
	(void)state;
	console_init(capture);
	machine_poweroff_calls = machine_reboot_calls = vm_start_calls = 0;
	vm_started[0] = '\0';
	out_reset();
	return 0;
}

/* Runs one line straight through the table and returns what it printed. */
static const char *run(const char *line)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", line);
	out_reset();
	commands_run_line(buf);
	return out;
}

static void type(const char *s)
{
	console_input((const uint8_t *)s, strlen(s));
}

/* ---- tests ---- */

static void test_prompt_at_init(void **state)
{
	(void)state;
	console_init(capture);
	assert_non_null(strstr(out, CONSOLE_PROMPT));
}

static void test_no_duplicate_names(void **state)
{
	const struct console_cmd *all[128];
	size_t n = commands_sorted(all, 128);

	(void)state;
	assert_null(commands_duplicate());
	assert_true(n >= 10);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(all[i - 1]->name, all[i]->name) < 0);
	for (size_t i = 0; i < n; i++)
		assert_true(all[i]->usage && all[i]->help && (all[i]->handler || all[i]->subcmds));
}

static void test_unknown_command(void **state)
{
	(void)state;
	assert_string_equal(run("frobnicate now"),
			    "error: unknown command 'frobnicate'; type 'help' for the list\r\n");
}

static void test_unknown_command_escaped(void **state)
{
	(void)state;
	run("x\x1b[2J\x07y");
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	assert_non_null(strstr(out, "'x\\x1b[2J\\x07y'"));
}

static void test_bad_arguments(void **state)
{
	(void)state;
	assert_string_equal(run("uptime extra"),
			    "error: unexpected argument 'extra'; usage: uptime [--json]\r\n");
	assert_string_equal(run("log -n ten"),
			    "error: option '-n' needs a number, not 'ten'; usage: log [-n N] [--json]\r\n");
	assert_string_equal(run("mem --jsn"), "error: unknown option '--jsn'; usage: mem [--json]\r\n");
	assert_string_equal(run("poweroff now"), "error: unexpected argument 'now'; usage: poweroff\r\n");
	assert_int_equal(machine_poweroff_calls, 0);
}

static void test_bad_argument_escaped(void **state)
{
	(void)state;
	run("log --\x1b]0;pwned\x07");
	assert_null(strchr(out, 0x1b));
	assert_non_null(strstr(out, "error: unknown option '--\\x1b]0;pwned\\x07'; usage: log"));
}

static void test_parse_error_runs_nothing(void **state)
{
	(void)state;
	assert_string_equal(run("vm start \"web"),
			    "error: unterminated quote (a \" has no closing \"); nothing was run\r\n");
	assert_int_equal(vm_start_calls, 0);
}

static void test_help_lists_sorted(void **state)
{
	const char *h, *i, *p, *v;

	(void)state;
	run("help");
	h = strstr(out, "  help ");
	i = strstr(out, "  info ");
	p = strstr(out, "  poweroff ");
	v = strstr(out, "  vm <command>");
	assert_true(h && i && p && v && h < i && i < p && p < v);
	assert_non_null(strstr(run("help log"), "usage: log [-n N] [--json]"));
	assert_string_equal(run("help nope"), "error: unknown command 'nope'; type 'help' for the list\r\n");
	assert_non_null(strstr(run("uptime --help"), "usage: uptime [--json]"));
}

static void test_json_outputs_valid(void **state)
{
	static const char *const cmds[] = { "help --json", "help vm --json", "version --json", "info --json",
					    "cpus --json", "mem --json", "log --json", "log -n 1 --json",
					    "log -n 0 --json", "uptime --json" };

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run(cmds[i]);
		if (!json_valid(out))
			fail_msg("'%s' printed invalid JSON: %s", cmds[i], out);
		assert_null(strchr(out, 0x1b));
	}
}

static void test_json_checker_can_fail(void **state)
{
	(void)state;
	assert_false(json_valid("{\"a\":1,}"));
	assert_false(json_valid("{\"a\" 1}"));
	assert_false(json_valid("[\"x\x1b\"]"));
	assert_false(json_valid("[1] [2]"));
	assert_true(json_valid("{\"a\":[1,2.5,{\"b\":\"\\u001b\"}],\"c\":true}\r\n"));
}

static void test_json_content(void **state)
{
	(void)state;
	run("log -n 2 --json");
	assert_non_null(strstr(out, "\"text\":\"quote \\\" backslash \\\\ esc \\u001b[2J tab\\u0009\""));
	assert_null(strstr(out, "\"boot\""));
	run("mem --json");
	assert_non_null(strstr(out, "\"free_bytes\":943718400"));
	assert_non_null(strstr(out, "\"used_bytes\":104857600"));
	run("uptime --json");
	assert_non_null(strstr(out, "\"uptime_s\":3723.004"));
	assert_non_null(strstr(out, "\"unix_time_ms\":1796185807123"));
	run("cpus --json");
	assert_non_null(strstr(out, "\"apic_id\":2"));
	assert_non_null(strstr(out, "\"ping_answered\":1"));
}

static void test_text_outputs(void **state)
{
	(void)state;
	assert_non_null(strstr(run("uptime"), "up 3723.004 s (0 d 01:02:03)\r\n"
					     "clock 2026-12-02T04:30:07Z (the wall clock guests' RTCs show)\r\n"));
	run("log -n 1");
	assert_non_null(strstr(out, "ERROR last"));
	assert_null(strstr(out, "boot"));
	run("log");
	assert_non_null(strstr(out, "[     0.001000] INFO  boot"));
	assert_null(strchr(out, 0x1b));
	run("info");
	assert_non_null(strstr(out, "boot:     UEFI"));
	assert_non_null(strstr(out, "virt:     VT-x (EPT, VPID)"));
	assert_non_null(strstr(out, "family 6 model 85"));
	run("cpus");
	assert_non_null(strstr(out, "1 of 1 other online CPUs answered"));
	run("mem");
	assert_non_null(strstr(out, "free"));
	assert_non_null(strstr(out, "900 MiB"));
	assert_non_null(strstr(run("version"), "Bulwark "));
}

static void test_group_dispatch(void **state)
{
	(void)state;
	assert_string_equal(run("vm start web"), "");
	assert_int_equal(vm_start_calls, 1);
	assert_string_equal(vm_started, "web");
	assert_string_equal(run("vm start \"my vm\""), "");
	assert_string_equal(vm_started, "my vm");
	assert_string_equal(run("vm"), "error: 'vm' needs a command; type 'help vm' for the list\r\n");
	assert_string_equal(run("vm frob"), "error: unknown vm command 'frob'; type 'help vm' for the list\r\n");
	assert_string_equal(run("vm start"), "error: missing NAME; usage: vm start NAME\r\n");
	assert_string_equal(run("vm stop web"), "error: VM 'web' is not running (state: stopped)\r\n");
	assert_non_null(strstr(run("help vm"), "  vm start NAME"));
	assert_non_null(strstr(run("help vm stop"), "usage: vm stop NAME"));
	assert_non_null(strstr(run("vm start --help"), "usage: vm start NAME"));
	assert_int_equal(vm_start_calls, 2);
}

static void test_completion_through_console(void **state)
{
	(void)state;
	type("upt\t\r");
	assert_non_null(strstr(out, "up 3723.004 s"));
	type("vm st");
	out_reset();
	type("\t"); /* start, stats, stop: extends to "st" only, lists them */
	assert_non_null(strstr(out, "start  stats  stop\r\n"));
	type("ar\t");
	type("web\r");
	assert_string_equal(vm_started, "web");
	type("help ver\t\r");
	assert_non_null(strstr(out, "usage: version"));
	type("vm sta");
	out_reset();
	type("\t");
	assert_non_null(strstr(out, "start  stats"));
	type("\x03");
}

static void test_overlong_line_runs_nothing(void **state)
{
	char line[400];

	(void)state;
	memset(line, ' ', sizeof(line));
	memcpy(line, "poweroff", 8);
	line[sizeof(line) - 2] = 'x';
	line[sizeof(line) - 1] = '\0';
	type(line);
	type("\r\n");
	assert_int_equal(machine_poweroff_calls, 0);
	assert_non_null(strstr(out, "error: line too long (max 255 characters); nothing was run\r\n"));
	type("vm start ok\r");
	assert_string_equal(vm_started, "ok");
}

static void test_poweroff_failure_reported(void **state)
{
	(void)state;
	run("poweroff");
	assert_int_equal(machine_poweroff_calls, 1);
	assert_non_null(strstr(out, "powering off (ACPI S5)\r\n"));
	assert_non_null(strstr(out, "error: ACPI S5 power-off failed: the DSDT has no \\_S5 object;"));
}

static void test_reboot_calls_acpi(void **state)
{
	(void)state;
	if (setjmp(machine_reboot_jmp) == 0) {
		run("reboot");
		fail_msg("reboot returned");
	}
	assert_int_equal(machine_reboot_calls, 1);
	assert_non_null(strstr(out, "rebooting"));
}

static void test_crlf_translation(void **state)
{
	(void)state;
	out_reset();
	console_printf("a\nb\r\nc\n");
	console_write("\n", 1);
	assert_string_equal(out, "a\r\nb\r\nc\r\n\r\n");
}

static void test_long_printf_not_cut(void **state)
{
	char big[1000];

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	out_reset();
	console_printf("%s!", big);
	assert_int_equal(strlen(out), sizeof(big));
}

static int attached_bytes;
static void attached_input(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	attached_bytes += (int)len;
	if (buf[0] == 0x1d) /* Ctrl-] detaches in this test */
		console_detach();
}

static void test_attach_detach(void **state)
{
	(void)state;
	console_attach(attached_input, NULL);
	type("vm start x\r\x1d");
	assert_int_equal(attached_bytes, 12);
	assert_int_equal(vm_start_calls, 0);
	type("vm start y\r");
	assert_int_equal(vm_start_calls, 1);
}

static void test_fuzz_console(void **state)
{
	uint32_t x = 0xdecafbadu;

	(void)state;
	for (uint32_t i = 0; i < 300000u; i++) {
		uint8_t b;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b = (uint8_t)(x >> 24);
		console_input(&b, 1);
	}
	type("\x03vm start after\r");
	assert_string_equal(vm_started, "after");
	assert_int_equal(machine_poweroff_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_prompt_at_init, setup),
		cmocka_unit_test_setup(test_no_duplicate_names, setup),
		cmocka_unit_test_setup(test_unknown_command, setup),
		cmocka_unit_test_setup(test_unknown_command_escaped, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_bad_argument_escaped, setup),
		cmocka_unit_test_setup(test_parse_error_runs_nothing, setup),
		cmocka_unit_test_setup(test_help_lists_sorted, setup),
		cmocka_unit_test_setup(test_json_outputs_valid, setup),
		cmocka_unit_test_setup(test_json_checker_can_fail, setup),
		cmocka_unit_test_setup(test_json_content, setup),
		cmocka_unit_test_setup(test_text_outputs, setup),
		cmocka_unit_test_setup(test_group_dispatch, setup),
		cmocka_unit_test_setup(test_completion_through_console, setup),
		cmocka_unit_test_setup(test_overlong_line_runs_nothing, setup),
		cmocka_unit_test_setup(test_poweroff_failure_reported, setup),
		cmocka_unit_test_setup(test_reboot_calls_acpi, setup),
		cmocka_unit_test_setup(test_crlf_translation, setup),
		cmocka_unit_test_setup(test_long_printf_not_cut, setup),
		cmocka_unit_test_setup(test_attach_detach, setup),
		cmocka_unit_test_setup(test_fuzz_console, setup),
	};

	return cmocka_run_group_tests_name("console_commands", tests, NULL, NULL);
}
