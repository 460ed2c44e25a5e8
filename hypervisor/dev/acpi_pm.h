/* The ACPI PM register block: PM1 event (status/enable), PM1 control, PM timer, GPE0. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_ACPI_PM_H
#define HYPERVISOR_DEV_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

struct acpi_pm {
	uint16_t sts, en, cnt;       /* PM1 status (without TMR_STS), enable, control */
	uint16_t gpe_sts, gpe_en;
	uint64_t tmr_epoch;          /* PM timer bit 23 carries counted until TMR_STS was last cleared */
};

enum acpi_pm_action {
	ACPI_PM_NONE,
	ACPI_PM_POWER_OFF,           /* SLP_EN with SLP_TYP = PLAT_SLP_TYP_S5 */
	ACPI_PM_SLEEP_REFUSED,       /* SLP_EN with any other type: S1-S4 are not offered */
};

/* Pure logic; `now_ns` is monotonic time. Offsets are from PLAT_PORT_PM_BASE, within PLAT_PM_BLOCK_LEN. */
void acpi_pm_reset(struct acpi_pm *pm, uint64_t now_ns);
uint32_t acpi_pm_read(struct acpi_pm *pm, unsigned offset, unsigned size, uint64_t now_ns);
enum acpi_pm_action acpi_pm_write(struct acpi_pm *pm, unsigned offset, unsigned size, uint32_t value,
				  uint64_t now_ns);
/* The 24-bit PM timer at `now_ns` (ACPI 6.4 4.8.3.3: 3.579545 MHz). */
uint32_t acpi_pm_timer(uint64_t now_ns);
/* The SCI line: some status bit with its enable bit set. */
bool acpi_pm_sci(const struct acpi_pm *pm, uint64_t now_ns);
/* The power button was pressed (vm stop): PWRBTN_STS. */
void acpi_pm_power_button(struct acpi_pm *pm);
/* Whether the guest listens to the power button: PWRBTN_EN set (an ACPI OS sets it when it takes the button). */
bool acpi_pm_power_button_enabled(const struct acpi_pm *pm);
/* Monotonic ns at which TMR_STS will next be set (for an SCI with TMR_EN), UINT64_MAX if disabled. */
uint64_t acpi_pm_next_event_ns(const struct acpi_pm *pm, uint64_t now_ns);

#endif
