/* The guest's instruction bytes at CS:RIP, for exits whose length or operands the CPU did not report. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/gmem.h"
#include "hypervisor/gva.h"
#include "hypervisor/svm/svm.h"
#include "hypervisor/svm/svm_decode.h"
#include "hypervisor/svm/svm_exit.h"

#define EFER_LMA (1ull << 10)
#define CS_L (1u << 9)                  /* VMCB segment attribute bit 9: 64-bit code, APM Vol 2 15.5.1 */
#define EXITINFO1_MOV_CR (1ull << 63)   /* decode assists: bits 3:0 are the GPR, APM Vol 2 15.33.1 */

/* Runs with the guest's SSE state loaded: a byte loop, never the C library's memcpy. */
static bool read_guest(void *ctx, uint64_t gpa, unsigned bytes, uint64_t *value)
{
	const uint8_t *p = gmem_hva(ctx, gpa, bytes);

	*value = 0;
	if (!p)
		return false;
	for (unsigned i = 0; i < bytes; i++)
		*value |= (uint64_t)p[i] << (8 * i);
	return true;
}

static bool long_mode_code(const struct vmcb *vmcb)
{
	return (vmcb->save.efer & EFER_LMA) && (vmcb->save.cs.attr & CS_L);
}

/* Up to SVM_INSN_MAX bytes, page by page through the guest's own tables; returns how many it could read. */
static size_t fetch(struct vm *vm, const struct vmcb *vmcb, uint8_t *buf)
{
	const struct gva_mode m = { vmcb->save.cr0, vmcb->save.cr3, vmcb->save.cr4, vmcb->save.efer };
	uint64_t la = long_mode_code(vmcb) ? vmcb->save.rip : (uint32_t)(vmcb->save.cs.base + vmcb->save.rip);
	size_t got = 0;

	while (got < SVM_INSN_MAX) {
		uint64_t gpa, v;
		size_t chunk = 0x1000 - ((la + got) & 0xfff);

		if (chunk > SVM_INSN_MAX - got)
			chunk = SVM_INSN_MAX - got;
		if (gva_translate(&m, la + got, read_guest, vm, &gpa))
			break;
		for (size_t i = 0; i < chunk; i++, got++) {
			if (!read_guest(vm, gpa + i, 1, &v))
				return got;
			buf[got] = (uint8_t)v;
		}
	}
	return got;
}

/* A CR4 write: the GPR from decode assists, else from the MOV itself; anything but CR4 stays unhandled. */
static void decode_cr4_write(const struct vmcb *vmcb, const uint8_t *b, size_t n, struct vm_exit *e)
{
	struct svm_mov_cr mc;

	if (svm_decode_mov_to_cr(b, n, long_mode_code(vmcb), &mc) || mc.cr != 4) {
		e->code = EXIT_UNHANDLED;
		return;
	}
	if (vmcb->ctl.exitinfo1 & EXITINFO1_MOV_CR)
		mc.gpr = vmcb->ctl.exitinfo1 & 0xf;
	e->code = EXIT_CR_ACCESS;
	e->u.cr.cr = 4;
	e->u.cr.write = true;
	e->u.cr.gpr = mc.gpr;
	e->inst_len = mc.len;
}

void svm_exit_fetch_decode(struct vcpu *v, const struct vmcb *vmcb, bool nrip_save, struct vm_exit *e)
{
	uint8_t b[SVM_INSN_MAX], op[3];
	size_t n, oplen = svm_exit_opcode(vmcb->ctl.exitcode, vmcb->ctl.exitinfo1, op);
	uint32_t len;

	if (vmcb->ctl.exitcode != SVM_EXIT_CR4_WRITE && (nrip_save || !oplen || !e->inst_len))
		return;
	n = fetch(v->vm, vmcb, b);
	if (vmcb->ctl.exitcode == SVM_EXIT_CR4_WRITE) {
		decode_cr4_write(vmcb, b, n, e);
		if (nrip_save && e->code == EXIT_CR_ACCESS && vmcb->ctl.nrip > vmcb->save.rip)
			e->inst_len = (uint32_t)(vmcb->ctl.nrip - vmcb->save.rip);
		return;
	}
	len = svm_insn_length(b, n, long_mode_code(vmcb), op, oplen);
	if (len)
		e->inst_len = len; /* prefixes included: the guest resumes after the whole instruction */
}
