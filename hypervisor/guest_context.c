/* Debug registers, TSC_AUX and speculation barriers switched per vCPU on the CPU that runs it. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/guest_context.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"

#define DR6_INIT 0xffff0ff0ull          /* SDM Vol 3A 18.2.3 */
#define MSR_ARCH_CAPABILITIES 0x10a     /* SDM Vol 4 table 2-2 */
#define MSR_FLUSH_CMD 0x10b
#define MSR_PRED_CMD 0x49
#define MSR_TSC_AUX 0xc0000103
#define ARCH_CAP_RDCL_NO (1ull << 0)
#define ARCH_CAP_SKIP_L1DFL_VMENTRY (1ull << 3)
#define ARCH_CAP_MDS_NO (1ull << 5)
/* CPUID.(7,0):EDX (SDM Vol 2A table 3-8) and 80000008h:EBX, 80000001h:EDX (APM Vol 3 E.4). */
#define L7_EDX_MD_CLEAR (1u << 10)
#define L7_EDX_IBRS_IBPB (1u << 26)
#define L7_EDX_L1D_FLUSH (1u << 28)
#define L7_EDX_ARCH_CAP (1u << 29)
#define L7_ECX_RDPID (1u << 22)
#define LX8_EBX_IBPB (1u << 12)
#define LX1_EDX_RDTSCP (1u << 27)

static struct {
	bool ibpb, l1d_flush, verw, tsc_aux;
} need;

static struct {
	uint32_t last_vm_id;   /* the VM whose vCPU ran here last: an IBPB separates VMs */
	uint64_t tsc_aux;      /* what IA32_TSC_AUX holds now */
	bool tsc_aux_known;
} cpu_ctx[MAX_CPUS];

void guest_context_probe(void)
{
	struct cpuid_regs l0 = cpuid(0, 0), x0 = cpuid(0x80000000, 0), l7 = { 0 }, x1 = { 0 }, x8 = { 0 };
	uint64_t caps = 0;

	if (l0.eax >= 7)
		l7 = cpuid(7, 0);
	if (x0.eax >= 0x80000001)
		x1 = cpuid(0x80000001, 0);
	if (x0.eax >= 0x80000008)
		x8 = cpuid(0x80000008, 0);
	if (l7.edx & L7_EDX_ARCH_CAP)
		caps = rdmsr(MSR_ARCH_CAPABILITIES);
	need.ibpb = (l7.edx & L7_EDX_IBRS_IBPB) || (x8.ebx & LX8_EBX_IBPB);
	/* L1TF: flush L1D on entry unless the CPU is not affected or does it itself (SDM Vol 4 2.1, ARCH_CAPABILITIES). */
	need.l1d_flush = (l7.edx & L7_EDX_L1D_FLUSH) && !(caps & (ARCH_CAP_RDCL_NO | ARCH_CAP_SKIP_L1DFL_VMENTRY));
	/* MDS: VERW clears the buffers when MD_CLEAR says so; an L1D flush clears them too. */
	need.verw = (l7.edx & L7_EDX_MD_CLEAR) && !(caps & ARCH_CAP_MDS_NO) && !need.l1d_flush;
	need.tsc_aux = (x1.edx & LX1_EDX_RDTSCP) || (l7.ecx & L7_ECX_RDPID);
	log_info("guest barriers: IBPB between VMs %s, L1D flush on entry %s, VERW on entry %s, TSC_AUX per vCPU %s",
		 need.ibpb ? "yes" : "no", need.l1d_flush ? "yes" : "no", need.verw ? "yes" : "no",
		 need.tsc_aux ? "yes" : "no");
}

void guest_context_reset(struct vcpu *v)
{
	for (int i = 0; i < 4; i++)
		v->dr[i] = 0;
	v->dr6 = DR6_INIT;
	v->tsc_aux = v->index;
}

/* WRMSR TSC_AUX from the guest, on the CPU running it: the register takes the value at once. */
void guest_context_set_tsc_aux(struct vcpu *v, uint64_t value)
{
	uint32_t cpu = this_cpu_index();

	v->tsc_aux = value;
	if (need.tsc_aux) {
		wrmsr(MSR_TSC_AUX, value);
		cpu_ctx[cpu].tsc_aux = value;
		cpu_ctx[cpu].tsc_aux_known = true;
	}
}

#define LOAD_DR(n, val) __asm__ volatile("mov %0, %%db" #n ::"r"(val))
#define SAVE_DR(n, dst) __asm__ volatile("mov %%db" #n ", %0" : "=r"(dst))

void guest_context_enter(struct vcpu *v)
{
	uint32_t cpu = this_cpu_index();

	if (need.ibpb && cpu_ctx[cpu].last_vm_id != v->vm->id)
		wrmsr(MSR_PRED_CMD, 1); /* IBPB: branch predictions made for the last VM do not steer this one */
	cpu_ctx[cpu].last_vm_id = v->vm->id;
	if (need.tsc_aux && (!cpu_ctx[cpu].tsc_aux_known || cpu_ctx[cpu].tsc_aux != v->tsc_aux)) {
		wrmsr(MSR_TSC_AUX, v->tsc_aux); /* RDTSCP and RDPID read it in the guest without an exit */
		cpu_ctx[cpu].tsc_aux = v->tsc_aux;
		cpu_ctx[cpu].tsc_aux_known = true;
	}
	/* DR7 is in the VMCS/VMCB; DR0-3 (and DR6 on VT-x) are not, SDM Vol 3C 27.3.1.1, APM Vol 2 15.5.1. */
	LOAD_DR(0, v->dr[0]);
	LOAD_DR(1, v->dr[1]);
	LOAD_DR(2, v->dr[2]);
	LOAD_DR(3, v->dr[3]);
	LOAD_DR(6, v->dr6);
}

void guest_context_leave(struct vcpu *v)
{
	uint64_t zero = 0, dr6 = DR6_INIT;

	SAVE_DR(0, v->dr[0]);
	SAVE_DR(1, v->dr[1]);
	SAVE_DR(2, v->dr[2]);
	SAVE_DR(3, v->dr[3]);
	SAVE_DR(6, v->dr6);
	LOAD_DR(0, zero);
	LOAD_DR(1, zero);
	LOAD_DR(2, zero);
	LOAD_DR(3, zero);
	LOAD_DR(6, dr6);
}

void guest_context_entry_barrier(void)
{
	static const uint16_t ds = SEL_KERNEL_DS;

	if (need.l1d_flush)
		wrmsr(MSR_FLUSH_CMD, 1); /* L1D_FLUSH, SDM Vol 4 table 2-2 */
	else if (need.verw)
		__asm__ volatile("verw %0" ::"m"(ds) : "cc"); /* MD_CLEAR: VERW overwrites the CPU buffers */
}
