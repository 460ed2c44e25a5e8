/* The AMD-V backend: its ops table, SVM enable per CPU, and per-VM nested paging, ASIDs and permission maps. */
/* SPDX-License-Identifier: MIT */

#include <stdlib.h>
#include <string.h>
#include "hypervisor/svm/svm.h"
#include "hypervisor/svm/asid.h"
#include "hypervisor/svm/npt.h"
#include "hypervisor/svm/permmap.h"
#include "hypervisor/virt.h"
#include "hypervisor/virt_ops.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"

#define CPUID_SVM_FLUSH_BY_ASID (1u << 6) /* CPUID 8000000Ah EDX, APM Vol 3 E.4.9 */

static bool svm_enabled; /* AMD-V is on on at least one CPU */
static struct spinlock maps_lock = SPINLOCK_INIT;
/* Every VM intercepts the same ports and MSRs: one I/O and one MSR permission map serve them all. */
static uint64_t shared_iopm_pa, shared_msrpm_pa;

static int shared_maps_init(void)
{
	int rc = 0;

	spin_lock(&maps_lock);
	if (!shared_iopm_pa) {
		uint64_t iopm = svm_alloc_pages(IOPM_BYTES / PMM_FRAME);
		uint64_t msrpm = svm_alloc_pages(MSRPM_BYTES / PMM_FRAME);
		if (iopm && msrpm) {
			iopm_init(phys_to_virt(iopm));
			msrpm_init(phys_to_virt(msrpm));
			shared_iopm_pa = iopm;
			shared_msrpm_pa = msrpm;
		} else {
			svm_free_pages(iopm, IOPM_BYTES / PMM_FRAME);
			svm_free_pages(msrpm, MSRPM_BYTES / PMM_FRAME);
			rc = -1;
		}
	}
	spin_unlock(&maps_lock);
	return rc;
}

uint64_t svm_alloc_pages(uint32_t count)
{
	uint64_t pa = pmm_alloc(count, PMM_FRAME);

	if (pa)
		memset(phys_to_virt(pa), 0, (size_t)count * PMM_FRAME);
	return pa;
}

void svm_free_pages(uint64_t pa, uint32_t count)
{
	if (pa)
		pmm_free(pa, count);
}

/* ---- per CPU ---- */

static struct svm_cpu *svm_cpu_alloc(void)
{
	const struct virt_features *f = virt_features_get();
	struct svm_cpu *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->hsave_pa = svm_alloc_pages(1);
	c->host_vmcb_pa = svm_alloc_pages(1);
	if (!c->hsave_pa || !c->host_vmcb_pa) {
		svm_free_pages(c->hsave_pa, 1);
		svm_free_pages(c->host_vmcb_pa, 1);
		free(c);
		return NULL;
	}
	c->flush_by_asid = cpuid(0x8000000a, 0).edx & CPUID_SVM_FLUSH_BY_ASID;
	c->vmcb_clean = f->vmcb_clean;
	c->nrip_save = f->nrip_save;
	asid_space_init(&c->asids, f->asids);
	return c;
}

/* APM Vol 2 15.4: SVM is enabled by EFER.SVME unless the firmware locked it off in VM_CR. */
static int svm_cpu_enable(void)
{
	struct percpu *p = this_cpu();
	struct svm_cpu *c;

	if (p->arch)
		return 0;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		log_error("svm: cpu %u: AMD-V is disabled by the firmware (VM_CR.SVMDIS)", p->index);
		return -1;
	}
	c = svm_cpu_alloc();
	if (!c || shared_maps_init()) {
		log_error("svm: cpu %u: no memory for the host save area or permission maps", p->index);
		if (c) {
			svm_free_pages(c->hsave_pa, 1);
			svm_free_pages(c->host_vmcb_pa, 1);
			free(c);
		}
		return -1;
	}
	__atomic_store_n(&svm_enabled, true, __ATOMIC_RELEASE);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, c->hsave_pa);
	p->arch = c;
	return 0;
}

/* ---- per VM ---- */

static uint64_t npt_alloc_page(void *ctx)
{
	(void)ctx;
	return svm_alloc_pages(1);
}

static void npt_free_page(void *ctx, uint64_t hpa)
{
	(void)ctx;
	svm_free_pages(hpa, 1);
}

static void *npt_to_virt(void *ctx, uint64_t hpa)
{
	(void)ctx;
	return phys_to_virt(hpa);
}

static const struct slat_mem npt_mem = {
	.alloc_page = npt_alloc_page,
	.free_page = npt_free_page,
	.to_virt = npt_to_virt,
};

static void svm_vm_free(struct svm_vm *s)
{
	if (s->npt.root)
		slat_destroy(&s->npt);
	free(s);
}

static int svm_vm_alloc(struct svm_vm *s)
{
	s->iopm_pa = shared_iopm_pa;
	s->msrpm_pa = shared_msrpm_pa;
	return slat_init(&s->npt, &npt_format, &npt_mem);
}

static int svm_vm_init(struct vm *vm)
{
	struct svm_vm *s = calloc(1, sizeof(*s));

	if (!s || !svm_enabled || svm_vm_alloc(s)) {
		log_error("svm: vm %s: %s", vm->name,
			  !s ? "no memory" : !svm_enabled ? "AMD-V is not enabled on any CPU" :
			  "no memory for NPT or permission maps");
		if (s)
			svm_vm_free(s);
		return -1;
	}
	vm->arch = s;
	return 0;
}

static void svm_vm_destroy(struct vm *vm)
{
	if (!vm->arch)
		return;
	svm_vm_free(vm->arch);
	vm->arch = NULL;
}

/* Any change of the tables makes every vCPU flush its ASID on its next VMRUN (APM Vol 2 15.16.1). */
static int svm_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot)
{
	struct svm_vm *s = vm->arch;
	int rc = slat_map(&s->npt, gpa, hpa, size, prot);

	__atomic_add_fetch(&s->tlb_gen, 1, __ATOMIC_RELEASE);
	return rc;
}

static int svm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct svm_vm *s = vm->arch;
	int rc = slat_unmap(&s->npt, gpa, size);

	__atomic_add_fetch(&s->tlb_gen, 1, __ATOMIC_RELEASE);
	return rc;
}

static uint64_t svm_table_bytes(struct vm *vm)
{
	struct svm_vm *s = vm->arch;

	return s ? s->npt.table_pages * PMM_FRAME : 0;
}

const struct virt_ops svm_ops = {
	.name = "AMD-V",
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vm_destroy = svm_vm_destroy,
	.map = svm_map,
	.unmap = svm_unmap,
	.table_bytes = svm_table_bytes,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_run = svm_vcpu_run,
	.inject_exception = svm_inject_exception,
	.event_allowed = svm_event_allowed,
	.inject_event = svm_inject_event,
	.request_window = svm_request_window,
	.read_state = svm_read_state,
};
