/* EXITCODE to neutral exit, once, with instruction lengths when nrip-save is absent (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/svm/svm_exit.h"

#define INSN_MAX 15u /* APM Vol 3 1.1: no instruction is longer */

struct exit_kind {
	uint8_t code;  /* enum exit_code; 0 (EXIT_NONE) means not listed: unhandled */
	uint8_t len;   /* length of the intercepted instruction without prefixes, 0 if not one */
};

/*
 * The intercepts 60h-8Fh (APM Vol 2 appendix C). Lengths are the encodings:
 * CPUID 0F A2, HLT F4, INVD 0F 08, WBINVD 0F 09, the SVM instructions and
 * VMMCALL 0F 01 D8-DF, MONITOR/MWAIT 0F 01 C8/C9, XSETBV 0F 01 D1,
 * RDTSCP 0F 01 F9 (APM Vol 3 appendix A).
 */
static const struct exit_kind exit_kinds[0x30] = {
	[0x60 - 0x60] = { EXIT_EXTINT, 0 },      /* INTR */
	[0x61 - 0x60] = { EXIT_EXTINT, 0 },      /* NMI */
	[0x64 - 0x60] = { EXIT_INTR_WINDOW, 0 }, /* VINTR: the interrupt window (svm_intr.c) */
	[0x72 - 0x60] = { EXIT_CPUID, 2 },
	[0x74 - 0x60] = { EXIT_INTR_WINDOW, 0 }, /* IRET: the NMI window (svm_intr.c) */
	[0x76 - 0x60] = { EXIT_UNHANDLED, 2 },   /* INVD: would discard host cache lines */
	[0x78 - 0x60] = { EXIT_HLT, 1 },
	[0x7a - 0x60] = { EXIT_VIRT_INSN, 3 },   /* INVLPGA */
	[0x7b - 0x60] = { EXIT_IO, 0 },          /* length from EXITINFO2 */
	[0x7c - 0x60] = { EXIT_MSR_READ, 2 },    /* RDMSR 0F 32 / WRMSR 0F 30 */
	[0x7f - 0x60] = { EXIT_TRIPLE_FAULT, 0 },/* SHUTDOWN */
	[0x80 - 0x60] = { EXIT_VIRT_INSN, 3 },   /* VMRUN */
	[0x81 - 0x60] = { EXIT_HYPERCALL, 3 },   /* VMMCALL */
	[0x82 - 0x60] = { EXIT_VIRT_INSN, 3 },   /* VMLOAD */
	[0x83 - 0x60] = { EXIT_VIRT_INSN, 3 },   /* VMSAVE */
	[0x84 - 0x60] = { EXIT_VIRT_INSN, 3 },   /* STGI */
	[0x85 - 0x60] = { EXIT_VIRT_INSN, 3 },   /* CLGI */
	[0x86 - 0x60] = { EXIT_VIRT_INSN, 3 },   /* SKINIT */
	[0x87 - 0x60] = { EXIT_UNHANDLED, 3 },   /* RDTSCP */
	[0x89 - 0x60] = { EXIT_UNHANDLED, 2 },   /* WBINVD */
	[0x8a - 0x60] = { EXIT_UNHANDLED, 3 },   /* MONITOR */
	[0x8b - 0x60] = { EXIT_UNHANDLED, 3 },   /* MWAIT */
	[0x8c - 0x60] = { EXIT_UNHANDLED, 3 },   /* MWAIT conditional */
	[0x8d - 0x60] = { EXIT_UNHANDLED, 3 },   /* XSETBV */
};

static struct exit_kind exit_kind_of(uint64_t code)
{
	static const struct exit_kind unhandled = { EXIT_UNHANDLED, 0 };

	if (code == SVM_EXIT_NPF)
		return (struct exit_kind){ EXIT_MMIO, 0 };
	if (code == SVM_EXIT_INVALID)
		return (struct exit_kind){ EXIT_BAD_STATE, 0 };
	if (code < 0x60 || code >= 0x90 || exit_kinds[code - 0x60].code == EXIT_NONE)
		return unhandled;
	return exit_kinds[code - 0x60];
}

/* Next RIP minus RIP, if it is a plausible instruction length; else `fallback`. */
static uint32_t length_from_next(uint64_t next, uint64_t rip, uint32_t fallback)
{
	uint64_t len = next - rip;

	return len >= 1 && len <= INSN_MAX ? (uint32_t)len : fallback;
}

/* APM Vol 2 15.10.2: port, direction, size, string and REP from EXITINFO1; next RIP in EXITINFO2. */
static void fill_io(const struct vmcb *vmcb, struct vm_exit *e)
{
	uint64_t info = vmcb->ctl.exitinfo1;

	e->u.io.port = (uint16_t)(info >> 16);
	e->u.io.in = info & IOIO_IN;
	e->u.io.string = info & IOIO_STR;
	e->u.io.rep = info & IOIO_REP;
	e->u.io.size = (info & IOIO_SZ32) ? 4 : (info & IOIO_SZ16) ? 2 : 1;
	e->inst_len = length_from_next(vmcb->ctl.exitinfo2, vmcb->save.rip, 0);
}

/* APM Vol 2 15.25.6: EXITINFO1 is a page-fault error code, EXITINFO2 the guest-physical address. */
static void fill_npf(const struct vmcb *vmcb, struct vm_exit *e)
{
	e->u.mmio.gpa = vmcb->ctl.exitinfo2;
	e->u.mmio.write = vmcb->ctl.exitinfo1 & NPF_WRITE;
	e->u.mmio.fetch = vmcb->ctl.exitinfo1 & NPF_FETCH;
}

static void fill_details(const struct vmcb *vmcb, uint64_t rcx, struct vm_exit *e)
{
	switch (vmcb->ctl.exitcode) {
	case SVM_EXIT_IOIO:
		fill_io(vmcb, e);
		break;
	case SVM_EXIT_MSR: /* EXITINFO1: 0 RDMSR, 1 WRMSR (APM Vol 2 15.11) */
		e->code = (vmcb->ctl.exitinfo1 & 1) ? EXIT_MSR_WRITE : EXIT_MSR_READ;
		e->u.msr.index = (uint32_t)rcx;
		break;
	case SVM_EXIT_NPF:
		fill_npf(vmcb, e);
		break;
	case SVM_EXIT_NMI:
		e->u.extint.vector = 2;
		break;
	}
}

void svm_exit_translate(const struct vmcb *vmcb, uint64_t rcx, bool nrip_save, struct vm_exit *e)
{
	struct exit_kind k = exit_kind_of(vmcb->ctl.exitcode);

	memset(e, 0, sizeof(*e));
	e->code = k.code;
	e->raw_reason = vmcb->ctl.exitcode;
	e->qual = vmcb->ctl.exitinfo1;
	e->inst_len = k.len;
	if (k.len && nrip_save)
		e->inst_len = length_from_next(vmcb->ctl.nrip, vmcb->save.rip, k.len);
	fill_details(vmcb, rcx, e);
}
