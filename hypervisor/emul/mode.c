/* Which code the vCPU runs: real, 16-bit, 32-bit or 64-bit, from CR0, RFLAGS, EFER and CS. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/emul/insn.h"

#define CR0_PE (1ull << 0)          /* SDM Vol 3A 2.5 */
#define RFLAGS_VM (1ull << 17)      /* SDM Vol 1 3.4.3.3 */
#define EFER_LMA (1ull << 10)       /* SDM Vol 3A 2.2.1 */
#define SEG_L (1u << 13)            /* access rights in the VMX layout, SDM Vol 3C 25.4.1 table 25-2 */
#define SEG_DB (1u << 14)

enum emul_mode emul_mode_of(const struct vcpu_regs *r)
{
	if (!(r->cr0 & CR0_PE) || (r->rflags & RFLAGS_VM))
		return EMUL_MODE16;
	if ((r->efer & EFER_LMA) && (r->cs.attr & SEG_L))
		return EMUL_MODE64; /* SDM Vol 3A 5.2.1: CS.L selects 64-bit mode inside IA-32e mode */
	return (r->cs.attr & SEG_DB) ? EMUL_MODE32 : EMUL_MODE16;
}
