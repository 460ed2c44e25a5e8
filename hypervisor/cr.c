/* MOV to/from control-register exits: validate, then let the backend load the new value on entry. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/cr_policy.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/vm.h"
#include "hypervisor/virt_ops.h"

#define EFER_LMA (1ull << 10)

static uint64_t *cr_slot(struct vcpu_regs *r, uint8_t cr)
{
	switch (cr) {
	case 0: return &r->cr0;
	case 3: return &r->cr3;
	case 4: return &r->cr4;
	default: return NULL;
	}
}

static bool write_ok(const struct vcpu_regs *r, uint8_t cr, uint64_t value)
{
	if (cr == 0)
		return cr0_write_ok(value, r->cr4, r->efer);
	if (cr == 4)
		return cr4_write_ok(value, r->cr0, r->efer);
	return true; /* CR3: any page-table base; reserved bits are the guest's own #GP at its next walk */
}

enum exit_action exit_cr(struct vcpu *v, const struct vm_exit *e)
{
	struct vcpu_regs *r = &v->regs;
	uint64_t *slot, *gpr, value;

	virt_ops_get()->read_state(v);
	slot = cr_slot(r, e->u.cr.cr);
	gpr = vcpu_gpr(r, e->u.cr.gpr);
	if (!slot)
		return exit_raise(v, X86_GP); /* CR8 and others: no task-priority model, not a valid register */
	if (!e->u.cr.write) {
		*gpr = *slot;
	} else {
		value = r->efer & EFER_LMA ? *gpr : (uint32_t)*gpr; /* 32-bit code moves 32 bits */
		if (!write_ok(r, e->u.cr.cr, value))
			return exit_raise(v, X86_GP);
		*slot = value;
	}
	r->rip += e->inst_len;
	return EXIT_RESUME;
}
