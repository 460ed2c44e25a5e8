/* Unit tests of the guest CPUID policy. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/cpuid_policy.h"
#include "include/bulwark/hypercall.h"

static void test_leaf1_hides_vmx_and_sets_hypervisor(void **state)
{
	struct cpuid_result r = { 0x000506e3, 0x00100800, 0xffffffff & ~(1u << 31), 0xffffffff };
	(void)state;
	cpuid_filter(1, 0, 2, 4, &r);
	assert_false(r.ecx & (1u << 5));   /* VMX */
	assert_false(r.ecx & (1u << 26));  /* XSAVE */
	assert_true(r.ecx & (1u << 21));   /* x2APIC: the virtual LAPIC has its MSRs */
	assert_true(r.ecx & (1u << 24));   /* TSC-deadline timer mode */
	assert_true(r.ecx & (1u << 31));   /* hypervisor present */
	assert_true(r.ecx & (1u << 0));    /* SSE3 kept */
	assert_true(r.edx & (1u << 9));    /* APIC on chip */
	assert_false(r.edx & (1u << 7));   /* MCE: no machine-check MSRs */
	assert_false(r.edx & (1u << 14));  /* MCA */
	assert_true(r.edx & (1u << 25));   /* SSE kept */
	assert_int_equal(r.eax, 0x000506e3);
	assert_int_equal(r.ebx >> 24, 2);
	assert_int_equal((r.ebx >> 16) & 0xff, 4);
	assert_int_equal(r.ebx & 0xffff, 0x0800);
}

/* The APIC bits come from the virtual platform, not the host: set even where the host lacks them. */
static void test_leaf1_apic_from_the_platform(void **state)
{
	struct cpuid_result r = { 0x000506e3, 0, 0, 0 };
	(void)state;
	cpuid_filter(1, 0, 1, 2, &r);
	assert_int_equal(r.ecx, (1u << 31) | (1u << 24) | (1u << 21));
	assert_int_equal(r.edx, 1u << 9);
	assert_int_equal(r.ebx >> 24, 1); /* initial APIC id = vCPU index = its MADT entry */
}

static void test_svm_hidden(void **state)
{
	struct cpuid_result r = { 0, 0, 0xffffffff, 0xffffffff };
	(void)state;
	cpuid_filter(0x80000001, 0, 0, 1, &r);
	assert_false(r.ecx & (1u << 2));  /* SVM: APM Vol 3 E.4.2 */
	assert_false(r.ecx & (1u << 12)); /* SKINIT */
	assert_true(r.ecx & (1u << 0));   /* LAHF/SAHF kept */
	assert_true(r.edx & (1u << 29)); /* long mode kept */
	assert_false(r.edx & (1u << 27)); /* RDTSCP: TSC_AUX is not switched */
	r = (struct cpuid_result){ 1, 2, 3, 4 };
	cpuid_filter(0x8000000a, 0, 0, 1, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void test_hypervisor_leaves(void **state)
{
	struct cpuid_result r = { 7, 7, 7, 7 };
	char sig[13];
	(void)state;
	assert_true(cpuid_is_hypervisor_leaf(0x40000000));
	assert_true(cpuid_is_hypervisor_leaf(0x400000ff));
	assert_true(cpuid_is_hypervisor_leaf(0x40000100)); /* the paravirtual clock's range (hv_pvclock) */
	cpuid_filter(0x40000000, 0, 0, 1, &r);
	assert_int_equal(r.eax, 0x40000001);
	memcpy(sig, &r.ebx, 4), memcpy(sig + 4, &r.ecx, 4), memcpy(sig + 8, &r.edx, 4);
	sig[12] = 0;
	assert_string_equal(sig, "BulwarkVisor");
	cpuid_filter(0x40000001, 0, 0, 1, &r);
	assert_int_equal(r.eax, HC_ABI_VERSION);
	cpuid_filter(0x40000042, 0, 0, 1, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void test_leaf7_and_xsave(void **state)
{
	struct cpuid_result r = { 0, 0xffffffff, 0xffffffff, 0xffffffff };
	(void)state;
	cpuid_filter(7, 0, 0, 1, &r);
	assert_false(r.ebx & (1u << 5));  /* AVX2 */
	assert_false(r.ebx & (1u << 16)); /* AVX-512F */
	assert_true(r.ebx & (1u << 0));   /* FSGSBASE */
	assert_int_equal(r.ecx | r.edx, 0);
	r = (struct cpuid_result){ 7, 7, 7, 7 };
	cpuid_filter(0xd, 1, 0, 1, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/* APM Vol 3 E.4.7: 80000008h EBX bit 12 IBPB, 14 IBRS, 15 STIBP, 24 SSBD: hidden, since PRED_CMD/SPEC_CTRL give #GP. */
static void test_speculation_controls_hidden(void **state)
{
	struct cpuid_result r = { 0x3030, (1u << 12) | (1u << 14) | (1u << 15) | (1u << 24), 0x1, 0 };
	(void)state;
	cpuid_filter(0x80000008, 0, 0, 1, &r);
	assert_int_equal(r.ebx, 0);
	assert_int_equal(r.eax, 0x3030); /* address sizes stay */
	r = (struct cpuid_result){ 0, 0, 0, (1u << 26) | (1u << 27) | (1u << 29) | (1u << 31) };
	cpuid_filter(7, 0, 0, 1, &r);    /* Intel: IBRS/IBPB, STIBP, ARCH_CAPABILITIES, SSBD */
	assert_int_equal(r.edx, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf1_hides_vmx_and_sets_hypervisor),
		cmocka_unit_test(test_leaf1_apic_from_the_platform),
		cmocka_unit_test(test_svm_hidden),
		cmocka_unit_test(test_hypervisor_leaves),
		cmocka_unit_test(test_leaf7_and_xsave),
		cmocka_unit_test(test_speculation_controls_hidden),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
