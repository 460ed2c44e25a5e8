/* The hypercall table (include/bulwark/hypercall.h): decode the call, check the caller, invoke. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/exit_handlers.h"
#include "hypervisor/vm.h"
#include "hypervisor/virt_ops.h"
#include "include/bulwark/hypercall.h"
#include "kernel/byte_ring.h"
#include "kernel/time.h"


static int64_t hc_version(struct vcpu *v) { (void)v; return HC_ABI_VERSION; }
static int64_t hc_vm_id(struct vcpu *v) { return v->vm->id; }
static int64_t hc_tsc_hz(struct vcpu *v) { (void)v; return (int64_t)time_tsc_hz(); }

static int64_t hc_putchar(struct vcpu *v)
{
	uint8_t b = (uint8_t)v->regs.rbx;
	byte_ring_write(v->vm->out, &b, 1);
	return 0;
}

static int64_t hc_shutdown(struct vcpu *v)
{
	vm_end(v->vm, VM_OP_STOP, "the guest shut down with status %u", (uint32_t)v->regs.rbx);
	return 0;
}

static int64_t (*const hypercalls[])(struct vcpu *v) = {
	[HC_VERSION] = hc_version,
	[HC_PUTCHAR] = hc_putchar,
	[HC_VM_ID] = hc_vm_id,
	[HC_SHUTDOWN] = hc_shutdown,
	[HC_TSC_HZ] = hc_tsc_hz,
};

enum exit_action exit_hypercall(struct vcpu *v, const struct vm_exit *e)
{
	const struct virt_ops *ops = virt_ops_get();
	uint64_t fn = v->regs.rax;

	ops->read_state(v);
	if ((v->regs.ss.attr >> 5) & 3) /* DPL of SS is the CPL, SDM Vol 3A 5.5 */
		return exit_raise(v, X86_UD);
	v->regs.rip += e->inst_len;
	if (fn >= sizeof(hypercalls) / sizeof(hypercalls[0]) || !hypercalls[fn]) {
		v->regs.rax = (uint64_t)(int64_t)HC_ENOSYS;
		return EXIT_RESUME;
	}
	v->regs.rax = (uint64_t)hypercalls[fn](v);
	return v->vm->state == VM_RUNNING ? EXIT_RESUME : EXIT_STOP_VM;
}
