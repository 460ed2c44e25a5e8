/* Control-register write checks for guests: the architectural #GP rules plus what Bulwark hides. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/cr_policy.h"

#define BIT(n) (1ull << (n))
#define CR0_PE BIT(0)
#define CR0_NW BIT(29)
#define CR0_CD BIT(30)
#define CR0_PG BIT(31)
#define CR4_PAE BIT(5)
#define CR4_PCIDE BIT(17)
#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_NXE BIT(11)

/*
 * CR4 bits a guest may set: VME, PVI, TSD, DE, PSE, PAE, MCE, PGE, PCE, OSFXSR,
 * OSXMMEXCPT, UMIP, FSGSBASE, PCIDE, SMEP, SMAP (SDM Vol 3A 2.5). Not VMXE (13),
 * SMXE (14), OSXSAVE (18: XSAVE is hidden from guests), LA57 (12), PKE and later.
 */
#define CR4_GUEST_ALLOWED (0x7ffull | BIT(11) | BIT(16) | BIT(17) | BIT(20) | BIT(21))

bool cr0_write_ok(uint64_t value, uint64_t cr4, uint64_t efer)
{
	if (value >> 32)
		return false;
	if ((value & CR0_PG) && !(value & CR0_PE))
		return false;
	if ((value & CR0_NW) && !(value & CR0_CD))
		return false;
	/* Turning paging on with EFER.LME set enters long mode, which needs PAE (SDM Vol 3A 10.8.5). */
	if ((value & CR0_PG) && (efer & EFER_LME) && !(cr4 & CR4_PAE))
		return false;
	return true;
}

bool cr4_write_ok(uint64_t value, uint64_t cr0, uint64_t efer)
{
	(void)cr0;
	if (value & ~CR4_GUEST_ALLOWED)
		return false;
	if ((efer & EFER_LMA) && !(value & CR4_PAE)) /* PAE cannot be cleared in long mode */
		return false;
	if ((value & CR4_PCIDE) && !(efer & EFER_LMA)) /* PCIDE needs IA-32e mode */
		return false;
	return true;
}

int efer_write_value(uint64_t old, uint64_t value, uint64_t cr0, uint64_t *out)
{
	if (value & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
		return -1;
	if ((cr0 & CR0_PG) && ((value ^ old) & EFER_LME))
		return -1;
	*out = (value & (EFER_SCE | EFER_LME | EFER_NXE)) | (old & EFER_LMA);
	return 0;
}
