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
 * OSXMMEXCPT, UMIP, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP (SDM Vol 3A 2.5). Not
 * VMXE (13), SMXE (14), LA57 (12), PKE (22) and later.
 */
#define CR4_GUEST_ALLOWED (0x7ffull | BIT(11) | BIT(16) | BIT(17) | BIT(18) | BIT(20) | BIT(21))

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

/*
 * Bits a guest may flip without an exit: the allowed ones, whose remaining
 * rules (PAE in long mode, PCIDE) the CPU itself enforces with #GP. Every
 * other bit is host-owned and its writes reach cr4_write_ok (SDM Vol 3C 25.6.6).
 */
uint64_t cr4_guest_owned(void)
{
	return CR4_GUEST_ALLOWED;
}

/*
 * XSETBV's #GP rules for XCR0 (SDM Vol 1 13.3, Vol 2D XSETBV): x87 (bit 0)
 * always on; AVX (2) needs SSE (1); MPX BNDREGS/BNDCSR (3, 4) together;
 * AVX-512 (5-7) all together and with AVX; nothing the guest is not offered.
 */
bool xcr0_write_ok(uint64_t value, uint64_t offered)
{
	uint64_t avx512 = value & 0xe0;

	if (!(value & BIT(0)) || (value & ~offered))
		return false;
	if ((value & BIT(2)) && !(value & BIT(1)))
		return false;
	if (((value >> 3) & 1) != ((value >> 4) & 1))
		return false;
	if (avx512 && (avx512 != 0xe0 || !(value & BIT(2))))
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
