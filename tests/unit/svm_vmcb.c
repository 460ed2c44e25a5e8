/* Host unit tests of the VMCB: field offsets, segment attributes, intercepts, guest state in and out, events. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/svm/vmcb.h"

static struct vmcb *new_vmcb(void)
{
	struct vmcb *v = aligned_alloc(4096, sizeof(*v));
	memset(v, 0, sizeof(*v));
	return v;
}

/* APM Vol 2 appendix B, tables B-1 and B-2. */
static void test_offsets(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct vmcb), 4096);
	assert_int_equal(offsetof(struct vmcb, ctl.intercept_misc1), 0x00c);
	assert_int_equal(offsetof(struct vmcb, ctl.intercept_misc2), 0x010);
	assert_int_equal(offsetof(struct vmcb, ctl.msrpm_base_pa), 0x048);
	assert_int_equal(offsetof(struct vmcb, ctl.vintr), 0x060);
	assert_int_equal(offsetof(struct vmcb, ctl.exitinfo1), 0x078);
	assert_int_equal(offsetof(struct vmcb, ctl.exitinfo2), 0x080);
	assert_int_equal(offsetof(struct vmcb, save.cs), 0x410);
	assert_int_equal(offsetof(struct vmcb, save.gdtr), 0x460);
	assert_int_equal(offsetof(struct vmcb, save.idtr), 0x480);
	assert_int_equal(offsetof(struct vmcb, save.cr0), 0x558);
	assert_int_equal(offsetof(struct vmcb, save.rflags), 0x570);
	assert_int_equal(offsetof(struct vmcb, save.kernel_gs_base), 0x620);
	assert_int_equal(offsetof(struct vmcb, save.dbgctl), 0x670);
}

static void test_attr_conversion(void **state)
{
	(void)state;
	assert_int_equal(vmcb_attr_from_vmx(0xc09b), 0xc9b);  /* 32-bit code, G, D */
	assert_int_equal(vmcb_attr_from_vmx(0xa09b), 0xa9b);  /* 64-bit code, G, L */
	assert_int_equal(vmcb_attr_from_vmx(0x8b), 0x08b);    /* busy TSS */
	assert_int_equal(vmcb_attr_from_vmx(0x1f0ff), 0);      /* unusable */
	assert_int_equal(vmcb_attr_to_vmx(0xc93), 0xc093);
	assert_int_equal(vmcb_attr_to_vmx(0x000), SEG_ATTR_UNUSABLE);
	for (uint32_t ar = 0x80; ar < 0x10000; ar += 0x1013)
		if ((ar & 0x80) && !(ar & 0xf00))
			assert_int_equal(vmcb_attr_to_vmx(vmcb_attr_from_vmx(ar)), ar);
}

static void test_control(void **state)
{
	struct vmcb *v = new_vmcb();

	(void)state;
	vmcb_setup_control(v, 0x10000, 0x20000, 5, 0x30000);
	/*
	 * Every intercept the backend must set, as the APM's bit positions (Vol 2
	 * Appendix B, Table B-1). Vector 3 at 00Ch: INTR 0, NMI 1, CPUID 18, INVD 22,
	 * HLT 24, INVLPGA 26, IOIO_PROT 27, MSR_PROT 28, SHUTDOWN 31. Vector 4 at 010h:
	 * VMRUN 0 (required, 15.5.1), VMMCALL 1, VMLOAD 2, VMSAVE 3, STGI 4, CLGI 5,
	 * SKINIT 6 (the guest runs with EFER.SVME set, so each would otherwise run
	 * natively on host state, 15.5.1), MONITOR 10, MWAIT 11, MWAIT armed 12,
	 * XSETBV 13. Exceptions at 008h: #DB 1, #AC 17 (15.12). More may be set.
	 */
	const uint32_t misc1 = 1u << 0 | 1u << 1 | 1u << 18 | 1u << 22 | 1u << 24 | 1u << 26 | 1u << 27 | 1u << 28 |
			       1u << 31;
	const uint32_t misc2 = 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 10 |
			       1u << 11 | 1u << 12 | 1u << 13;
	const uint32_t exc = 1u << 1 | 1u << 17;
	assert_int_equal(offsetof(struct vmcb, ctl.intercept_exc), 0x008);
	assert_int_equal(v->ctl.intercept_misc1 & misc1, misc1);
	assert_int_equal(v->ctl.intercept_misc2 & misc2, misc2);
	assert_int_equal(v->ctl.intercept_exc & exc, exc);
	assert_int_equal(v->ctl.iopm_base_pa, 0x10000);
	assert_int_equal(v->ctl.msrpm_base_pa, 0x20000);
	assert_int_equal(v->ctl.asid, 5);
	assert_int_equal(v->ctl.n_cr3, 0x30000);
	assert_int_equal(v->ctl.np_control, VMCB_NP_ENABLE);
	assert_true(v->ctl.vintr & VMCB_V_INTR_MASKING);
	assert_int_equal(v->ctl.clean, 0);
	free(v);
}

static void boot_regs(struct vcpu_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->rip = 0x100000;
	r->rflags = 0;
	r->rax = 7;
	r->cr0 = 0x31;
	r->cs = (struct vcpu_seg){ 0x08, 0xffffffff, 0xc09b, 0 };
	r->ds = r->es = r->fs = r->gs = r->ss = (struct vcpu_seg){ 0x10, 0xffffffff, 0xc093, 0 };
	r->tr = (struct vcpu_seg){ 0, 0x67, 0x8b, 0 };
	r->ldtr = (struct vcpu_seg){ 0, 0, SEG_ATTR_UNUSABLE, 0 };
	r->gdtr.limit = 0xffff;
	r->idtr.base = 0x5000;
}

static void test_load_state(void **state)
{
	struct vmcb *v = new_vmcb();
	struct vcpu_regs r;

	(void)state;
	boot_regs(&r);
	vmcb_load_state(v, &r);
	assert_true(v->save.efer & EFER_SVME);
	assert_int_equal(v->save.rflags, 0x2);
	assert_int_equal(v->save.rip, 0x100000);
	assert_int_equal(v->save.rax, 7);
	assert_int_equal(v->save.cs.attr, 0xc9b);
	assert_int_equal(v->save.cs.sel, 0x08);
	assert_int_equal(v->save.ss.limit, 0xffffffff);
	assert_int_equal(v->save.ldtr.attr, 0);
	assert_int_equal(v->save.gdtr.limit, 0xffff);
	assert_int_equal(v->save.idtr.base, 0x5000);
	assert_int_equal(v->save.cpl, 0);
	assert_int_equal(v->save.g_pat, 0x0007040600070406ull);
	assert_int_equal(v->save.dr7, 0x400);
	r.ss.attr = 0xc0f3; /* DPL 3 */
	vmcb_load_state(v, &r);
	assert_int_equal(v->save.cpl, 3);
	free(v);
}

static void test_store_state(void **state)
{
	struct vmcb *v = new_vmcb();
	struct vcpu_regs r, out;

	(void)state;
	boot_regs(&r);
	vmcb_load_state(v, &r);
	v->save.cr3 = 0x9000;
	v->save.efer |= 0x500; /* LME, LMA */
	memset(&out, 0xaa, sizeof(out));
	vmcb_store_state(v, &out, 0);
	assert_int_equal(out.cs.attr, 0xc09b);
	assert_int_equal(out.tr.attr, 0x8b);
	assert_int_equal(out.ldtr.attr, SEG_ATTR_UNUSABLE);
	assert_int_equal(out.cr3, 0x9000);
	assert_int_equal(out.efer, 0x500);  /* SVME hidden */
	assert_int_equal(out.rip, 0xaaaaaaaaaaaaaaaaull); /* GPRs, RIP stay the caller's */
	vmcb_store_state(v, &out, 1);
	assert_true(out.efer & EFER_SVME);
	free(v);
}

static void test_events(void **state)
{
	(void)state;
	assert_int_equal(vmcb_event_exception(6, 0, 0), EVENT_VALID | EVENT_TYPE_EXC | 6);
	assert_int_equal(vmcb_event_exception(13, 1, 0x18),
			 EVENT_VALID | EVENT_TYPE_EXC | EVENT_ERR_VALID | 13 | (0x18ull << 32));
	assert_int_equal(vmcb_event_exception(2, 1, 5), EVENT_VALID | EVENT_TYPE_NMI | 2);
	assert_int_equal(vmcb_event_exception(0x30, 1, 5), EVENT_VALID | EVENT_TYPE_INTR | 0x30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_attr_conversion),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_load_state),
		cmocka_unit_test(test_store_state),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
