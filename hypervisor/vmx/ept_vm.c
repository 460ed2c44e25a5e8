/* A VM's EPT: the shared SLAT builder with EPT entries, table pages from the frame allocator, INVEPT on change. */
/* SPDX-License-Identifier: MIT */

#include <stdlib.h>
#include <string.h>
#include "hypervisor/virt.h"
#include "hypervisor/vm.h"
#include "hypervisor/vmx/ept.h"
#include "hypervisor/vmx/vmx_insn.h"
#include "hypervisor/vmx/vmx_vm.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

static uint64_t ept_alloc_page(void *ctx)
{
	uint64_t pa = pmm_alloc_frame();

	(void)ctx;
	if (pa)
		memset(phys_to_virt(pa), 0, PMM_FRAME);
	return pa;
}

static void ept_free_page(void *ctx, uint64_t hpa)
{
	(void)ctx;
	pmm_free(hpa, 1);
}

static void *ept_to_virt(void *ctx, uint64_t hpa)
{
	(void)ctx;
	return phys_to_virt(hpa);
}

static const struct slat_mem ept_mem = {
	.alloc_page = ept_alloc_page,
	.free_page = ept_free_page,
	.to_virt = ept_to_virt,
};

/* INVEPT on this CPU, SDM Vol 3C 29.4.3.1: single-context when supported, else global. */
void vmx_invept(uint64_t eptp)
{
	if (!vmx_this_cpu() || !(vmx_caps.ept_vpid & EPT_CAP_INVEPT))
		return;
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE)
		invept(INVEPT_SINGLE, eptp);
	else
		invept(INVEPT_ALL, 0);
}

int vmx_vm_init(struct vm *vm)
{
	struct vmx_vm *x = calloc(1, sizeof(*x));

	if (!x || slat_init(&x->ept, &ept_format, &ept_mem)) {
		free(x);
		log_error("vmx: %s: no memory for the EPT root", vm->name);
		return -1;
	}
	/* A 2 MiB leaf needs IA32_VMX_EPT_VPID_CAP bit 16 (SDM Vol 3D A.10); without it, bit 7 is a misconfiguration. */
	x->ept.small_only = !virt_features_get()->ept_2m;
	x->eptp = ept_make_eptp(x->ept.root);
	x->ept_gen = 1;
	vm->arch = x;
	return 0;
}

void vmx_vm_destroy(struct vm *vm)
{
	struct vmx_vm *x = vm->arch;

	if (!x)
		return;
	vmx_invept(x->eptp);
	slat_destroy(&x->ept);
	free(x);
	vm->arch = NULL;
}

/* Any change: this CPU invalidates now, the vCPUs before their next entry (see vcpu_run). */
static void ept_changed(struct vmx_vm *x)
{
	__atomic_add_fetch(&x->ept_gen, 1, __ATOMIC_RELEASE);
	vmx_invept(x->eptp);
}

int vmx_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot)
{
	struct vmx_vm *x = vm->arch;
	uint64_t flags = spin_lock_irqsave(&x->lock);
	int rc = slat_map(&x->ept, gpa, hpa, size, prot);

	ept_changed(x);
	spin_unlock_irqrestore(&x->lock, flags);
	return rc;
}

int vmx_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct vmx_vm *x = vm->arch;
	uint64_t flags = spin_lock_irqsave(&x->lock);
	int rc = slat_unmap(&x->ept, gpa, size);

	ept_changed(x);
	spin_unlock_irqrestore(&x->lock, flags);
	return rc;
}

uint64_t vmx_table_bytes(struct vm *vm)
{
	struct vmx_vm *x = vm->arch;
	return x ? x->ept.table_pages * PMM_FRAME : 0;
}
