/* VMX instructions as C functions: VMXON, VMCLEAR, VMPTRLD, VMPTRST, INVEPT, INVVPID (SDM Vol 2C chapter 6, Vol 3C 31.3). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_INSN_H
#define HYPERVISOR_VMX_VMX_INSN_H

#include <stdint.h>

/* Each returns 0, or -1 when CF or ZF reports VMfailInvalid/VMfailValid (SDM Vol 3C 31.2). */
#define VMX_INSN_MEM(name, insn) \
	static inline int name(uint64_t pa) \
	{ \
		uint8_t fail; \
		__asm__ volatile(insn " %1; setbe %0" : "=qm"(fail) : "m"(pa) : "cc", "memory"); \
		return fail ? -1 : 0; \
	}
VMX_INSN_MEM(vmxon, "vmxon")
VMX_INSN_MEM(vmclear, "vmclear")
VMX_INSN_MEM(vmptrld, "vmptrld")
#undef VMX_INSN_MEM

static inline uint64_t vmptrst(void)
{
	uint64_t pa;
	__asm__ volatile("vmptrst %0" : "=m"(pa)::"memory");
	return pa;
}

/* INVEPT types, SDM Vol 3C 29.4.3.1; INVVPID types 29.4.3.3 (type 1 single-context, 2 all-context). */
#define INVEPT_SINGLE 1ull
#define INVEPT_ALL 2ull
#define INVVPID_SINGLE 1ull
#define INVVPID_ALL 2ull

/*
 * The 128-bit descriptor is aligned by hand to 16 bytes: Bochs #GPs on an
 * unaligned one, and an aligned(16) local would trust the stack's alignment.
 */
static inline uint64_t *inv_desc(uint64_t *buf, uint64_t lo, uint64_t hi)
{
	uint64_t *d = (uint64_t *)(((uintptr_t)buf + 15) & ~(uintptr_t)15);
	d[0] = lo;
	d[1] = hi;
	return d;
}

static inline int invept(uint64_t type, uint64_t eptp)
{
	uint64_t buf[4];
	uint64_t *d = inv_desc(buf, eptp, 0);
	uint8_t fail;
	__asm__ volatile("invept (%1), %2; setbe %0" : "=qm"(fail) : "r"(d), "r"(type) : "cc", "memory");
	return fail ? -1 : 0;
}

static inline int invvpid(uint64_t type, uint16_t vpid)
{
	uint64_t buf[4];
	uint64_t *d = inv_desc(buf, vpid, 0);
	uint8_t fail;
	__asm__ volatile("invvpid (%1), %2; setbe %0" : "=qm"(fail) : "r"(d), "r"(type) : "cc", "memory");
	return fail ? -1 : 0;
}

/* IA32_VMX_EPT_VPID_CAP bits, SDM Vol 3D A.10. */
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define EPT_CAP_INVEPT_ALL (1ull << 26)
#define VPID_CAP_INVVPID (1ull << 32)
#define VPID_CAP_INVVPID_SINGLE (1ull << 41)
#define VPID_CAP_INVVPID_ALL (1ull << 42)

#endif
