/* Unit tests of the exit dispatch table: every neutral exit reaches its handler, nothing falls through. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/exit.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/intr.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"
#include "kernel/time.h"

/* Stubs standing in for the rest of the hypervisor, recording what the handlers did. */
static const char *last_handler;
static uint32_t last_end_op = 99;
static char last_reason[160];
static int injected_vector = -1;

#define STUB(name) \
	enum exit_action name(struct vcpu *v, const struct vm_exit *e) { (void)v, (void)e; last_handler = #name; return EXIT_RESUME; }
STUB(exit_cpuid)
STUB(exit_io)
STUB(exit_msr_read)
STUB(exit_msr_write)
STUB(exit_hypercall)
STUB(exit_cr)
STUB(exit_mmio)

void vm_end(struct vm *vm, uint32_t op, const char *fmt, ...)
{
	va_list ap;
	(void)vm;
	last_end_op = op;
	va_start(ap, fmt);
	vsnprintf(last_reason, sizeof(last_reason), fmt, ap);
	va_end(ap);
}

uint64_t time_ns(void) { return 1000; }

/* hypervisor/intr.c has its own test (tests/unit/intr.c): here, the longest sleep. */
void intr_halt(struct vcpu *v, uint64_t max_ns)
{
	v->halted_until_ns = time_ns() + max_ns;
}

static void inject(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	(void)v, (void)has_error, (void)error;
	injected_vector = vector;
}

static const struct virt_ops fake_ops = { .name = "fake", .inject_exception = inject };
const struct virt_ops *virt_ops_get(void) { return &fake_ops; }

static struct vm vm;
static struct vcpu *vcpu0(void)
{
	memset(&vm, 0, sizeof(vm));
	vm.vcpus[0].vm = &vm;
	last_handler = NULL, last_end_op = 99, injected_vector = -1, last_reason[0] = 0;
	return &vm.vcpus[0];
}

static void test_routes_to_device_handlers(void **state)
{
	static const struct { uint32_t code; const char *handler; } cases[] = {
		{ EXIT_CPUID, "exit_cpuid" }, { EXIT_IO, "exit_io" }, { EXIT_MSR_READ, "exit_msr_read" },
		{ EXIT_MSR_WRITE, "exit_msr_write" }, { EXIT_HYPERCALL, "exit_hypercall" }, { EXIT_CR_ACCESS, "exit_cr" },
		{ EXIT_MMIO, "exit_mmio" }, /* with the emulator: tests/unit/emul_mmio.c */
	};
	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vm_exit e = { .code = cases[i].code };
		vcpu0();
		assert_int_equal(exit_dispatch(&vm.vcpus[0], &e), EXIT_RESUME);
		assert_string_equal(last_handler, cases[i].handler);
	}
}

/*
 * What each neutral exit must do, written from what the exit means (exit.h), not
 * read from the table: a host interrupt or the end of a slice gives the CPU back,
 * an exit a device handles resumes the guest, a fault of the guest's making stops
 * it. The vCPU has interrupts on (HLT sleeps) and a VMX/SVM instruction is #UD.
 * A new exit code needs a row here.
 */
static const struct {
	uint32_t code;
	enum exit_action action;
	const char *handler; /* the stub that must have run, or NULL */
	bool crashes;        /* the VM ends as crashed */
} expected_actions[] = {
	{ EXIT_NONE, EXIT_RESUME, NULL, false },
	{ EXIT_PREEMPT, EXIT_YIELD, NULL, false },
	{ EXIT_EXTINT, EXIT_YIELD, NULL, false },
	{ EXIT_CPUID, EXIT_RESUME, "exit_cpuid", false },
	{ EXIT_HLT, EXIT_YIELD, NULL, false },
	{ EXIT_IO, EXIT_RESUME, "exit_io", false },
	{ EXIT_MSR_READ, EXIT_RESUME, "exit_msr_read", false },
	{ EXIT_MSR_WRITE, EXIT_RESUME, "exit_msr_write", false },
	{ EXIT_CR_ACCESS, EXIT_RESUME, "exit_cr", false },
	{ EXIT_MMIO, EXIT_RESUME, "exit_mmio", false }, /* the emulator decides: tests/unit/emul_mmio.c */
	{ EXIT_HYPERCALL, EXIT_RESUME, "exit_hypercall", false },
	{ EXIT_VIRT_INSN, EXIT_RESUME, NULL, false },
	{ EXIT_TRIPLE_FAULT, EXIT_CRASH_VM, NULL, true },
	{ EXIT_BAD_STATE, EXIT_CRASH_VM, NULL, true },
	{ EXIT_UNHANDLED, EXIT_CRASH_VM, NULL, true },
	{ EXIT_INTR_WINDOW, EXIT_RESUME, NULL, false }, /* the next entry injects: tests/unit/intr.c */
};

static void test_every_code_has_a_name_and_its_action(void **state)
{
	(void)state;
	for (uint32_t c = 0; c < EXIT_CODE_COUNT; c++) {
		struct vm_exit e = { .code = c };
		unsigned i = 0;

		while (i < sizeof(expected_actions) / sizeof(expected_actions[0]) && expected_actions[i].code != c)
			i++;
		if (i == sizeof(expected_actions) / sizeof(expected_actions[0]))
			fail_msg("exit code %u (%s) has no row in expected_actions", c, exit_code_name(c));
		assert_string_not_equal(exit_code_name(c), "?");
		vcpu0();
		vm.vcpu_count = 1;
		vm.vcpus[0].regs.rflags = 0x202;
		enum exit_action got = exit_dispatch(&vm.vcpus[0], &e);
		if (got != expected_actions[i].action)
			fail_msg("exit %s: action %d, expected %d (%s)", exit_code_name(c), got, expected_actions[i].action,
				 last_reason);
		if (expected_actions[i].handler)
			assert_string_equal(last_handler, expected_actions[i].handler);
		assert_int_equal(last_end_op, expected_actions[i].crashes ? VM_OP_CRASH : 99);
		assert_int_equal(injected_vector, c == EXIT_VIRT_INSN ? 6 : -1); /* #UD */
	}
	assert_string_equal(exit_code_name(EXIT_CODE_COUNT), "?");
}

static void test_out_of_range_is_unhandled(void **state)
{
	struct vm_exit e = { .code = 12345, .raw_reason = 0x77 };
	(void)state;
	vcpu0();
	assert_int_equal(exit_dispatch(&vm.vcpus[0], &e), EXIT_CRASH_VM);
	assert_int_equal(last_end_op, VM_OP_CRASH);
	assert_non_null(strstr(last_reason, "0x77"));
}

static void test_hlt(void **state)
{
	struct vm_exit e = { .code = EXIT_HLT, .inst_len = 1 };
	struct vcpu *v;
	(void)state;
	v = vcpu0();
	v->regs.rip = 0x1000;
	v->regs.rflags = 0x202; /* IF set: sleep */
	assert_int_equal(exit_dispatch(v, &e), EXIT_YIELD);
	assert_int_equal(v->regs.rip, 0x1001);
	assert_true(v->halted_until_ns > 1000);
	assert_int_equal(last_end_op, 99);
	v = vcpu0();
	vm.vcpu_count = 1;
	v->regs.rflags = 0x2; /* IF clear on the only vCPU: the VM has ended */
	assert_int_equal(exit_dispatch(v, &e), EXIT_STOP_VM);
	assert_int_equal(last_end_op, VM_OP_STOP);
}

/* With two vCPUs, the first to halt with interrupts off is parked; the VM ends with the second. */
static void test_hlt_parks_until_the_last(void **state)
{
	struct vm_exit e = { .code = EXIT_HLT, .inst_len = 1 };
	struct vcpu *v0 = vcpu0(), *v1 = &vm.vcpus[1];
	(void)state;
	vm.vcpu_count = 2;
	v1->vm = &vm;
	v0->regs.rflags = v1->regs.rflags = 0x2;
	assert_int_equal(exit_dispatch(v1, &e), EXIT_YIELD);
	assert_int_equal(v1->halted_until_ns, VCPU_PARKED);
	assert_int_equal(last_end_op, 99);
	assert_int_equal(exit_dispatch(v0, &e), EXIT_STOP_VM);
	assert_int_equal(last_end_op, VM_OP_STOP);
}

static void test_faults_and_attacks(void **state)
{
	struct vm_exit e = { .code = EXIT_VIRT_INSN, .inst_len = 3 };
	(void)state;
	vcpu0();
	assert_int_equal(exit_dispatch(&vm.vcpus[0], &e), EXIT_RESUME);
	assert_int_equal(injected_vector, 6); /* #UD */
	assert_int_equal(vm.vcpus[0].regs.rip, 0); /* the faulting instruction is not skipped */
	e = (struct vm_exit){ .code = EXIT_TRIPLE_FAULT };
	vcpu0();
	assert_int_equal(exit_dispatch(&vm.vcpus[0], &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "triple"));
	e = (struct vm_exit){ .code = EXIT_BAD_STATE, .raw_reason = 0x80000021 };
	vcpu0();
	assert_int_equal(exit_dispatch(&vm.vcpus[0], &e), EXIT_CRASH_VM);
	e = (struct vm_exit){ .code = EXIT_PREEMPT };
	vcpu0();
	assert_int_equal(exit_dispatch(&vm.vcpus[0], &e), EXIT_YIELD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_to_device_handlers),
		cmocka_unit_test(test_every_code_has_a_name_and_its_action),
		cmocka_unit_test(test_out_of_range_is_unhandled),
		cmocka_unit_test(test_hlt),
		cmocka_unit_test(test_hlt_parks_until_the_last),
		cmocka_unit_test(test_faults_and_attacks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
