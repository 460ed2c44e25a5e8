/* Host unit tests of the EXIT_MMIO handler: fetch through the guest's tables, decode, device access, refusals. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/exit_handlers.h"
#include "hypervisor/gmem.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"

/* ---- Stubs for the rest of the hypervisor ---- */

#define RAM_SIZE 0x200000ull
static uint8_t ram[RAM_SIZE];
static struct vm vm;
static char last_reason[256];
static uint32_t last_end_op;
static int read_state_calls;
static struct vcpu_regs hw; /* the control registers and segments "in the VMCB/VMCS" */

void *gmem_hva(struct vm *v, uint64_t gpa, size_t len)
{
	assert_ptr_equal(v, &vm);
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	return ram + gpa;
}

void vm_end(struct vm *v, uint32_t op, const char *fmt, ...)
{
	va_list ap;

	(void)v;
	last_end_op = op;
	va_start(ap, fmt);
	vsnprintf(last_reason, sizeof(last_reason), fmt, ap);
	va_end(ap);
}

/* Like the backends: control registers and segments come only from read_state. */
static void read_state(struct vcpu *v)
{
	read_state_calls++;
	v->regs.cr0 = hw.cr0, v->regs.cr3 = hw.cr3, v->regs.cr4 = hw.cr4, v->regs.efer = hw.efer;
	v->regs.cs = hw.cs, v->regs.ds = hw.ds, v->regs.ss = hw.ss, v->regs.es = hw.es;
	v->regs.fs = hw.fs, v->regs.gs = hw.gs;
}

static const struct virt_ops fake_ops = { .name = "fake", .read_state = read_state };
const struct virt_ops *virt_ops_get(void) { return &fake_ops; }

/* ---- A device with 16 registers of 4 bytes at DEV_BASE ---- */

#define DEV_BASE 0xfed00000ull
#define DEV_SIZE 0x40ull
#define WIDE_BASE 0xfec00000ull /* a two-page device, for accesses straddling its pages */

struct dev {
	uint32_t regs[16];
	int reads, writes;
	uint64_t last_off;
	unsigned last_size;
	struct vcpu *last_vcpu;
};
static struct dev dev, wide;

static uint64_t dev_read(void *d, struct vcpu *v, uint64_t offset, unsigned size)
{
	struct dev *x = d;

	x->reads++, x->last_off = offset, x->last_size = size, x->last_vcpu = v;
	return offset / 4 < 16 ? x->regs[offset / 4] : 0;
}

static void dev_write(void *d, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value)
{
	struct dev *x = d;

	x->writes++, x->last_off = offset, x->last_size = size, x->last_vcpu = v;
	if (offset / 4 < 16)
		x->regs[offset / 4] = (uint32_t)value;
}

static const struct mmio_ops dev_ops = { dev_read, dev_write };

/*
 * 64-bit guest: 4-level tables at 0x10000 identity-map the first 2 MiB with
 * 4 KiB pages (PML4 0x10000, PDPT 0x11000, PD 0x12000, PT 0x13000); the
 * code sits at linear 0x5000, which the PT maps to physical 0x8000.
 */
#define CODE_LA 0x5000ull
#define CODE_PA 0x8000ull

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

static struct vcpu *setup(const uint8_t *code, size_t n)
{
	memset(ram, 0, sizeof(ram));
	memset(&vm, 0, sizeof(vm));
	memset(&dev, 0, sizeof(dev));
	memset(&wide, 0, sizeof(wide));
	last_reason[0] = 0, last_end_op = 99, read_state_calls = 0;
	vm.vcpus[0].vm = &vm;
	assert_int_equal(mmio_bus_add(&vm.mmio, DEV_BASE, DEV_SIZE, &dev_ops, &dev), 0);
	assert_int_equal(mmio_bus_add(&vm.mmio, WIDE_BASE, 0x2000, &dev_ops, &wide), 0);
	put64(0x10000, 0x11000 | 3);
	put64(0x11000, 0x12000 | 3);
	put64(0x12000, 0x13000 | 3);
	for (uint64_t i = 0; i < 512; i++)
		put64(0x13000 + 8 * i, (i << 12) | 3);
	put64(0x13000 + 8 * (CODE_LA >> 12), CODE_PA | 3);
	if (n)
		memcpy(ram + CODE_PA, code, n);
	memset(&hw, 0, sizeof(hw));
	hw.cr0 = 0x80000011, hw.cr3 = 0x10000, hw.cr4 = 0x20, hw.efer = 0x500;
	hw.cs.attr = 0xa09b; /* L = 1: 64-bit code */
	vm.vcpus[0].regs.rip = CODE_LA;
	vm.vcpus[0].regs.rflags = 0x2;
	return &vm.vcpus[0];
}

static struct vm_exit mmio_exit(uint64_t gpa, bool write)
{
	return (struct vm_exit){ .code = EXIT_MMIO, .u.mmio = { .gpa = gpa, .write = write } };
}

static void test_read_through_the_bus(void **state)
{
	static const uint8_t code[] = { 0x8b, 0x43, 0x30 }; /* mov eax, [rbx+0x30] */
	struct vcpu *v = setup(code, sizeof(code));
	struct vm_exit e = mmio_exit(DEV_BASE + 0x30, false);

	(void)state;
	dev.regs[0x30 / 4] = 0x12345678;
	v->regs.rax = ~0ull;
	v->regs.rbx = DEV_BASE;
	assert_int_equal(exit_mmio(v, &e), EXIT_RESUME);
	assert_int_equal(read_state_calls, 1);
	assert_int_equal(dev.reads, 1);
	assert_int_equal(dev.writes, 0);
	assert_int_equal(dev.last_off, 0x30);
	assert_int_equal(dev.last_size, 4);
	assert_ptr_equal(dev.last_vcpu, v);
	assert_int_equal(v->regs.rax, 0x12345678); /* 32-bit load zero-extends */
	assert_int_equal(v->regs.rip, CODE_LA + 3);
	assert_int_equal(last_end_op, 99);
}

static void test_write_and_rmw(void **state)
{
	static const uint8_t code[] = { 0x89, 0x4b, 0x04 };              /* mov [rbx+4], ecx */
	static const uint8_t orl[] = { 0x83, 0x4b, 0x08, 0x01 };          /* or dword [rbx+8], 1 */
	struct vcpu *v = setup(code, sizeof(code));
	struct vm_exit e = mmio_exit(DEV_BASE + 4, true);

	(void)state;
	v->regs.rcx = 0xaabbccdd11223344ull;
	v->regs.rbx = DEV_BASE;
	assert_int_equal(exit_mmio(v, &e), EXIT_RESUME);
	assert_int_equal(dev.regs[1], 0x11223344);
	assert_int_equal(dev.last_size, 4);
	v = setup(orl, sizeof(orl));
	dev.regs[2] = 0x80000000;
	v->regs.rbx = DEV_BASE;
	e = mmio_exit(DEV_BASE + 8, true);
	assert_int_equal(exit_mmio(v, &e), EXIT_RESUME);
	assert_int_equal(dev.regs[2], 0x80000001);
	assert_int_equal(v->regs.rflags & 0x8d5, 0x80); /* SF */
	assert_int_equal(v->regs.rip, CODE_LA + 4);
}

static void test_unclaimed_and_fetch(void **state)
{
	static const uint8_t code[] = { 0x8b, 0x03 };
	struct vcpu *v = setup(code, sizeof(code));
	struct vm_exit e = mmio_exit(0xfee00000, true);

	(void)state;
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_int_equal(last_end_op, VM_OP_CRASH);
	assert_non_null(strstr(last_reason, "write of guest-physical 0xfee00000 outside its RAM"));
	v = setup(code, sizeof(code));
	e = mmio_exit(DEV_BASE, false);
	e.u.mmio.fetch = true; /* executing device memory is never emulated */
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "instruction fetch"));
	assert_int_equal(dev.reads + dev.writes, 0);
}

static void test_refusals_log_the_bytes(void **state)
{
	static const uint8_t ud2[] = { 0x0f, 0x0b };
	static const uint8_t mov[] = { 0x8b, 0x03 }; /* mov eax, [rbx] */
	struct vcpu *v = setup(ud2, sizeof(ud2));
	struct vm_exit e = mmio_exit(DEV_BASE, false);

	(void)state;
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "instruction not emulated"));
	assert_non_null(strstr(last_reason, "[0f 0b"));
	/* the decoded operand is [rbx] = DEV_BASE + 8, but the fault was at DEV_BASE */
	v = setup(mov, sizeof(mov));
	v->regs.rbx = DEV_BASE + 8;
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "not the faulting address"));
	assert_non_null(strstr(last_reason, "[8b 03]"));
	/* 4 bytes at offset 0x3e of a 0x40-byte device */
	v = setup(mov, sizeof(mov));
	v->regs.rbx = DEV_BASE + 0x3e;
	e = mmio_exit(DEV_BASE + 0x3e, false);
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "past the device's range"));
	/* 4 bytes straddling the two pages of one device */
	v = setup(mov, sizeof(mov));
	v->regs.rbx = WIDE_BASE + 0xffe;
	e = mmio_exit(WIDE_BASE + 0xffe, false);
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "straddles a page"));
	assert_int_equal(dev.reads + dev.writes + wide.reads + wide.writes, 0);
}

static void test_fetch_failures(void **state)
{
	static const uint8_t mov[] = { 0x8b, 0x03 };
	struct vcpu *v = setup(mov, sizeof(mov));
	struct vm_exit e = mmio_exit(DEV_BASE, false);

	(void)state;
	v->regs.rbx = DEV_BASE;
	put64(0x13000 + 8 * (CODE_LA >> 12), 0); /* the code page is not present */
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "cannot fetch the instruction at 0x5000"));
	assert_non_null(strstr(last_reason, "not present"));
	/* the code's page-table entry points outside RAM */
	v = setup(mov, sizeof(mov));
	v->regs.rbx = DEV_BASE;
	put64(0x13000 + 8 * (CODE_LA >> 12), DEV_BASE | 3);
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "outside the VM's RAM"));
	/* the instruction's second byte is on a page that is not present: truncated, not read past */
	v = setup(mov, sizeof(mov));
	v->regs.rbx = DEV_BASE;
	ram[0x6fff] = 0x8b;
	put64(0x13000 + 8 * 7, 0);
	v->regs.rip = 0x6fff;
	assert_int_equal(exit_mmio(v, &e), EXIT_CRASH_VM);
	assert_non_null(strstr(last_reason, "runs past the bytes that could be fetched [8b]"));
	assert_int_equal(dev.reads, 0);
}

/* Protected mode without paging, a CS base and 32-bit code: the fetch adds the base, the operand DS's base. */
static void test_32bit_code_with_segment_bases(void **state)
{
	static const uint8_t code[] = { 0x88, 0x03 }; /* mov [ebx], al */
	struct vcpu *v = setup(NULL, 0);
	struct vm_exit e = mmio_exit(DEV_BASE + 0x10, true);

	(void)state;
	memcpy(ram + 0x9000 + 0x100, code, sizeof(code));
	hw.cr0 = 0x11, hw.cr4 = 0, hw.efer = 0;
	hw.cs.attr = 0xc09b, hw.cs.base = 0x9000;
	hw.ds.base = 0x10;
	v->regs.rip = 0x100;
	v->regs.rbx = DEV_BASE;
	v->regs.rax = 0x5a;
	assert_int_equal(exit_mmio(v, &e), EXIT_RESUME);
	assert_int_equal(dev.regs[4], 0x5a);
	assert_int_equal(dev.last_size, 1);
	assert_int_equal(v->regs.rip, 0x102);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_through_the_bus),
		cmocka_unit_test(test_write_and_rmw),
		cmocka_unit_test(test_unclaimed_and_fetch),
		cmocka_unit_test(test_refusals_log_the_bytes),
		cmocka_unit_test(test_fetch_failures),
		cmocka_unit_test(test_32bit_code_with_segment_bases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
