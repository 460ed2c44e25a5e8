/* EXIT_MMIO: an access outside RAM goes to the device claiming it on the VM's MMIO bus, through the emulator. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include "hypervisor/emul/gwalk.h"
#include "hypervisor/emul/insn.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/gmem.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"

#define PAGE 0x1000ull

/*
 * The backends report the faulting guest-physical address but not the
 * instruction (QEMU's SVM has no decode assists, and VT-x never gives the
 * operand), so the handler reads the code at CS:RIP through the guest's page
 * tables, decodes it, checks that the decoded operand is the address that
 * faulted, and performs the one access on the device. Like KVM and bhyve it
 * trusts nothing it reads: any mismatch stops the VM with the bytes logged.
 */

struct mmio_access {
	const struct mmio_range *range;
	struct vcpu *v;
	uint64_t offset;
};

static uint64_t dev_read(void *ctx, unsigned size)
{
	struct mmio_access *a = ctx;

	return a->range->ops->read(a->range->dev, a->v, a->offset, size);
}

static void dev_write(void *ctx, unsigned size, uint64_t value)
{
	struct mmio_access *a = ctx;

	a->range->ops->write(a->range->dev, a->v, a->offset, size, value);
}

static const void *ram_map(void *ctx, uint64_t gpa, size_t len)
{
	return gmem_hva(ctx, gpa, len);
}

static const char *access_name(const struct vm_exit *e)
{
	return e->u.mmio.fetch ? "instruction fetch" : e->u.mmio.write ? "write" : "read";
}

/* "0f b6 07" for the log; `n` is at most EMUL_INSN_MAX. */
static const char *hex_bytes(const uint8_t *b, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at + 4 <= len; i++)
		at += (size_t)snprintf(buf + at, len - at, i ? " %02x" : "%02x", b[i]);
	return buf;
}

static enum exit_action crash(struct vcpu *v, const struct vm_exit *e, const char *why, const uint8_t *b, size_t n)
{
	char hex[3 * EMUL_INSN_MAX + 1];

	vm_end(v->vm, VM_OP_CRASH, "cannot emulate the %s of 0x%llx at rip 0x%llx: %s [%s]", access_name(e),
	       (unsigned long long)e->u.mmio.gpa, (unsigned long long)v->regs.rip, why, hex_bytes(b, n, hex, sizeof(hex)));
	return EXIT_CRASH_VM;
}

/* Reads the instruction bytes; logs and returns 0 when not even the first byte is reachable. */
static size_t fetch(struct vcpu *v, enum emul_mode mode, uint8_t *buf, const struct vm_exit *e)
{
	const struct gwalk_ram ram = { ram_map, v->vm };
	const struct vcpu_regs *r = &v->regs;
	uint64_t la = mode == EMUL_MODE64 ? r->rip : r->cs.base + r->rip; /* SDM Vol 3A 3.4.4: CS base 0 in 64-bit mode */
	struct gwalk_fault f;
	size_t n = gwalk_fetch(&ram, r, la, mode == EMUL_MODE64 ? ~0ull : 0xffffffffull, buf, EMUL_INSN_MAX, &f);

	if (n == 0)
		vm_end(v->vm, VM_OP_CRASH,
		       "cannot fetch the instruction at 0x%llx for the %s of 0x%llx: %s (level %d entry at 0x%llx = 0x%llx)",
		       (unsigned long long)la, access_name(e), (unsigned long long)e->u.mmio.gpa, gwalk_err_name(f.err),
		       f.level, (unsigned long long)f.entry_gpa, (unsigned long long)f.entry);
	return n;
}

/* The decoded operand must be the faulting address: same offset in its page, inside the page. */
static const char *check_operand(const struct emul_insn *in, const struct vcpu_regs *r, uint64_t gpa)
{
	uint64_t la = emul_linear(in, r);

	if ((la ^ gpa) & (PAGE - 1))
		return "the decoded operand is not the faulting address";
	if ((gpa & (PAGE - 1)) + in->mem_size > PAGE)
		return "the access straddles a page";
	return NULL;
}

/* Accesses outside the VM's RAM that no device claims are not emulated: the VM is stopped, the address logged. */
static enum exit_action unclaimed(struct vcpu *v, const struct vm_exit *e)
{
	vm_end(v->vm, VM_OP_CRASH, "%s of guest-physical 0x%llx outside its RAM at rip 0x%llx", access_name(e),
	       (unsigned long long)e->u.mmio.gpa, (unsigned long long)v->regs.rip);
	return EXIT_CRASH_VM;
}

enum exit_action exit_mmio(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t gpa = e->u.mmio.gpa;
	uint8_t bytes[EMUL_INSN_MAX];
	struct emul_insn in;
	struct mmio_access a = { .v = v };
	const struct emul_bus bus = { dev_read, dev_write, &a };
	enum emul_mode mode;
	const char *why;
	size_t n;
	int err;

	if (e->u.mmio.fetch || !mmio_bus_find(&v->vm->mmio, gpa, 1))
		return unclaimed(v, e);
	virt_ops_get()->read_state(v);
	mode = emul_mode_of(&v->regs);
	if (!(n = fetch(v, mode, bytes, e)))
		return EXIT_CRASH_VM;
	if ((err = emul_decode(bytes, n, mode, &in)))
		return crash(v, e, emul_err_name(err), bytes, n);
	if ((why = check_operand(&in, &v->regs, gpa)))
		return crash(v, e, why, in.bytes, in.len);
	if (!(a.range = mmio_bus_find(&v->vm->mmio, gpa, in.mem_size)))
		return crash(v, e, "the access runs past the device's range", in.bytes, in.len);
	a.offset = gpa - a.range->base;
	emul_execute(&in, &v->regs, &bus);
	return EXIT_RESUME;
}
