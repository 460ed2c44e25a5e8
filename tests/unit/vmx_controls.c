/* Host unit tests of VMX control derivation from capability MSR values (SDM Vol 3D A.3-A.5). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/vmx/controls.h"
#include "hypervisor/vmx/vmx_msr.h"

/*
 * Control bits as the manual numbers them, not as controls.h does: a test that shares
 * the constants it checks cannot fail. SDM Vol 3C 25.6.1 (pin-based, Table 25-5),
 * 25.6.2 (primary and secondary processor-based, Tables 25-6 and 25-7), 25.7.1 (exit,
 * Table 25-13), 25.8.1 (entry, Table 25-15); IA32_VMX_BASIC bit 55, Vol 3D A.1.
 */
#define SDM_PIN_EXTINT_EXITING (1u << 0)
#define SDM_PIN_NMI_EXITING (1u << 3)
#define SDM_PIN_VIRTUAL_NMIS (1u << 5)
#define SDM_PIN_PREEMPTION_TIMER (1u << 6)
#define SDM_PROC_HLT_EXITING (1u << 7)
#define SDM_PROC_CR3_LOAD_EXITING (1u << 15)
#define SDM_PROC_CR3_STORE_EXITING (1u << 16)
#define SDM_PROC_UNCOND_IO_EXITING (1u << 24)
#define SDM_PROC_USE_IO_BITMAPS (1u << 25)
#define SDM_PROC_USE_MSR_BITMAPS (1u << 28)
#define SDM_PROC_SECONDARY (1u << 31)
#define SDM_PROC2_EPT (1u << 1)
#define SDM_PROC2_RDTSCP (1u << 3)
#define SDM_PROC2_VPID (1u << 5)
#define SDM_PROC2_UNRESTRICTED (1u << 7)
#define SDM_PROC2_INVPCID (1u << 12)
#define SDM_PROC2_XSAVES (1u << 20)
#define SDM_EXIT_CTL_HOST_64 (1u << 9)
#define SDM_EXIT_CTL_ACK_INTR (1u << 15)
#define SDM_ENTRY_CTL_IA32E_GUEST (1u << 9)
#define SDM_ENTRY_CTL_LOAD_PAT (1u << 14)
#define SDM_ENTRY_CTL_LOAD_EFER (1u << 15)
#define SDM_BASIC_TRUE_CTLS (1ull << 55)

/* Capability values as a Skylake server reports them. */
static const struct vmx_caps skylake = {
	.basic = 0x00da040000000004ull,
	.pin = 0x0000007f00000016ull,
	.proc = 0xfff9fffe0401e172ull,
	.proc2 = 0x00117fff00000000ull,
	.exit = 0x01ffffff00036dffull,
	.entry = 0x0003ffff000011ffull,
	.true_pin = 0x0000007f00000016ull,
	.true_proc = 0xfff9fffe04006172ull,
	.true_exit = 0x01ffffff00036dfbull,
	.true_entry = 0x0003ffff000011fbull,
	.ept_vpid = 0x00000f0106734141ull,
};

static void test_adjust_forces_allowed0_and_masks_allowed1(void **state)
{
	uint32_t r = 0;
	(void)state;
	assert_int_equal(vmx_adjust_controls(0x000000ff00000011ull, 0x2, &r), 0);
	assert_int_equal(r, 0x13);
	assert_int_equal(vmx_adjust_controls(0xffffffff00000000ull, 0, &r), 0);
	assert_int_equal(r, 0);
}

static void test_adjust_required_bit_not_allowed(void **state)
{
	uint32_t r = 0xdead;
	(void)state;
	assert_int_equal(vmx_adjust_controls(0x0000000f00000000ull, 0x10, &r), -1);
	assert_int_equal(r, 0xdead); /* untouched on failure */
}

static void test_optional_takes_only_allowed(void **state)
{
	(void)state;
	assert_int_equal(vmx_optional_controls(0x0000004000000000ull, SDM_PIN_PREEMPTION_TIMER | SDM_PIN_VIRTUAL_NMIS), SDM_PIN_PREEMPTION_TIMER);
	assert_int_equal(vmx_optional_controls(0, SDM_PIN_PREEMPTION_TIMER), 0);
}

static void test_derive_true_msrs(void **state)
{
	struct vmx_controls c;
	char err[160] = "";
	(void)state;
	assert_int_equal(vmx_derive_controls(&skylake, false, &c, err, sizeof(err)), 0);
	assert_true(c.pin & SDM_PIN_EXTINT_EXITING);
	assert_true(c.pin & SDM_PIN_NMI_EXITING);
	assert_true(c.pin & SDM_PIN_PREEMPTION_TIMER);
	assert_true(c.preemption_timer);
	assert_true(c.proc & SDM_PROC_HLT_EXITING);
	assert_true(c.proc & SDM_PROC_USE_IO_BITMAPS);
	assert_true(c.proc & SDM_PROC_USE_MSR_BITMAPS);
	assert_true(c.proc & SDM_PROC_SECONDARY);
	assert_false(c.proc & SDM_PROC_UNCOND_IO_EXITING);
	/* TRUE_PROCBASED lets CR3-load/store exiting be 0 */
	assert_false(c.proc & (SDM_PROC_CR3_LOAD_EXITING | SDM_PROC_CR3_STORE_EXITING));
	assert_int_equal(c.proc2 & (SDM_PROC2_EPT | SDM_PROC2_VPID | SDM_PROC2_UNRESTRICTED | SDM_PROC2_RDTSCP | SDM_PROC2_INVPCID | SDM_PROC2_XSAVES),
			 SDM_PROC2_EPT | SDM_PROC2_VPID | SDM_PROC2_UNRESTRICTED | SDM_PROC2_RDTSCP | SDM_PROC2_INVPCID | SDM_PROC2_XSAVES);
	assert_true(c.exit & SDM_EXIT_CTL_HOST_64);
	assert_false(c.exit & SDM_EXIT_CTL_ACK_INTR);
	assert_int_equal(c.exit & 0x3c0000u, 0x3c0000u); /* save/load PAT and EFER */
	assert_int_equal(c.entry & (SDM_ENTRY_CTL_LOAD_EFER | SDM_ENTRY_CTL_LOAD_PAT), SDM_ENTRY_CTL_LOAD_EFER | SDM_ENTRY_CTL_LOAD_PAT);
	assert_false(c.entry & SDM_ENTRY_CTL_IA32E_GUEST);
	assert_false(c.exit & (1u << 2)); /* TRUE_EXIT allows "save debug controls" = 0 */
}

static void test_derive_non_true_msrs(void **state)
{
	struct vmx_caps caps = skylake;
	struct vmx_controls c;
	char err[160] = "";
	(void)state;
	caps.basic &= ~SDM_BASIC_TRUE_CTLS;
	caps.true_proc = 0; /* must not be read */
	assert_int_equal(vmx_derive_controls(&caps, false, &c, err, sizeof(err)), 0);
	/* without TRUE MSRs the default-1 CR3 exits stay forced on */
	assert_int_equal(c.proc & (SDM_PROC_CR3_LOAD_EXITING | SDM_PROC_CR3_STORE_EXITING), SDM_PROC_CR3_LOAD_EXITING | SDM_PROC_CR3_STORE_EXITING);
	assert_true(c.exit & (1u << 2));
}

static void test_derive_long_mode_guest(void **state)
{
	struct vmx_controls c;
	char err[160];
	(void)state;
	assert_int_equal(vmx_derive_controls(&skylake, true, &c, err, sizeof(err)), 0);
	assert_true(c.entry & SDM_ENTRY_CTL_IA32E_GUEST);
}

static void test_derive_needs_unrestricted_guest(void **state)
{
	struct vmx_caps caps = skylake;
	struct vmx_controls c;
	char err[160] = "";
	(void)state;
	caps.proc2 &= ~((uint64_t)SDM_PROC2_UNRESTRICTED << 32);
	assert_int_equal(vmx_derive_controls(&caps, false, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unrestricted guest"));
}

static void test_derive_needs_ept(void **state)
{
	struct vmx_caps caps = skylake;
	struct vmx_controls c;
	char err[160] = "";
	(void)state;
	caps.proc2 &= ~((uint64_t)SDM_PROC2_EPT << 32);
	assert_int_equal(vmx_derive_controls(&caps, false, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "secondary"));
}

static void test_derive_required_pin_missing(void **state)
{
	struct vmx_caps caps = skylake;
	struct vmx_controls c;
	char err[160] = "";
	(void)state;
	caps.true_pin &= ~((uint64_t)SDM_PIN_NMI_EXITING << 32);
	assert_int_equal(vmx_derive_controls(&caps, false, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pin-based"));
}

static void test_derive_without_optional_features(void **state)
{
	struct vmx_caps caps = skylake;
	struct vmx_controls c;
	char err[160];
	(void)state;
	caps.true_pin &= ~((uint64_t)SDM_PIN_PREEMPTION_TIMER << 32);
	caps.proc2 &= ~((uint64_t)(SDM_PROC2_VPID | SDM_PROC2_XSAVES) << 32);
	assert_int_equal(vmx_derive_controls(&caps, false, &c, err, sizeof(err)), 0);
	assert_false(c.preemption_timer);
	assert_false(c.pin & SDM_PIN_PREEMPTION_TIMER);
	assert_false(c.proc2 & (SDM_PROC2_VPID | SDM_PROC2_XSAVES));
}

static void test_derive_refuses_forced_ack_interrupt(void **state)
{
	struct vmx_caps caps = skylake;
	struct vmx_controls c;
	char err[160] = "";
	(void)state;
	caps.true_exit |= SDM_EXIT_CTL_ACK_INTR;
	assert_int_equal(vmx_derive_controls(&caps, false, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "acknowledge"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjust_forces_allowed0_and_masks_allowed1),
		cmocka_unit_test(test_adjust_required_bit_not_allowed),
		cmocka_unit_test(test_optional_takes_only_allowed),
		cmocka_unit_test(test_derive_true_msrs),
		cmocka_unit_test(test_derive_non_true_msrs),
		cmocka_unit_test(test_derive_long_mode_guest),
		cmocka_unit_test(test_derive_needs_unrestricted_guest),
		cmocka_unit_test(test_derive_needs_ept),
		cmocka_unit_test(test_derive_required_pin_missing),
		cmocka_unit_test(test_derive_without_optional_features),
		cmocka_unit_test(test_derive_refuses_forced_ack_interrupt),
	};
	return cmocka_run_group_tests_name("vmx_controls", tests, NULL, NULL);
}
