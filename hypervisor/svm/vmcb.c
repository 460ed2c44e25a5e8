/* Builds a VMCB from neutral guest state and reads it back: intercepts, maps, segments (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/svm/vmcb.h"

#define RFLAGS_FIXED1 (1ull << 1)   /* APM Vol 2 3.1.6: bit 1 reads as one */
#define CR0_PE (1ull << 0)
#define DR6_INIT 0xffff0ff0ull      /* APM Vol 2 13.1.1 reset values */
#define DR7_INIT 0x400ull
#define VMX_AR_P (1u << 7)

/*
 * VMX access rights (SDM Vol 3C table 25-2): 3:0 type, 4 S, 6:5 DPL, 7 P,
 * 12 AVL, 13 L, 14 D/B, 15 G, 16 unusable. VMCB attributes (APM Vol 2 15.5.1):
 * 7:0 the same, 11:8 AVL, L, D/B, G. An unusable segment is a not-present one.
 */
uint16_t vmcb_attr_from_vmx(uint32_t ar)
{
	if (ar & SEG_ATTR_UNUSABLE)
		return 0;
	return (uint16_t)((ar & 0xffu) | ((ar >> 4) & 0xf00u));
}

uint32_t vmcb_attr_to_vmx(uint16_t attr)
{
	uint32_t ar = (attr & 0xffu) | ((uint32_t)(attr & 0xf00u) << 4);

	if (!(ar & VMX_AR_P))
		ar |= SEG_ATTR_UNUSABLE;
	return ar;
}

void vmcb_setup_control(struct vmcb *vmcb, uint64_t iopm_pa, uint64_t msrpm_pa, uint32_t asid, uint64_t ncr3)
{
	struct vmcb_control *c = &vmcb->ctl;

	/*
	 * Under nested paging the guest owns CR0 and CR3 (APM Vol 2 15.25); CR4
	 * writes exit so that cr4_write_ok decides what the guest may enable.
	 * Bits 31:16 intercept writes of CR0-15 (APM Vol 2 appendix B table B-1).
	 */
	c->intercept_cr = VMCB_CR4_WRITE;
	/* #DB/#AC: no endless delivery loops (APM Vol 2 15.12); #MC: a host machine check never lands in a guest. */
	c->intercept_exc = VMCB_EXC_DB | VMCB_EXC_AC | VMCB_EXC_MC;
	c->intercept_misc1 = VMCB_I1_INTR | VMCB_I1_NMI | VMCB_I1_RDPMC | VMCB_I1_CPUID | VMCB_I1_INVD | VMCB_I1_HLT |
			     VMCB_I1_INVLPGA | VMCB_I1_IOIO_PROT | VMCB_I1_MSR_PROT | VMCB_I1_SHUTDOWN;
	/* VMRUN must be intercepted or VMRUN fails its consistency checks (APM Vol 2 15.5.1). */
	c->intercept_misc2 = VMCB_I2_VMRUN | VMCB_I2_VMMCALL | VMCB_I2_VMLOAD | VMCB_I2_VMSAVE | VMCB_I2_STGI |
			     VMCB_I2_CLGI | VMCB_I2_SKINIT | VMCB_I2_WBINVD | VMCB_I2_MONITOR | VMCB_I2_MWAIT | VMCB_I2_MWAIT_COND |
			     VMCB_I2_XSETBV;
	c->iopm_base_pa = iopm_pa;
	c->msrpm_base_pa = msrpm_pa;
	c->asid = asid;
	c->tlb_control = VMCB_TLB_FLUSH_ALL;
	/* The guest's IF masks only virtual interrupts; host interrupts always exit (APM Vol 2 15.21.1). */
	c->vintr = VMCB_V_INTR_MASKING;
	c->np_control = VMCB_NP_ENABLE;
	c->n_cr3 = ncr3;
	c->clean = 0;
}

static void seg_load(struct vmcb_seg *d, const struct vcpu_seg *s)
{
	d->sel = s->sel;
	d->attr = vmcb_attr_from_vmx(s->attr);
	d->limit = s->limit;
	d->base = s->base;
}

static void seg_store(struct vcpu_seg *d, const struct vmcb_seg *s)
{
	d->sel = s->sel;
	d->attr = vmcb_attr_to_vmx(s->attr);
	d->limit = s->limit;
	d->base = s->base;
}

/* CPL: 0 in real mode, else SS.DPL (APM Vol 2 15.5.1 "CPL"). */
static uint8_t guest_cpl(const struct vcpu_regs *r)
{
	if (!(r->cr0 & CR0_PE))
		return 0;
	return (uint8_t)((r->ss.attr >> 5) & 3u);
}

static void load_segments(struct vmcb_save *s, const struct vcpu_regs *r)
{
	seg_load(&s->es, &r->es);
	seg_load(&s->cs, &r->cs);
	seg_load(&s->ss, &r->ss);
	seg_load(&s->ds, &r->ds);
	seg_load(&s->fs, &r->fs);
	seg_load(&s->gs, &r->gs);
	seg_load(&s->tr, &r->tr);
	seg_load(&s->ldtr, &r->ldtr);
	memset(&s->gdtr, 0, sizeof(s->gdtr));
	memset(&s->idtr, 0, sizeof(s->idtr));
	s->gdtr.base = r->gdtr.base;
	s->gdtr.limit = r->gdtr.limit;
	s->idtr.base = r->idtr.base;
	s->idtr.limit = r->idtr.limit;
	s->cpl = guest_cpl(r);
}

void vmcb_load_state(struct vmcb *vmcb, const struct vcpu_regs *r)
{
	struct vmcb_save *s = &vmcb->save;

	load_segments(s, r);
	/* EFER.SVME must be set in the guest's EFER (APM Vol 2 15.5.1). */
	s->efer = r->efer | EFER_SVME;
	s->cr0 = r->cr0;
	s->cr2 = r->cr2;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->dr6 = DR6_INIT;
	s->dr7 = DR7_INIT;
	s->rflags = r->rflags | RFLAGS_FIXED1;
	s->rip = r->rip;
	s->rsp = r->rsp;
	s->rax = r->rax;
	s->g_pat = VMCB_G_PAT;
}

static void store_segments(const struct vmcb_save *s, struct vcpu_regs *r)
{
	seg_store(&r->es, &s->es);
	seg_store(&r->cs, &s->cs);
	seg_store(&r->ss, &s->ss);
	seg_store(&r->ds, &s->ds);
	seg_store(&r->fs, &s->fs);
	seg_store(&r->gs, &s->gs);
	seg_store(&r->tr, &s->tr);
	seg_store(&r->ldtr, &s->ldtr);
	r->gdtr.base = s->gdtr.base;
	r->gdtr.limit = s->gdtr.limit;
	r->idtr.base = s->idtr.base;
	r->idtr.limit = s->idtr.limit;
}

void vmcb_store_state(const struct vmcb *vmcb, struct vcpu_regs *r, int guest_svme)
{
	const struct vmcb_save *s = &vmcb->save;

	store_segments(s, r);
	r->efer = (s->efer & ~EFER_SVME) | (guest_svme ? EFER_SVME : 0);
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
}

/* APM Vol 2 15.20: vector 7:0, type 10:8, EV 11, V 31, error code 63:32. */
uint64_t vmcb_event_exception(uint8_t vector, int has_error, uint32_t error)
{
	uint64_t ev = EVENT_VALID | vector;

	if (vector == 2)
		return ev | EVENT_TYPE_NMI;
	ev |= vector < 32 ? EVENT_TYPE_EXC : EVENT_TYPE_INTR;
	if (has_error && vector < 32)
		ev |= EVENT_ERR_VALID | ((uint64_t)error << 32);
	return ev;
}
