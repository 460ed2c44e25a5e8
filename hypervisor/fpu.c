/* Eager extended-state switching between the hypervisor and its guests (no lazy #NM tricks, after LazyFP). */
/* SPDX-License-Identifier: MIT */

#include <malloc.h>
#include <string.h>
#include "hypervisor/cpuid_policy.h"
#include "hypervisor/cr_policy.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/fpu.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"

#define CR4_OSXSAVE (1ull << 18)           /* SDM Vol 3A 2.5 */
#define L1_ECX_XSAVE (1u << 26)            /* CPUID.1:ECX, SDM Vol 2A table 3-10 */
/*
 * XCR0 components Bulwark switches (SDM Vol 1 13.1): x87 0, SSE 1, AVX 2,
 * MPX 3-4, AVX-512 opmask 5, ZMM_Hi256 6, Hi16_ZMM 7, PKRU 9. Supervisor
 * components are not in XCR0; AMX (17-18) is left off (8 KiB per vCPU).
 */
#define XCR0_SWITCHED 0x2ffull
#define XSAVE_AREA_MIN (512 + 64)

static uint64_t xcr0;        /* 0: no XSAVE, FXSAVE/FXRSTOR of x87 and SSE only */
static uint32_t area_bytes = FPU_LEGACY_BYTES;
static uint8_t *host_area[MAX_CPUS];

/* Bytes of a standard-format XSAVE area for the components in `mask` (SDM Vol 1 13.4.3). */
static uint32_t xsave_size(uint64_t mask)
{
	uint32_t bytes = XSAVE_AREA_MIN;

	for (uint32_t i = 2; i < 64; i++) {
		struct cpuid_regs c;
		if (!(mask & (1ull << i)))
			continue;
		c = cpuid(0xd, i);
		if (c.ebx + c.eax > bytes)
			bytes = c.ebx + c.eax;
	}
	return bytes;
}

void fpu_probe(void)
{
	struct cpuid_regs l1 = cpuid(1, 0), d0;

	if (!(l1.ecx & L1_ECX_XSAVE)) {
		log_info("fpu: no XSAVE: x87/SSE switched with FXSAVE");
		return;
	}
	d0 = cpuid(0xd, 0);
	xcr0 = (((uint64_t)d0.edx << 32) | d0.eax) & XCR0_SWITCHED;
	xcr0 |= 0x3; /* x87 and SSE are always there (XCR0 bit 0 must be 1; SSE with FXSR) */
	area_bytes = xsave_size(xcr0);
	log_info("fpu: XCR0 %#llx, %u-byte XSAVE area per vCPU", (unsigned long long)xcr0, area_bytes);
}

uint64_t fpu_xcr0(void)
{
	return xcr0;
}

int fpu_cpu_init(void)
{
	uint32_t cpu = this_cpu_index();

	if (xcr0) {
		write_cr4(read_cr4() | CR4_OSXSAVE);
		xsetbv(0, xcr0); /* whatever firmware left enabled, exactly these components now exist */
	}
	if (!host_area[cpu])
		host_area[cpu] = memalign(64, area_bytes);
	if (!host_area[cpu])
		return -1;
	memset(host_area[cpu], 0, area_bytes);
	return 0;
}

int fpu_alloc(struct fpu_area *a)
{
	a->image = memalign(64, area_bytes);
	if (!a->image)
		return -1;
	fpu_reset(a);
	return 0;
}

void fpu_free(struct fpu_area *a)
{
	free(a->image);
	a->image = NULL;
}

/* XSTATE_BV 0 puts every component in its initial state at XRSTOR; MXCSR still comes from the legacy region. */
void fpu_reset(struct fpu_area *a)
{
	if (!a->image)
		return;
	memset(a->image, 0, area_bytes);
	a->xcr0 = 0;
	a->image[0] = 0x7f; /* FCW = 0x037F */
	a->image[1] = 0x03;
	a->image[24] = 0x80; /* MXCSR = 0x1F80 at offset 24 */
	a->image[25] = 0x1f;
}

/* XSAVE/XRSTOR of the components in `mask` (FXSAVE/FXRSTOR without XSAVE), SDM Vol 1 13.7-13.8. */
static void save(uint8_t *area, uint64_t mask)
{
	if (xcr0)
		__asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static void restore(const uint8_t *area, uint64_t mask)
{
	if (xcr0)
		__asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/*
 * The hypervisor's own code uses x87 and SSE only (no AVX, MPX or PKRU: built
 * without them, CR4.PKE off), so only those are saved for it. The guest's
 * other components stay in the registers while the host runs and are
 * overwritten by the next guest's full XRSTOR: no guest sees another's.
 */
#define HOST_XCR0 0x3ull

/* The guest's own XCR0 is loaded only while it runs, after all its state is in; the host's is back before saving. */
static bool own_xcr0(const struct fpu_area *g)
{
	return g->xcr0 && g->xcr0 != xcr0;
}

void fpu_enter_guest(const struct fpu_area *guest)
{
	save(host_area[this_cpu_index()], HOST_XCR0);
	restore(guest->image, xcr0);
	if (own_xcr0(guest))
		xsetbv(0, guest->xcr0);
}

/*
 * XCR0 is read back rather than assumed: a CPU that does not intercept XSETBV
 * (QEMU's TCG ignores the AMD-V intercept) lets the guest load it natively.
 * Whatever the guest left there is its XCR0; the host's goes back before saving.
 */
void fpu_leave_guest(struct fpu_area *guest)
{
	uint64_t live = xcr0 ? xgetbv(0) : 0;

	if (live != xcr0) {
		guest->xcr0 = live;
		xsetbv(0, xcr0);
	}
	save(guest->image, xcr0);
	restore(host_area[this_cpu_index()], HOST_XCR0);
}

void fpu_cpuid_view(struct vcpu *v, bool need_cr4, struct cpuid_xsave *x)
{
	x->offered = xcr0;
	x->size_all = area_bytes;
	x->size_guest = xcr0 ? xsave_size(v->fpu.xcr0 ? v->fpu.xcr0 : 1) : 0;
	x->osxsave = false;
	if (need_cr4 && xcr0) {
		virt_ops_get()->read_state(v);
		x->osxsave = v->regs.cr4 & CR4_OSXSAVE;
	}
}

/*
 * XSETBV (SDM Vol 2D): #UD without CR4.OSXSAVE; #GP at CPL > 0, for an XCR
 * other than 0, or an XCR0 that xcr0_write_ok refuses. A valid value becomes
 * the vCPU's XCR0, loaded around each of its entries (fpu_enter_guest).
 */
enum exit_action exit_xsetbv(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
	uint32_t cpl;

	virt_ops_get()->read_state(v);
	cpl = (v->regs.ss.attr >> 5) & 3; /* DPL of SS is the CPL, SDM Vol 3A 5.5 */
	if (!(v->regs.cr4 & CR4_OSXSAVE) || !xcr0)
		return exit_raise(v, X86_UD);
	if (cpl || (uint32_t)v->regs.rcx || !xcr0_write_ok(value, xcr0))
		return exit_raise(v, X86_GP);
	v->fpu.xcr0 = value;
	v->regs.rip += e->inst_len;
	return EXIT_RESUME;
}
