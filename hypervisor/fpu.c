/* Eager x87/SSE switching between the hypervisor and its guests (no lazy #NM tricks, after LazyFP). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/fpu.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"

static struct fpu_area host_state[MAX_CPUS];

void fpu_reset(struct fpu_area *a)
{
	memset(a, 0, sizeof(*a));
	a->bytes[0] = 0x7f; /* FCW = 0x037F */
	a->bytes[1] = 0x03;
	a->bytes[24] = 0x80; /* MXCSR = 0x1F80 at offset 24 */
	a->bytes[25] = 0x1f;
}

void fpu_enter_guest(const struct fpu_area *guest)
{
	__asm__ volatile("fxsave64 %0" : "=m"(host_state[this_cpu()->index]));
	__asm__ volatile("fxrstor64 %0" ::"m"(*guest));
}

void fpu_leave_guest(struct fpu_area *guest)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*guest));
	__asm__ volatile("fxrstor64 %0" ::"m"(host_state[this_cpu()->index]));
}

#define CR4_OSXSAVE (1ull << 18)

/*
 * XSETBV: #UD without CR4.OSXSAVE (SDM Vol 2D XSETBV). XSAVE is hidden from
 * guests (CPUID.1:ECX[26], CR4 policy), so any XCR0 a guest asks for is
 * refused with #GP rather than ending the VM.
 */
enum exit_action exit_xsetbv(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	virt_ops_get()->read_state(v);
	return exit_raise(v, v->regs.cr4 & CR4_OSXSAVE ? X86_GP : X86_UD);
}
