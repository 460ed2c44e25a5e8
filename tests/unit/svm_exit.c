/* Host unit tests of #VMEXIT translation: neutral codes, instruction lengths, I/O, MSR and NPF details. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/svm/svm_exit.h"

static struct vmcb vmcb;

static struct vm_exit run(uint64_t code, uint64_t info1, uint64_t info2, bool nrip_save)
{
	struct vm_exit e;

	memset(&e, 0xee, sizeof(e));
	vmcb.ctl.exitcode = code;
	vmcb.ctl.exitinfo1 = info1;
	vmcb.ctl.exitinfo2 = info2;
	svm_exit_translate(&vmcb, 0x1234c0000080ull, nrip_save, &e);
	return e;
}

static void check(uint64_t code, uint32_t neutral, uint32_t len)
{
	struct vm_exit e = run(code, 0, 0, false);

	assert_int_equal(e.code, neutral);
	assert_int_equal(e.inst_len, len);
	assert_int_equal(e.raw_reason, code);
}

static void test_instruction_exits(void **state)
{
	(void)state;
	vmcb.save.rip = 0x1000;
	check(0x72, EXIT_CPUID, 2);
	check(0x78, EXIT_HLT, 1);
	check(0x81, EXIT_HYPERCALL, 3);
	for (uint64_t c = 0x80; c <= 0x86; c++)
		check(c, c == 0x81 ? EXIT_HYPERCALL : EXIT_VIRT_INSN, 3);
	check(0x7a, EXIT_VIRT_INSN, 3);   /* INVLPGA */
	check(0x76, EXIT_UNHANDLED, 2);   /* INVD */
	check(0x8d, EXIT_UNHANDLED, 3);   /* XSETBV */
}

static void test_event_exits(void **state)
{
	(void)state;
	check(0x60, EXIT_EXTINT, 0);
	check(0x61, EXIT_EXTINT, 0);
	assert_int_equal(run(0x61, 0, 0, false).u.extint.vector, 2);
	check(0x7f, EXIT_TRIPLE_FAULT, 0);
	check(0x64, EXIT_INTR_WINDOW, 0); /* VINTR: the virtual interrupt could be taken (APM Vol 2 15.21.4) */
	check(0x74, EXIT_INTR_WINDOW, 0); /* IRET, before it executes: the NMI window */
	check(SVM_EXIT_INVALID, EXIT_BAD_STATE, 0);
}

static void test_unknown_exits(void **state)
{
	(void)state;
	check(0x00, EXIT_UNHANDLED, 0);          /* CR0 read: not intercepted */
	check(0x4e, EXIT_UNHANDLED, 0);          /* #PF */
	check(0x62, EXIT_UNHANDLED, 0);          /* SMI */
	check(0x8f, EXIT_UNHANDLED, 0);
	check(0x99, EXIT_UNHANDLED, 0);
	check(0x401, EXIT_UNHANDLED, 0);
	check(0xfffffffffffffffeull, EXIT_UNHANDLED, 0); /* VMEXIT_BUSY */
	check(0x123456789ull, EXIT_UNHANDLED, 0);
}

static void test_io(void **state)
{
	struct vm_exit e;

	(void)state;
	vmcb.save.rip = 0x2000;
	e = run(0x7b, (0x3f8ull << 16) | IOIO_SZ8, 0x2001, false);        /* out dx, al */
	assert_int_equal(e.code, EXIT_IO);
	assert_int_equal(e.u.io.port, 0x3f8);
	assert_int_equal(e.u.io.size, 1);
	assert_false(e.u.io.in);
	assert_false(e.u.io.string);
	assert_int_equal(e.inst_len, 1);
	e = run(0x7b, (0xcfcull << 16) | IOIO_SZ32 | IOIO_IN, 0x2002, false); /* in eax, 0xcfc with prefix */
	assert_true(e.u.io.in);
	assert_int_equal(e.u.io.size, 4);
	assert_int_equal(e.inst_len, 2);
	e = run(0x7b, (0x60ull << 16) | IOIO_SZ16 | IOIO_STR | IOIO_REP, 0x2003, true);
	assert_int_equal(e.u.io.size, 2);
	assert_true(e.u.io.string && e.u.io.rep);
	assert_int_equal(e.inst_len, 3);
	e = run(0x7b, IOIO_SZ8, 0x1000, false); /* nonsense next RIP */
	assert_int_equal(e.inst_len, 0);
}

static void test_msr(void **state)
{
	struct vm_exit e;

	(void)state;
	e = run(0x7c, 0, 0, false);
	assert_int_equal(e.code, EXIT_MSR_READ);
	assert_int_equal(e.u.msr.index, 0xc0000080);
	assert_int_equal(e.inst_len, 2);
	e = run(0x7c, 1, 0, false);
	assert_int_equal(e.code, EXIT_MSR_WRITE);
}

static void test_npf(void **state)
{
	struct vm_exit e;

	(void)state;
	e = run(0x400, NPF_WRITE | 1 | (1ull << 32), 0xfee00030, false);
	assert_int_equal(e.code, EXIT_MMIO);
	assert_int_equal(e.u.mmio.gpa, 0xfee00030);
	assert_true(e.u.mmio.write);
	assert_false(e.u.mmio.fetch);
	assert_int_equal(e.inst_len, 0);
	e = run(0x400, NPF_FETCH, 0x80000000, false);
	assert_true(e.u.mmio.fetch);
	assert_false(e.u.mmio.write);
	assert_int_equal(e.qual, NPF_FETCH);
}

static void test_nrip(void **state)
{
	(void)state;
	vmcb.save.rip = 0x3000;
	vmcb.ctl.nrip = 0x3003; /* CPUID with a prefix */
	assert_int_equal(run(0x72, 0, 0, true).inst_len, 3);
	assert_int_equal(run(0x72, 0, 0, false).inst_len, 2);
	vmcb.ctl.nrip = 0x3000; /* not filled in: fall back to the encoding */
	assert_int_equal(run(0x78, 0, 0, true).inst_len, 1);
	vmcb.ctl.nrip = 0x9000;
	assert_int_equal(run(0x81, 0, 0, true).inst_len, 3);
	assert_int_equal(run(0x60, 0, 0, true).inst_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instruction_exits),
		cmocka_unit_test(test_event_exits),
		cmocka_unit_test(test_unknown_exits),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_msr),
		cmocka_unit_test(test_npf),
		cmocka_unit_test(test_nrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
