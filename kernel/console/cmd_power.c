/* Console commands that end the session: `reboot` and `poweroff` through ACPI. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "drivers/acpi/acpi.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/parse.h"

/* Why ACPI S5 could not have worked, from what the tables said. */
static const char *s5_failure_reason(void)
{
	const struct acpi_info *ai = acpi_get();

	if (!ai)
		return "no ACPI tables were found";
	if (!ai->has_fadt)
		return "the ACPI FADT is missing";
	if (!ai->pm1a_cnt)
		return "the FADT names no PM1a control port";
	if (!ai->has_s5)
		return "the DSDT has no \\_S5 object";
	return "the firmware ignored the SLP_EN write";
}

static int cmd_reboot(int argc, char **argv)
{
	int rc = cmd_parse_opts(&argc, argv, NULL, 0, 0);

	if (rc != CMD_OK)
		return rc;
	console_printf("rebooting (ACPI reset register, then port 0xCF9, the keyboard controller, "
		       "a triple fault)\n");
	acpi_reboot();
}

static int cmd_poweroff(int argc, char **argv)
{
	int rc = cmd_parse_opts(&argc, argv, NULL, 0, 0);

	if (rc != CMD_OK)
		return rc;
	console_printf("powering off (ACPI S5)\n");
	acpi_poweroff();
	return cmd_error("ACPI S5 power-off failed: %s; the machine is still running "
			 "(type 'reboot', or switch it off)", s5_failure_reason());
}

CONSOLE_COMMAND(reboot, .name = "reboot", .usage = "reboot",
		.help = "reset the machine now (running guests are not shut down)", .handler = cmd_reboot);
CONSOLE_COMMAND(poweroff, .name = "poweroff", .usage = "poweroff",
		.help = "switch the machine off through ACPI S5", .handler = cmd_poweroff);
