/* Eager x87/SSE switching between the hypervisor and its guests (no lazy #NM tricks, after LazyFP). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/fpu.h"
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
