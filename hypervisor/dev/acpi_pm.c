/* The ACPI PM register block: PM1 event (status/enable), PM1 control, PM timer, GPE0. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/acpi_pm.h"
#include "hypervisor/dev/platform.h"

/*
 * ACPI 6.4 4.8.3 (fixed hardware registers): PM1 status Table 4.16, PM1
 * enable Table 4.17, PM1 control Table 4.18, PM timer 4.8.3.3 (24 bits,
 * TMR_VAL_EXT clear in the FADT). Status bits are write-1-to-clear; the
 * block is byte-addressable, so every access is split into byte lanes.
 * SCI_EN reads 1: the platform is always in ACPI mode (FADT SMI_CMD = 0).
 */
#define OFF_STS 0x00
#define OFF_EN 0x02
#define OFF_CNT 0x04
#define OFF_TMR 0x08
#define OFF_GPE_STS 0x20
#define OFF_GPE_EN 0x22

#define STS_TMR (1u << 0)
#define STS_BM (1u << 4)
#define STS_GBL (1u << 5)
#define STS_PWRBTN (1u << 8)
#define STS_SLPBTN (1u << 9)
#define STS_RTC (1u << 10)
#define STS_WAK (1u << 15)
#define STS_W1C (STS_TMR | STS_BM | STS_GBL | STS_PWRBTN | STS_SLPBTN | STS_RTC | STS_WAK)
#define EN_WRITABLE (STS_TMR | STS_GBL | STS_PWRBTN | STS_SLPBTN | STS_RTC)
#define CNT_SCI_EN (1u << 0)
#define CNT_BM_RLD (1u << 1)
#define CNT_GBL_RLS (1u << 2)     /* write-only */
#define CNT_SLP_TYP_SHIFT 10
#define CNT_SLP_TYP (7u << CNT_SLP_TYP_SHIFT)
#define CNT_SLP_EN (1u << 13)     /* write-only */
#define CNT_KEPT (CNT_BM_RLD | CNT_SLP_TYP)
#define TMR_CARRY_SHIFT 23        /* TMR_STS: bit 23 of the counter changed */

static uint64_t timer_ticks(uint64_t now_ns)
{
	return (uint64_t)((unsigned __int128)now_ns * PLAT_PM_TIMER_HZ / 1000000000u);
}

uint32_t acpi_pm_timer(uint64_t now_ns)
{
	return (uint32_t)(timer_ticks(now_ns) & 0xffffffu);
}

void acpi_pm_reset(struct acpi_pm *pm, uint64_t now_ns)
{
	memset(pm, 0, sizeof(*pm));
	pm->cnt = CNT_SCI_EN;
	pm->tmr_epoch = timer_ticks(now_ns) >> TMR_CARRY_SHIFT;
}

static uint16_t status(const struct acpi_pm *pm, uint64_t now_ns)
{
	bool tmr = (timer_ticks(now_ns) >> TMR_CARRY_SHIFT) != pm->tmr_epoch;
	return (uint16_t)(pm->sts | (tmr ? STS_TMR : 0));
}

bool acpi_pm_sci(const struct acpi_pm *pm, uint64_t now_ns)
{
	return (status(pm, now_ns) & pm->en) || (pm->gpe_sts & pm->gpe_en);
}

void acpi_pm_power_button(struct acpi_pm *pm)
{
	pm->sts |= STS_PWRBTN;
}

bool acpi_pm_power_button_enabled(const struct acpi_pm *pm)
{
	return (pm->en & STS_PWRBTN) != 0;
}

uint64_t acpi_pm_next_event_ns(const struct acpi_pm *pm, uint64_t now_ns)
{
	uint64_t next_tick;

	if (!(pm->en & STS_TMR) || (status(pm, now_ns) & STS_TMR))
		return UINT64_MAX;
	next_tick = (pm->tmr_epoch + 1) << TMR_CARRY_SHIFT;
	return (uint64_t)(((unsigned __int128)next_tick * 1000000000u + PLAT_PM_TIMER_HZ - 1) / PLAT_PM_TIMER_HZ);
}

/* The block as bytes, as a read sees it now. */
static void snapshot(const struct acpi_pm *pm, uint64_t now_ns, uint8_t b[PLAT_PM_BLOCK_LEN])
{
	uint16_t sts = status(pm, now_ns);
	uint32_t tmr = acpi_pm_timer(now_ns);

	memset(b, 0, PLAT_PM_BLOCK_LEN);
	b[OFF_STS] = (uint8_t)sts, b[OFF_STS + 1] = (uint8_t)(sts >> 8);
	b[OFF_EN] = (uint8_t)pm->en, b[OFF_EN + 1] = (uint8_t)(pm->en >> 8);
	b[OFF_CNT] = (uint8_t)pm->cnt, b[OFF_CNT + 1] = (uint8_t)(pm->cnt >> 8);
	for (unsigned i = 0; i < 4; i++)
		b[OFF_TMR + i] = (uint8_t)(tmr >> (8 * i));
	b[OFF_GPE_STS] = (uint8_t)pm->gpe_sts, b[OFF_GPE_STS + 1] = (uint8_t)(pm->gpe_sts >> 8);
	b[OFF_GPE_EN] = (uint8_t)pm->gpe_en, b[OFF_GPE_EN + 1] = (uint8_t)(pm->gpe_en >> 8);
}

uint32_t acpi_pm_read(struct acpi_pm *pm, unsigned offset, unsigned size, uint64_t now_ns)
{
	uint8_t b[PLAT_PM_BLOCK_LEN];
	uint32_t v = 0;

	if (size > 4 || offset >= PLAT_PM_BLOCK_LEN || size > PLAT_PM_BLOCK_LEN - offset)
		return 0xffffffffu;
	snapshot(pm, now_ns, b); /* one snapshot: a 32-bit timer read is consistent */
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)b[offset + i] << (8 * i);
	return v;
}

/* Replaces the byte `lane` (0 or 1) of a 16-bit register. */
static uint16_t lane(uint16_t reg, unsigned which, uint8_t byte)
{
	return which ? (uint16_t)((reg & 0x00ff) | (byte << 8)) : (uint16_t)((reg & 0xff00) | byte);
}

static void clear_status(struct acpi_pm *pm, uint16_t bits, uint64_t now_ns)
{
	bits &= STS_W1C;
	if (bits & STS_TMR)
		pm->tmr_epoch = timer_ticks(now_ns) >> TMR_CARRY_SHIFT;
	pm->sts &= (uint16_t)~bits;
}

static enum acpi_pm_action sleep_action(struct acpi_pm *pm)
{
	unsigned typ = (pm->cnt & CNT_SLP_TYP) >> CNT_SLP_TYP_SHIFT;
	return typ == PLAT_SLP_TYP_S5 ? ACPI_PM_POWER_OFF : ACPI_PM_SLEEP_REFUSED;
}

enum acpi_pm_action acpi_pm_write(struct acpi_pm *pm, unsigned offset, unsigned size, uint32_t value,
				  uint64_t now_ns)
{
	bool slp_en = false;

	if (size > 4 || offset >= PLAT_PM_BLOCK_LEN || size > PLAT_PM_BLOCK_LEN - offset)
		return ACPI_PM_NONE;
	for (unsigned i = 0; i < size; i++) {
		unsigned o = offset + i;
		uint8_t byte = (uint8_t)(value >> (8 * i));
		if (o < OFF_EN)
			clear_status(pm, (uint16_t)(byte << (8 * (o - OFF_STS))), now_ns);
		else if (o < OFF_CNT)
			pm->en = lane(pm->en, o - OFF_EN, byte) & EN_WRITABLE;
		else if (o < OFF_CNT + 2) {
			uint16_t w = lane(pm->cnt, o - OFF_CNT, byte);
			slp_en |= (w & CNT_SLP_EN) && o == OFF_CNT + 1;
			pm->cnt = (uint16_t)((w & CNT_KEPT) | CNT_SCI_EN);
		} else if (o >= OFF_GPE_STS && o < OFF_GPE_EN)
			pm->gpe_sts &= (uint16_t)~(byte << (8 * (o - OFF_GPE_STS)));
		else if (o >= OFF_GPE_EN && o < OFF_GPE_EN + 2)
			pm->gpe_en = lane(pm->gpe_en, o - OFF_GPE_EN, byte);
		/* the PM timer is read-only; the gaps ignore writes */
	}
	return slp_en ? sleep_action(pm) : ACPI_PM_NONE;
}
