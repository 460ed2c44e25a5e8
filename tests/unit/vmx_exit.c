/* Host unit tests of VMX exit decoding: basic reasons to neutral codes, qualifications (SDM Vol 3D C, Vol 3C 28.2.1). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/vmx/vmx_exit.h"

/*
 * Exit reasons are the manual's numbers (SDM Vol 3D Appendix C, Table C-1), never
 * the decoder's own enum: a test that shares the table it checks cannot fail.
 */
#define ENTRY_FAIL (1u << 31) /* SDM Vol 3C 25.9.1: VM-entry failure */

static const struct { uint32_t reason, code; bool insn; } expected[] = {
	{ 1 /* EXTINT */, EXIT_EXTINT, false },
	{ 52 /* PREEMPT */, EXIT_PREEMPT, false },
	{ 2 /* TRIPLE_FAULT */, EXIT_TRIPLE_FAULT, false },
	{ 10 /* CPUID */, EXIT_CPUID, true },
	{ 12 /* HLT */, EXIT_HLT, true },
	{ 7 /* INTERRUPT_WINDOW */, EXIT_INTR_WINDOW, false }, /* SDM Vol 3C 26.7.5: before any instruction */
	{ 8 /* NMI_WINDOW */, EXIT_INTR_WINDOW, false },       /* 26.7.6 */
	{ 30 /* IO */, EXIT_IO, true },
	{ 31 /* RDMSR */, EXIT_MSR_READ, true },
	{ 32 /* WRMSR */, EXIT_MSR_WRITE, true },
	{ 28 /* CR_ACCESS */, EXIT_CR_ACCESS, true },
	{ 48 /* EPT_VIOLATION */, EXIT_MMIO, false },
	{ 49 /* EPT_MISCONFIG */, EXIT_BAD_STATE, false },
	{ 33 /* BAD_GUEST_STATE */, EXIT_BAD_STATE, false },
	{ 34 /* MSR_LOADING */, EXIT_BAD_STATE, false },
	{ 41 /* MACHINE_CHECK */, EXIT_BAD_STATE, false },
	{ 18 /* VMCALL */, EXIT_HYPERCALL, true },
	{ 19 /* VMCLEAR */, EXIT_VIRT_INSN, true },
	{ 20 /* VMLAUNCH */, EXIT_VIRT_INSN, true },
	{ 21 /* VMPTRLD */, EXIT_VIRT_INSN, true },
	{ 22 /* VMPTRST */, EXIT_VIRT_INSN, true },
	{ 23 /* VMREAD */, EXIT_VIRT_INSN, true },
	{ 24 /* VMRESUME */, EXIT_VIRT_INSN, true },
	{ 25 /* VMWRITE */, EXIT_VIRT_INSN, true },
	{ 26 /* VMXOFF */, EXIT_VIRT_INSN, true },
	{ 27 /* VMXON */, EXIT_VIRT_INSN, true },
	{ 50 /* INVEPT */, EXIT_VIRT_INSN, true },
	{ 53 /* INVVPID */, EXIT_VIRT_INSN, true },
	{ 59 /* VMFUNC */, EXIT_VIRT_INSN, true },
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static void decode(uint32_t reason, uint64_t qual, struct vm_exit *e)
{
	struct vmx_exit_info in = { .reason = reason, .qual = qual, .inst_len = 3, .gpa = 0xfee00000ull, .rcx = 0x1234c0000080ull };
	vmx_exit_decode(&in, e);
}

static void test_every_mapped_reason(void **state)
{
	struct vm_exit e;
	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++) {
		uint64_t qual = expected[i].reason == 28 /* CR_ACCESS */ ? 0x304 : 0;
		assert_int_equal(vmx_exit_code(expected[i].reason), expected[i].code);
		decode(expected[i].reason, qual, &e);
		assert_int_equal(e.code, expected[i].code);
		assert_int_equal(e.raw_reason, expected[i].reason);
		assert_int_equal(e.inst_len, expected[i].insn ? 3 : 0);
	}
}

static bool mapped(uint32_t r)
{
	for (size_t i = 0; i < N_EXPECTED; i++)
		if (expected[i].reason == r)
			return true;
	return false;
}

static void test_everything_else_unhandled(void **state)
{
	struct vm_exit e;
	(void)state;
	for (uint32_t r = 0; r < 0x10000; r++) {
		if (mapped(r))
			continue;
		decode(r, 0, &e);
		assert_int_equal(e.code, EXIT_UNHANDLED);
		assert_int_equal(e.raw_reason, r);
		assert_int_equal(e.inst_len, 0);
	}
	assert_int_equal(vmx_exit_code(0xffffffffu), EXIT_UNHANDLED);
}

static void test_entry_failure_bit(void **state)
{
	struct vm_exit e;
	(void)state;
	decode(ENTRY_FAIL | 33 /* BAD_GUEST_STATE */, 0, &e);
	assert_int_equal(e.code, EXIT_BAD_STATE);
	decode(ENTRY_FAIL | 10 /* CPUID */, 0, &e);
	assert_int_equal(e.code, EXIT_BAD_STATE);
	assert_int_equal(e.inst_len, 0);
}

static void test_io_qualification(void **state)
{
	struct vm_exit e;
	(void)state;
	decode(30 /* IO */, (0x3f8ull << 16) | 0x0, &e);   /* OUT dx, al */
	assert_int_equal(e.code, EXIT_IO);
	assert_int_equal(e.u.io.port, 0x3f8);
	assert_int_equal(e.u.io.size, 1);
	assert_false(e.u.io.in);
	assert_false(e.u.io.string);
	assert_false(e.u.io.rep);
	decode(30 /* IO */, (0xcfcull << 16) | 0x3 | 0x8, &e); /* IN eax, dx */
	assert_int_equal(e.u.io.port, 0xcfc);
	assert_int_equal(e.u.io.size, 4);
	assert_true(e.u.io.in);
	decode(30 /* IO */, (0xffffull << 16) | 0x1 | 0x10 | 0x20 | 0x40, &e); /* REP OUTSW, immediate operand bit */
	assert_int_equal(e.u.io.port, 0xffff);
	assert_int_equal(e.u.io.size, 2);
	assert_true(e.u.io.string);
	assert_true(e.u.io.rep);
	assert_false(e.u.io.in);
}

static void test_io_impossible_size(void **state)
{
	struct vm_exit e;
	(void)state;
	for (uint64_t s = 0; s < 8; s++) {
		decode(30 /* IO */, (0x80ull << 16) | s, &e);
		assert_int_equal(e.code, (s == 0 || s == 1 || s == 3) ? EXIT_IO : EXIT_UNHANDLED);
	}
}

static void test_msr_index_from_rcx(void **state)
{
	struct vm_exit e;
	(void)state;
	decode(31 /* RDMSR */, 0, &e);
	assert_int_equal(e.u.msr.index, 0xc0000080u); /* ECX only: bits 63:32 of RCX ignored */
	decode(32 /* WRMSR */, 0, &e);
	assert_int_equal(e.code, EXIT_MSR_WRITE);
	assert_int_equal(e.u.msr.index, 0xc0000080u);
}

static void test_cr_qualification(void **state)
{
	struct vm_exit e;
	(void)state;
	decode(28 /* CR_ACCESS */, 0x304, &e); /* MOV CR4, rbx */
	assert_int_equal(e.code, EXIT_CR_ACCESS);
	assert_int_equal(e.u.cr.cr, 4);
	assert_true(e.u.cr.write);
	assert_int_equal(e.u.cr.gpr, 3);
	decode(28 /* CR_ACCESS */, 0xf13, &e); /* MOV r15, CR3 */
	assert_int_equal(e.u.cr.cr, 3);
	assert_false(e.u.cr.write);
	assert_int_equal(e.u.cr.gpr, 15);
	decode(28 /* CR_ACCESS */, 0x20, &e); /* CLTS */
	assert_int_equal(e.code, EXIT_UNHANDLED);
	decode(28 /* CR_ACCESS */, 0x30, &e); /* LMSW */
	assert_int_equal(e.code, EXIT_UNHANDLED);
}

static void test_ept_violation(void **state)
{
	struct vm_exit e;
	(void)state;
	decode(48 /* EPT_VIOLATION */, 0x182, &e); /* data write */
	assert_int_equal(e.code, EXIT_MMIO);
	assert_int_equal(e.u.mmio.gpa, 0xfee00000ull);
	assert_true(e.u.mmio.write);
	assert_false(e.u.mmio.fetch);
	decode(48 /* EPT_VIOLATION */, 0x84, &e); /* instruction fetch */
	assert_false(e.u.mmio.write);
	assert_true(e.u.mmio.fetch);
	assert_int_equal(e.qual, 0x84);
}

static void test_nmi_and_exceptions(void **state)
{
	struct vmx_exit_info in = { .reason = 0 /* EXCEPTION_NMI */, .intr_info = INTR_INFO_VALID | (INTR_TYPE_NMI << 8) | 2 };
	struct vm_exit e;
	(void)state;
	vmx_exit_decode(&in, &e);
	assert_int_equal(e.code, EXIT_EXTINT);
	assert_int_equal(e.u.extint.vector, 2);
	in.intr_info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) | 14;
	vmx_exit_decode(&in, &e);
	assert_int_equal(e.code, EXIT_UNHANDLED);
}

static void test_bogus_instruction_length(void **state)
{
	struct vmx_exit_info in = { .reason = 10 /* CPUID */, .inst_len = 0x1000 };
	struct vm_exit e;
	(void)state;
	vmx_exit_decode(&in, &e);
	assert_int_equal(e.code, EXIT_CPUID);
	assert_int_equal(e.inst_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_mapped_reason),
		cmocka_unit_test(test_everything_else_unhandled),
		cmocka_unit_test(test_entry_failure_bit),
		cmocka_unit_test(test_io_qualification),
		cmocka_unit_test(test_io_impossible_size),
		cmocka_unit_test(test_msr_index_from_rcx),
		cmocka_unit_test(test_cr_qualification),
		cmocka_unit_test(test_ept_violation),
		cmocka_unit_test(test_nmi_and_exceptions),
		cmocka_unit_test(test_bogus_instruction_length),
	};
	return cmocka_run_group_tests_name("vmx_exit", tests, NULL, NULL);
}
