/* Host unit tests of interrupt delivery (hypervisor/intr.c): LAPIC model -> backend, HLT sleep, SIPI start. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/vplatform.h"
#include "hypervisor/gmem.h"
#include "hypervisor/intr.h"
#include "hypervisor/pv_eoi.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"
#include "kernel/sched.h"
#include "kernel/time.h"

/* Register offsets of SDM Vol 3A Table 11-1. */
enum { TPR = 0x80, SVR = 0xf0, ISR0 = 0x100, IRR0 = 0x200 };

#define TSC_HZ 1000000000ull
#define NOW 5000000000ull

/* The fake backend: whether the guest can take an event, and what the neutral layer asked of it. */
static bool allow_intr, allow_nmi;
static int injected, injected_nmi, windows, nmi_windows, woken;
static uint64_t next_event = UINT64_MAX;

static bool fake_allowed(struct vcpu *v, bool nmi)
{
	(void)v;
	return nmi ? allow_nmi : allow_intr;
}

static void fake_inject(struct vcpu *v, uint8_t vector, bool nmi)
{
	(void)v;
	if (nmi)
		injected_nmi++;
	else
		injected = vector;
}

static void fake_window(struct vcpu *v, bool nmi)
{
	(void)v;
	if (nmi)
		nmi_windows++;
	else
		windows++;
}

static const struct virt_ops fake_ops = {
	.name = "fake", .event_allowed = fake_allowed, .inject_event = fake_inject, .request_window = fake_window,
};
const struct virt_ops *virt_ops_get(void) { return &fake_ops; }
uint64_t time_ns(void) { return NOW; }
void vplatform_tick(struct vm *vm) { (void)vm; }
uint64_t vplatform_next_event_ns(struct vm *vm) { (void)vm; return next_event; }
void sched_wake_vcpu(struct vcpu *v) { (void)v; woken++; }

/* Guest RAM for the paravirtual EOI: 4 KiB at guest-physical 0x1000. */
#define RAM_GPA 0x1000u
static uint8_t ram[4096] __attribute__((aligned(8)));
void *gmem_hva(struct vm *vm, uint64_t gpa, size_t len)
{
	(void)vm;
	return gpa >= RAM_GPA && gpa + len <= RAM_GPA + sizeof(ram) ? ram + (gpa - RAM_GPA) : NULL;
}

static struct vm vm;
static struct vplatform plat;

static void on_notify(void *ctx, uint32_t index)
{
	(void)ctx;
	intr_notify(&vm.vcpus[index]);
}

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&plat, 0, sizeof(plat));
	vm.vcpu_count = 2;
	vm.plat = &plat;
	plat.vm = &vm;
	plat.bus.count = 2;
	plat.bus.notify = on_notify;
	for (uint32_t i = 0; i < 2; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].index = i;
		vlapic_reset(&plat.lapic[i], i, i == 0, TSC_HZ, &plat.bus);
		plat.bus.lapic[i] = &plat.lapic[i];
		vlapic_mmio_write(&plat.lapic[i], SVR, 4, 0x1ff, NOW, NOW); /* software-enabled (11.4.7.2) */
	}
	allow_intr = allow_nmi = true;
	injected = -1, injected_nmi = windows = nmi_windows = woken = 0;
	next_event = UINT64_MAX;
	return 0;
}

static bool bit(struct vlapic *l, uint32_t base, unsigned vector)
{
	return vlapic_mmio_read(l, base + 0x10 * (vector / 32), 4, NOW, NOW) & (1u << (vector % 32));
}

/* An accepted vector the guest can take is injected and moves from IRR to ISR (SDM Vol 3A 11.8.4). */
static void test_injects_and_acks(void **state)
{
	struct vlapic *l = &plat.lapic[0];
	(void)state;
	vlapic_accept_fixed(l, 0x31, false);
	assert_int_equal(intr_before_entry(&vm.vcpus[0]), UINT64_MAX);
	assert_int_equal(injected, 0x31);
	assert_false(bit(l, IRR0, 0x31));
	assert_true(bit(l, ISR0, 0x31));
	assert_int_equal(windows, 0);
}

/* RFLAGS.IF clear or a shadow: the vector stays requested and the window exit is asked for. */
static void test_blocked_asks_for_window(void **state)
{
	struct vlapic *l = &plat.lapic[0];
	(void)state;
	allow_intr = false;
	vlapic_accept_fixed(l, 0x40, false);
	intr_before_entry(&vm.vcpus[0]);
	assert_int_equal(injected, -1);
	assert_int_equal(windows, 1);
	assert_true(bit(l, IRR0, 0x40));
	allow_intr = true; /* the window exit came: the next entry delivers */
	intr_before_entry(&vm.vcpus[0]);
	assert_int_equal(injected, 0x40);
}

/* The highest priority class goes first; one at or below the task priority waits, without a window (11.8.3). */
static void test_priority_and_tpr(void **state)
{
	struct vlapic *l = &plat.lapic[0];
	(void)state;
	vlapic_mmio_write(l, TPR, 4, 0x60, NOW, NOW);
	vlapic_accept_fixed(l, 0x35, false);
	intr_before_entry(&vm.vcpus[0]);
	assert_int_equal(injected, -1);
	assert_int_equal(windows, 0);
	vlapic_accept_fixed(l, 0x81, false);
	vlapic_accept_fixed(l, 0x72, false);
	intr_before_entry(&vm.vcpus[0]);
	assert_int_equal(injected, 0x81);
	/* 0x72 is below the in-service 0x81's class: not before its EOI */
	injected = -1;
	intr_before_entry(&vm.vcpus[0]);
	assert_int_equal(injected, -1);
}

/* An NMI goes before any vector, and waits for its own window when NMIs are blocked. */
static void test_nmi_first(void **state)
{
	struct vlapic *l = &plat.lapic[1];
	(void)state;
	vlapic_accept_fixed(l, 0x50, false);
	vlapic_accept_nmi(l);
	allow_nmi = false;
	intr_before_entry(&vm.vcpus[1]);
	assert_int_equal(nmi_windows, 1);
	assert_int_equal(injected_nmi, 0);
	assert_int_equal(injected, -1);
	allow_nmi = true;
	intr_before_entry(&vm.vcpus[1]);
	assert_int_equal(injected_nmi, 1);
	assert_false(l->nmi_pending);
	intr_before_entry(&vm.vcpus[1]);
	assert_int_equal(injected, 0x50);
}

/* The VM's next timer event bounds the slice: its distance from now comes back. */
static void test_next_event_distance(void **state)
{
	(void)state;
	next_event = NOW + 250000;
	assert_int_equal(intr_before_entry(&vm.vcpus[0]), 250000);
	next_event = NOW - 5;
	assert_int_equal(intr_before_entry(&vm.vcpus[0]), 0);
}

/* HLT with IF set sleeps until the next timer event or the cap, and not at all with an interrupt waiting. */
static void test_halt(void **state)
{
	struct vcpu *v = &vm.vcpus[0];
	(void)state;
	intr_halt(v, 10000000);
	assert_int_equal(v->halted_until_ns, NOW + 10000000);
	next_event = NOW + 1000;
	intr_halt(v, 10000000);
	assert_int_equal(v->halted_until_ns, NOW + 1000);
	vlapic_accept_fixed(&plat.lapic[0], 0x30, false); /* wakes it (notify) */
	assert_int_equal(v->halted_until_ns, 0);
	assert_int_equal(woken, 1);
	intr_halt(v, 10000000);                            /* HLT with it already requested: no sleep */
	assert_int_equal(v->halted_until_ns, 0);
}

/* An interrupt for a vCPU that sleeps wakes it and kicks its CPU; a parked one (HLT with IF clear) stays parked. */
static void test_wake(void **state)
{
	struct vcpu *v = &vm.vcpus[1];
	(void)state;
	v->halted_until_ns = NOW + 1000000;
	vlapic_accept_fixed(&plat.lapic[1], 0x30, false);
	assert_int_equal(v->halted_until_ns, 0);
	assert_int_equal(woken, 1);
	v->halted_until_ns = VCPU_PARKED;
	vlapic_accept_fixed(&plat.lapic[1], 0x31, false);
	assert_int_equal(v->halted_until_ns, VCPU_PARKED);
	vlapic_accept_nmi(&plat.lapic[1]); /* an NMI is not masked by IF */
	assert_int_equal(v->halted_until_ns, 0);
}

/* INIT then SIPI vector 0x9a: real mode at CS 0x9a00, base 0x9a000, IP 0 (SDM Vol 3A 8.4.4.1). */
static void test_sipi_starts_ap(void **state)
{
	struct vcpu *v = &vm.vcpus[1];
	(void)state;
	v->wait_sipi = true;
	v->regs.cr0 = 0x31;
	v->regs.rip = 0x100000;
	vlapic_accept_sipi(&plat.lapic[1], 0x9a); /* without INIT first: ignored */
	assert_true(v->wait_sipi);
	assert_int_equal(woken, 0);
	vlapic_accept_init(&plat.lapic[1]);
	assert_true(v->wait_sipi);
	vlapic_accept_sipi(&plat.lapic[1], 0x9a);
	assert_false(v->wait_sipi);
	assert_true(v->reinit_req);
	assert_int_equal(woken, 1);
	assert_int_equal(v->regs.cs.sel, 0x9a00);
	assert_int_equal(v->regs.cs.base, 0x9a000);
	assert_int_equal(v->regs.rip, 0);
	assert_int_equal(v->regs.cr0 & 0x80000001u, 0); /* PE and PG clear */
	assert_int_equal(v->regs.idtr.limit, 0x3ff);
	vlapic_accept_sipi(&plat.lapic[1], 0x10); /* the second SIPI of INIT-SIPI-SIPI changes nothing */
	assert_int_equal(v->regs.cs.sel, 0x9a00);
}

/* A VM without a virtual platform gets nothing injected and sleeps the cap. */
static void test_no_platform(void **state)
{
	(void)state;
	vm.plat = NULL;
	assert_int_equal(intr_before_entry(&vm.vcpus[0]), UINT64_MAX);
	intr_halt(&vm.vcpus[0], 777);
	assert_int_equal(vm.vcpus[0].halted_until_ns, NOW + 777);
	assert_int_equal(injected, -1);
}

/* MSR 0x4b564d04 (msr.rst MSR_KVM_PV_EOI_EN): bit 1 reserved, the word must lie in RAM; 0 turns it off. */
static void test_pv_eoi_msr(void **state)
{
	struct vcpu *v = &vm.vcpus[0];
	uint64_t value = 1;
	bool handled;
	(void)state;
	assert_true(pv_eoi_msr_write(v, 0x4b564d01, 5, &handled)); /* not this MSR: left to others */
	assert_false(handled);
	assert_false(pv_eoi_msr_write(v, 0x4b564d04, RAM_GPA | 3, &handled)); /* reserved bit 1 */
	assert_true(handled);
	assert_false(pv_eoi_msr_write(v, 0x4b564d04, 0x100000 | 1, &handled)); /* outside RAM */
	assert_false(pv_eoi_msr_write(v, 0x4b564d04, (RAM_GPA + sizeof(ram)) | 1, &handled)); /* just past the end */
	assert_true(pv_eoi_msr_read(v, 0x4b564d04, &value));
	assert_int_equal(value, 0); /* refused writes changed nothing */
	assert_true(pv_eoi_msr_write(v, 0x4b564d04, (RAM_GPA + 8) | 1, &handled));
	assert_true(pv_eoi_msr_read(v, 0x4b564d04, &value));
	assert_int_equal(value, (RAM_GPA + 8) | 1);
}

/* The bit is offered for an edge vector in service; the guest's clearing it is its EOI. */
static void test_pv_eoi_taken_by_guest(void **state)
{
	struct vcpu *v = &vm.vcpus[0];
	struct vlapic *l = &plat.lapic[0];
	uint32_t *word = (uint32_t *)(ram + 8);
	bool handled;
	(void)state;
	memset(ram, 0, sizeof(ram));
	assert_true(pv_eoi_msr_write(v, 0x4b564d04, (RAM_GPA + 8) | 1, &handled));
	vlapic_accept_fixed(l, 0xec, false);
	intr_before_entry(v);
	assert_int_equal(injected, 0xec);
	assert_int_equal(*word, 1); /* bit 0: the EOI write may be skipped */
	*word &= ~1u;               /* the guest's handler ends the interrupt so */
	intr_after_exit(v);
	assert_false(bit(l, ISR0, 0xec));
	assert_int_equal(*word, 0);
}

/* Not used in that run: the bit is taken back and the vector stays in service for a real EOI. */
static void test_pv_eoi_not_used(void **state)
{
	struct vcpu *v = &vm.vcpus[0];
	struct vlapic *l = &plat.lapic[0];
	uint32_t *word = (uint32_t *)(ram + 8);
	bool handled;
	(void)state;
	memset(ram, 0, sizeof(ram));
	assert_true(pv_eoi_msr_write(v, 0x4b564d04, (RAM_GPA + 8) | 1, &handled));
	vlapic_accept_fixed(l, 0xec, false);
	intr_before_entry(v);
	intr_after_exit(v);
	assert_int_equal(*word, 0);
	assert_true(bit(l, ISR0, 0xec));
	/* Another request behind the one in service: no offer, the EOI must exit to deliver it. */
	vlapic_accept_fixed(l, 0x31, false);
	intr_before_entry(v);
	assert_int_equal(*word, 0);
	/* Off: never offered. */
	vlapic_mmio_write(l, 0xb0, 4, 0, NOW, NOW);
	assert_true(pv_eoi_msr_write(v, 0x4b564d04, 0, &handled));
	intr_before_entry(v);
	assert_int_equal(*word, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pv_eoi_msr, setup),
		cmocka_unit_test_setup(test_pv_eoi_taken_by_guest, setup),
		cmocka_unit_test_setup(test_pv_eoi_not_used, setup),
		cmocka_unit_test_setup(test_injects_and_acks, setup),
		cmocka_unit_test_setup(test_blocked_asks_for_window, setup),
		cmocka_unit_test_setup(test_priority_and_tpr, setup),
		cmocka_unit_test_setup(test_nmi_first, setup),
		cmocka_unit_test_setup(test_next_event_distance, setup),
		cmocka_unit_test_setup(test_halt, setup),
		cmocka_unit_test_setup(test_wake, setup),
		cmocka_unit_test_setup(test_sipi_starts_ap, setup),
		cmocka_unit_test_setup(test_no_platform, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
