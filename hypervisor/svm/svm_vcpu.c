/* AMD-V vCPUs: the VMCB, each entry into the guest and what comes back out. */
/* SPDX-License-Identifier: MIT */

#include <stdlib.h>
#include <string.h>
#include "hypervisor/svm/svm.h"
#include "hypervisor/svm/svm_exit.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/percpu.h"


int svm_vcpu_init(struct vcpu *v)
{
	struct svm_vm *s = v->vm->arch;
	struct svm_vcpu *sv;

	if (!s || !this_cpu()->arch) {
		log_error("svm: vm %s vCPU %u: %s", v->vm->name, v->index,
			  !s ? "the VM has no NPT" : "AMD-V is not enabled on this CPU");
		return -1;
	}
	sv = calloc(1, sizeof(*sv));
	if (!sv || !(sv->vmcb_pa = svm_alloc_pages(1))) {
		log_error("svm: vm %s vCPU %u: no memory for a VMCB", v->vm->name, v->index);
		free(sv);
		return -1;
	}
	sv->vmcb = phys_to_virt(sv->vmcb_pa);
	sv->last_cpu = -1;
	vmcb_setup_control(sv->vmcb, s->iopm_pa, s->msrpm_pa, 0, s->npt.root); /* ASID: set at entry */
	vmcb_load_state(sv->vmcb, &v->regs);
	sv->exit_rip = v->regs.rip;
	v->arch = sv;
	return 0;
}

void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;
	struct svm_cpu *c = this_cpu()->arch;

	if (!sv)
		return;
	if (c && c->last_vmcb_pa == sv->vmcb_pa)
		c->last_vmcb_pa = 0;
	svm_free_pages(sv->vmcb_pa, 1);
	free(sv);
	v->arch = NULL;
}

/*
 * The vCPU's ASID on this CPU (renewed when its generation passed), and
 * TLB_CONTROL: everything when the generation rolled over, this ASID when the
 * nested tables changed since its last entry (APM Vol 2 15.16.1).
 */
static uint8_t tlb_control(struct svm_cpu *c, struct svm_vcpu *sv, struct svm_vm *s, int32_t cpu)
{
	uint64_t gen = __atomic_load_n(&s->tlb_gen, __ATOMIC_ACQUIRE);
	enum asid_result r;

	if (sv->last_cpu != cpu)
		sv->asid_gen = 0;
	r = asid_assign(&c->asids, &sv->asid, &sv->asid_gen);
	if (r != ASID_KEEP) {
		sv->vmcb->ctl.asid = sv->asid;
		sv->dirty |= VMCB_CLEAN_ASID;
	}
	if (r == ASID_NEW_FLUSH_ALL) {
		sv->tlb_gen = gen;
		sv->flush_asid = false;
		return VMCB_TLB_FLUSH_ALL;
	}
	if (sv->flush_asid) {
		sv->flush_asid = false;
		return c->flush_by_asid ? VMCB_TLB_FLUSH_ASID : VMCB_TLB_FLUSH_ALL;
	}
	if (sv->tlb_gen == gen)
		return VMCB_TLB_NOTHING;
	sv->tlb_gen = gen;
	return c->flush_by_asid ? VMCB_TLB_FLUSH_ASID : VMCB_TLB_FLUSH_ALL;
}

/* Clean bits only when the CPU has them, for the VMCB it ran last, on the same CPU (APM Vol 2 15.15). */
static uint32_t clean_bits(struct svm_cpu *c, struct svm_vcpu *sv, int32_t cpu)
{
	uint32_t clean = 0;

	if (c->vmcb_clean && sv->last_cpu == cpu && c->last_vmcb_pa == sv->vmcb_pa)
		clean = VMCB_CLEAN_ALL & ~sv->dirty;
	c->last_vmcb_pa = sv->vmcb_pa;
	sv->dirty = 0;
	return clean;
}

/* An interrupted delivery goes first; a newly queued exception waits behind it. */
static uint64_t next_event(struct svm_vcpu *sv)
{
	uint64_t ev = sv->reinject ? sv->reinject : sv->pending_event;

	if (sv->reinject)
		sv->reinject = 0;
	else
		sv->pending_event = 0;
	return ev;
}

/*
 * Every CR4 write exits (intercept_cr), so the VMCB's CR4 changes only here:
 * a value exit_cr accepted is loaded, and the guest's TLB flushed as the
 * write itself would have (PGE, PAE, PSE changes; APM Vol 2 5.5.3).
 */
static void load_cr4(struct vcpu *v, struct svm_vcpu *sv)
{
	if (v->regs.cr4 == sv->vmcb->save.cr4)
		return;
	sv->vmcb->save.cr4 = v->regs.cr4;
	sv->dirty |= VMCB_CLEAN_CRX;
	sv->flush_asid = true;
}

static void prepare_entry(struct vcpu *v, struct svm_cpu *c, struct svm_vcpu *sv, int32_t cpu)
{
	struct vmcb *vmcb = sv->vmcb;

	load_cr4(v, sv);
	vmcb->save.rax = v->regs.rax;
	vmcb->save.rsp = v->regs.rsp;
	vmcb->save.rip = v->regs.rip;
	vmcb->save.rflags = v->regs.rflags | 0x2;
	vmcb->ctl.tlb_control = tlb_control(c, sv, v->vm->arch, cpu);
	vmcb->ctl.clean = clean_bits(c, sv, cpu);
	vmcb->ctl.eventinj = next_event(sv);
	svm_intr_entry(v, sv);
	sv->last_cpu = cpu;
}

/* A shutdown ends the VM: the state it died in goes to the log, for the one reading it. */
static void log_shutdown(const struct vcpu *v, const struct vmcb *vmcb)
{
	const struct vmcb_save *s = &vmcb->save;

	log_error("svm: %s vCPU %u shutdown: rip %#llx rsp %#llx rflags %#llx cs %#x/%#x ss %#x/%#x cr0 %#llx cr3 %#llx "
		  "cr4 %#llx efer %#llx idtr %#llx/%#x exitintinfo %#llx; VMCB %#llx nested CR3 %#llx (the VM's %#llx) ASID %u",
		  v->vm->name, v->index,
		  (unsigned long long)s->rip, (unsigned long long)s->rsp, (unsigned long long)s->rflags, s->cs.sel,
		  s->cs.attr, s->ss.sel, s->ss.attr, (unsigned long long)s->cr0, (unsigned long long)s->cr3,
		  (unsigned long long)s->cr4, (unsigned long long)s->efer, (unsigned long long)s->idtr.base,
		  s->idtr.limit, (unsigned long long)vmcb->ctl.exitintinfo,
		  (unsigned long long)((const struct svm_vcpu *)v->arch)->vmcb_pa, (unsigned long long)vmcb->ctl.n_cr3,
		  (unsigned long long)((const struct svm_vm *)v->vm->arch)->npt.root, vmcb->ctl.asid);
}

static bool is_exception_exit(uint64_t code)
{
	return code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32;
}

static void finish_exit(struct vcpu *v, struct svm_cpu *c, struct svm_vcpu *sv, struct vm_exit *e)
{
	const struct vmcb *vmcb = sv->vmcb;

	v->regs.rax = vmcb->save.rax;
	v->regs.rsp = vmcb->save.rsp;
	v->regs.rip = vmcb->save.rip;
	v->regs.rflags = vmcb->save.rflags;
	/*
	 * APM Vol 2 15.7.2: an event whose delivery the exit interrupted must be
	 * delivered again, unless the exit is an exception raised by that delivery:
	 * the reflected exception replaces it, as it would on bare metal.
	 */
	if ((vmcb->ctl.exitintinfo & EVENT_VALID) && !is_exception_exit(vmcb->ctl.exitcode)) {
		if ((vmcb->ctl.exitintinfo & EVENT_TYPE_MASK) == EVENT_TYPE_INTR)
			svm_post_virq(sv, (uint8_t)vmcb->ctl.exitintinfo); /* an interrupt goes back as V_IRQ (svm_intr.c) */
		else
			sv->reinject = vmcb->ctl.exitintinfo;
	}
	if (vmcb->ctl.exitcode == SVM_EXIT_SHUTDOWN)
		log_shutdown(v, vmcb);
	svm_exit_translate(vmcb, v->regs.rcx, c->nrip_save, e);
	svm_exit_fetch_decode(v, vmcb, c->nrip_save, e);
	svm_intr_exit(sv, e);
	svm_exit_local(v, sv, e);
}

/*
 * No preemption timer on AMD-V: INTR is intercepted and the host's LAPIC
 * timer (every CPU, 100 Hz) ends the slice with an EXIT_EXTINT at the latest,
 * so `slice_tsc` is bounded by the tick rather than enforced here.
 */
int svm_vcpu_run(struct vcpu *v, uint64_t slice_tsc, struct vm_exit *e)
{
	struct percpu *p = this_cpu();
	struct svm_cpu *c = p->arch;
	struct svm_vcpu *sv = v->arch;

	(void)slice_tsc;
	if (!c || !sv) {
		log_error("svm: vm %s vCPU %u: %s on cpu %u", v->vm->name, v->index,
			  !c ? "AMD-V is not enabled" : "no VMCB", p->index);
		return -1;
	}
	prepare_entry(v, c, sv, (int32_t)p->index);
	svm_vmrun(&v->regs, sv->vmcb_pa, c->host_vmcb_pa);
	finish_exit(v, c, sv, e);
	return 0;
}

void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct svm_vcpu *sv = v->arch;

	if (sv)
		sv->pending_event = vmcb_event_exception(vector, has_error, error);
}

void svm_read_state(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;

	if (sv)
		vmcb_store_state(sv->vmcb, &v->regs, 0);
}
