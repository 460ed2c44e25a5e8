/* Turns a VMX exit into the neutral struct vm_exit, once (SDM Vol 3D appendix C, Vol 3C 28.2.1). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/vmx/vmx_exit.h"

/* Bit 7 marks exits caused by an instruction, whose length the VMCS reports (SDM Vol 3C 28.2.5). */
#define INSN 0x80u
#define CODE(e) ((e) & 0x7fu)

/* Basic reason -> neutral code; 0 (no entry) means EXIT_UNHANDLED. */
static const uint8_t exit_table[VMX_EXIT_REASON_COUNT] = {
	[VMX_EXIT_EXTINT] = EXIT_EXTINT,
	[VMX_EXIT_PREEMPT] = EXIT_PREEMPT,
	[VMX_EXIT_INTR_WINDOW] = EXIT_INTR_WINDOW,
	[VMX_EXIT_NMI_WINDOW] = EXIT_INTR_WINDOW,
	[VMX_EXIT_TRIPLE_FAULT] = EXIT_TRIPLE_FAULT,
	[VMX_EXIT_CPUID] = EXIT_CPUID | INSN,
	[VMX_EXIT_HLT] = EXIT_HLT | INSN,
	[VMX_EXIT_IO] = EXIT_IO | INSN,
	[VMX_EXIT_RDMSR] = EXIT_MSR_READ | INSN,
	[VMX_EXIT_WRMSR] = EXIT_MSR_WRITE | INSN,
	[VMX_EXIT_CR_ACCESS] = EXIT_CR_ACCESS | INSN,
	[VMX_EXIT_EPT_VIOLATION] = EXIT_MMIO,
	[VMX_EXIT_EPT_MISCONFIG] = EXIT_BAD_STATE,
	[VMX_EXIT_BAD_GUEST_STATE] = EXIT_BAD_STATE,
	[VMX_EXIT_MSR_LOADING] = EXIT_BAD_STATE,
	[VMX_EXIT_MACHINE_CHECK] = EXIT_BAD_STATE,
	[VMX_EXIT_VMCALL] = EXIT_HYPERCALL | INSN,
	[VMX_EXIT_VMCLEAR] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMLAUNCH] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMPTRLD] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMPTRST] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMREAD] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMRESUME] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMWRITE] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMXOFF] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMXON] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_INVEPT] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_INVVPID] = EXIT_VIRT_INSN | INSN,
	[VMX_EXIT_VMFUNC] = EXIT_VIRT_INSN | INSN,
};

uint32_t vmx_exit_code(uint32_t basic_reason)
{
	if (basic_reason >= VMX_EXIT_REASON_COUNT || !exit_table[basic_reason])
		return EXIT_UNHANDLED;
	return CODE(exit_table[basic_reason]);
}

int vmx_decode_io(uint64_t qual, struct vm_exit *out)
{
	uint32_t size = (uint32_t)(qual & 7) + 1; /* bits 2:0: size - 1 */

	if (size != 1 && size != 2 && size != 4)
		return -1;
	out->u.io.size = (uint8_t)size;
	out->u.io.in = qual & (1u << 3);      /* direction: 1 = IN */
	out->u.io.string = qual & (1u << 4);
	out->u.io.rep = qual & (1u << 5);
	out->u.io.port = (uint16_t)(qual >> 16); /* bits 31:16 */
	return 0;
}

/* Control-register access, SDM Vol 3C 28.2.1 table 28-3: only MOV to/from CR is reported. */
static uint32_t decode_cr(uint64_t qual, struct vm_exit *out)
{
	uint32_t type = (qual >> 4) & 3; /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */

	if (type > 1)
		return EXIT_UNHANDLED;
	out->u.cr.cr = qual & 0xf;
	out->u.cr.write = type == 0;
	out->u.cr.gpr = (qual >> 8) & 0xf;
	return EXIT_CR_ACCESS;
}

/* Fills the union for the codes that carry details; returns the (possibly corrected) code. */
static uint32_t decode_details(uint32_t code, const struct vmx_exit_info *in, struct vm_exit *out)
{
	switch (code) {
	case EXIT_IO:
		return vmx_decode_io(in->qual, out) ? EXIT_UNHANDLED : EXIT_IO;
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
		out->u.msr.index = (uint32_t)in->rcx;
		return code;
	case EXIT_CR_ACCESS:
		return decode_cr(in->qual, out);
	case EXIT_MMIO: /* EPT violation qualification, SDM Vol 3C 28.2.1 table 28-7 */
		out->u.mmio.gpa = in->gpa;
		out->u.mmio.write = in->qual & (1u << 1);
		out->u.mmio.fetch = in->qual & (1u << 2);
		return code;
	default:
		return code;
	}
}

/* An NMI that arrived in the guest (exception-or-NMI exit of type NMI) is the host's: EXTINT vector 2. */
static uint32_t decode_exception_nmi(const struct vmx_exit_info *in, struct vm_exit *out)
{
	if ((in->intr_info & INTR_INFO_VALID) && INTR_INFO_TYPE(in->intr_info) == INTR_TYPE_NMI) {
		out->u.extint.vector = 2;
		return EXIT_EXTINT;
	}
	return EXIT_UNHANDLED;
}

void vmx_exit_decode(const struct vmx_exit_info *in, struct vm_exit *out)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(in->reason);
	uint32_t code = vmx_exit_code(basic);

	memset(out, 0, sizeof(*out));
	out->raw_reason = in->reason;
	out->qual = in->qual;
	if (in->reason & VMX_EXIT_REASON_ENTRY_FAIL) { /* SDM Vol 3C 27.8 */
		out->code = EXIT_BAD_STATE;
		return;
	}
	if (basic == VMX_EXIT_EXCEPTION_NMI)
		code = decode_exception_nmi(in, out);
	code = decode_details(code, in, out);
	out->code = code;
	if (basic < VMX_EXIT_REASON_COUNT && (exit_table[basic] & INSN) && code != EXIT_UNHANDLED)
		out->inst_len = in->inst_len < 16 ? in->inst_len : 0; /* x86 instructions are at most 15 bytes */
}
