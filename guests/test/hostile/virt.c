/* hostile, part 2: VMX and SVM instructions, as raw encodings (SDM Vol 3C ch. 31; APM Vol 3 ch. 4). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "hostile.h"

/* A zeroed page for the instructions that take a memory operand or a physical address. */
static uint8_t region[4096] __attribute__((aligned(4096)));

#define REGION ((uint32_t)(uintptr_t)region)

/* Instructions taking [EAX] or EAX = address, with ECX as a second operand. */
#define INSN_EAX(name, ...)                                                                       \
	static uint64_t name(uint32_t unused)                                                     \
	{                                                                                         \
		uint32_t a = REGION, c = 2;                                                       \
		(void)unused;                                                                     \
		__asm__ volatile(".byte " #__VA_ARGS__ : "+a"(a), "+c"(c) : : "memory", "cc");     \
		return c;                                                                         \
	}

INSN_EAX(do_vmxon, 0xf3, 0x0f, 0xc7, 0x30)         /* VMXON [eax] */
INSN_EAX(do_vmptrld, 0x0f, 0xc7, 0x30)             /* VMPTRLD [eax] */
INSN_EAX(do_vmclear, 0x66, 0x0f, 0xc7, 0x30)       /* VMCLEAR [eax] */
INSN_EAX(do_vmread, 0x0f, 0x78, 0xc1)              /* VMREAD ecx, eax */
INSN_EAX(do_vmwrite, 0x0f, 0x79, 0xc1)             /* VMWRITE eax, ecx */
INSN_EAX(do_vmlaunch, 0x0f, 0x01, 0xc2)            /* VMLAUNCH */
INSN_EAX(do_vmresume, 0x0f, 0x01, 0xc3)            /* VMRESUME */
INSN_EAX(do_vmxoff, 0x0f, 0x01, 0xc4)              /* VMXOFF */
INSN_EAX(do_invept, 0x66, 0x0f, 0x38, 0x80, 0x08)  /* INVEPT ecx, [eax] */
INSN_EAX(do_invvpid, 0x66, 0x0f, 0x38, 0x81, 0x08) /* INVVPID ecx, [eax] */
INSN_EAX(do_vmrun, 0x0f, 0x01, 0xd8)               /* VMRUN eax */
INSN_EAX(do_vmload, 0x0f, 0x01, 0xda)              /* VMLOAD eax */
INSN_EAX(do_vmsave, 0x0f, 0x01, 0xdb)              /* VMSAVE eax */
INSN_EAX(do_stgi, 0x0f, 0x01, 0xdc)                /* STGI */
INSN_EAX(do_clgi, 0x0f, 0x01, 0xdd)                /* CLGI */
INSN_EAX(do_skinit, 0x0f, 0x01, 0xde)              /* SKINIT eax */
INSN_EAX(do_invlpga, 0x0f, 0x01, 0xdf)             /* INVLPGA eax, ecx */

static const struct attack virt_attacks[] = {
	{ "VMXON", do_vmxon, 0 },         { "VMPTRLD", do_vmptrld, 0 },   { "VMCLEAR", do_vmclear, 0 },
	{ "VMREAD", do_vmread, 0 },       { "VMWRITE", do_vmwrite, 0 },   { "VMLAUNCH", do_vmlaunch, 0 },
	{ "VMRESUME", do_vmresume, 0 },   { "VMXOFF", do_vmxoff, 0 },     { "INVEPT", do_invept, 0 },
	{ "INVVPID", do_invvpid, 0 },     { "VMRUN", do_vmrun, 0 },       { "VMLOAD", do_vmload, 0 },
	{ "VMSAVE", do_vmsave, 0 },       { "STGI", do_stgi, 0 },         { "CLGI", do_clgi, 0 },
	{ "SKINIT", do_skinit, 0 },       { "INVLPGA", do_invlpga, 0 },
};

void attack_virt_instructions(void)
{
	attempt_list(virt_attacks, ARRAY_LEN(virt_attacks));
}
