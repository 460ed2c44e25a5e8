/* The VT-x backend: its ops table, VMXON on every CPU (SDM Vol 3C 24.7-24.8), bitmaps shared by all vCPUs. */
/* SPDX-License-Identifier: MIT */

#include <stdlib.h>
#include <string.h>
#include "hypervisor/virt.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vmx/bitmap.h"
#include "hypervisor/vmx/vmx_insn.h"
#include "hypervisor/vmx/vmx_msr.h"
#include "hypervisor/vmx/vmx_local.h"
#include "hypervisor/vmx/vmx_vcpu.h"
#include "hypervisor/vmx/vmx_vm.h"
#include "kernel/arch/x86.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"

#define CR4_VMXE (1ull << 13)

struct vmx_caps vmx_caps;

/* Every port and every MSR exits except those the VMCS switches itself (see vmx_bitmaps_init). */
uint8_t vmx_io_bitmap_a[VMX_BITMAP_BYTES] __attribute__((aligned(4096)));
uint8_t vmx_io_bitmap_b[VMX_BITMAP_BYTES] __attribute__((aligned(4096)));
uint8_t vmx_msr_bitmap[VMX_BITMAP_BYTES] __attribute__((aligned(4096)));
static struct spinlock setup_lock = SPINLOCK_INIT;
static bool bitmaps_ready;

struct vmx_cpu *vmx_this_cpu(void)
{
	return this_cpu()->arch;
}

static void read_caps(struct vmx_caps *c)
{
	c->basic = rdmsr(MSR_VMX_BASIC);
	c->pin = rdmsr(MSR_VMX_PINBASED_CTLS);
	c->proc = rdmsr(MSR_VMX_PROCBASED_CTLS);
	c->exit = rdmsr(MSR_VMX_EXIT_CTLS);
	c->entry = rdmsr(MSR_VMX_ENTRY_CTLS);
	c->proc2 = (c->proc >> 32) & PROC_SECONDARY ? rdmsr(MSR_VMX_PROCBASED_CTLS2) : 0;
	c->ept_vpid = (c->proc2 >> 32) & (PROC2_EPT | PROC2_VPID) ? rdmsr(MSR_VMX_EPT_VPID_CAP) : 0;
	if (c->basic & VMX_BASIC_TRUE_CTLS) { /* SDM Vol 3D A.1 bit 55 */
		c->true_pin = rdmsr(MSR_VMX_TRUE_PINBASED_CTLS);
		c->true_proc = rdmsr(MSR_VMX_TRUE_PROCBASED_CTLS);
		c->true_exit = rdmsr(MSR_VMX_TRUE_EXIT_CTLS);
		c->true_entry = rdmsr(MSR_VMX_TRUE_ENTRY_CTLS);
	}
}

static void vmx_bitmaps_init(void)
{
	vmx_io_bitmap_init(vmx_io_bitmap_a, vmx_io_bitmap_b);
	vmx_msr_bitmap_build(vmx_msr_bitmap);
	for (size_t i = 0; i < VMX_SWITCHED_MSRS; i++) /* switched per vCPU by vmx_local.c */
		vmx_msr_bitmap_pass(vmx_msr_bitmap, vmx_switched_msrs[i], true, true);
}

/* IA32_FEATURE_CONTROL, SDM Vol 3C 24.7: lock it with VMX outside SMX if the firmware left it open. */
static int feature_control_ok(void)
{
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCKED)) {
		wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCKED);
		return 0;
	}
	if (fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)
		return 0;
	log_error("vmx: cpu %u: IA32_FEATURE_CONTROL is locked with VMX off; enable VT-x in the firmware", this_cpu_index());
	return -1;
}

/* CR0/CR4 fixed bits for VMX operation, SDM Vol 3C 24.8 and Vol 3D A.7-A.8. */
static int apply_fixed_bits(void)
{
	uint64_t cr0 = (read_cr0() | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1);
	uint64_t cr4 = (read_cr4() | CR4_VMXE | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1);

	if (!(cr4 & CR4_VMXE)) {
		log_error("vmx: cpu %u: IA32_VMX_CR4_FIXED1 does not allow CR4.VMXE", this_cpu_index());
		return -1;
	}
	write_cr0(cr0);
	write_cr4(cr4);
	return 0;
}

/* A zeroed 4 KiB VMXON region or VMCS with the revision identifier in bits 30:0 (SDM Vol 3C 25.2, 25.11.5). */
uint64_t vmx_alloc_region(void)
{
	uint64_t pa = pmm_alloc_frame();

	if (pa) {
		memset(phys_to_virt(pa), 0, PMM_FRAME);
		*(uint32_t *)phys_to_virt(pa) = VMX_BASIC_REVISION(vmx_caps.basic);
	}
	return pa;
}

static void setup_once(void)
{
	uint64_t flags = spin_lock_irqsave(&setup_lock);

	if (!bitmaps_ready) {
		read_caps(&vmx_caps);
		vmx_bitmaps_init();
		bitmaps_ready = true;
	}
	spin_unlock_irqrestore(&setup_lock, flags);
}

static int vmx_turn_on(struct vmx_cpu *c)
{
	c->vmxon_pa = vmx_alloc_region();
	if (!c->vmxon_pa) {
		log_error("vmx: cpu %u: no memory for the VMXON region", this_cpu_index());
		return -1;
	}
	if (vmxon(c->vmxon_pa)) {
		log_error("vmx: cpu %u: VMXON failed (VMfailInvalid: bad region or CR0/CR4 bits)", this_cpu_index());
		write_cr4(read_cr4() & ~CR4_VMXE);
		pmm_free(c->vmxon_pa, 1);
		return -1;
	}
	return 0;
}

/* Stale translations from before VMXON (a previous kernel, firmware) go at once. */
static void flush_all_tags(void)
{
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_ALL)
		invept(INVEPT_ALL, 0);
	if (vmx_caps.ept_vpid & VPID_CAP_INVVPID_ALL)
		invvpid(INVVPID_ALL, 0);
}

static int vmx_cpu_enable(void)
{
	struct vmx_cpu *c;

	if (this_cpu()->arch)
		return 0;
	if (!virt_features_get()->available || feature_control_ok())
		return -1;
	setup_once();
	c = calloc(1, sizeof(*c));
	if (!c || apply_fixed_bits() || vmx_turn_on(c)) {
		free(c);
		return -1;
	}
	flush_all_tags();
	this_cpu()->arch = c;
	log_info("vmx: cpu %u: VMX on (VMCS revision 0x%x)", this_cpu_index(), VMX_BASIC_REVISION(vmx_caps.basic));
	return 0;
}

const struct virt_ops vmx_ops = {
	.name = "vmx",
	.cpu_enable = vmx_cpu_enable,
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.map = vmx_map,
	.unmap = vmx_unmap,
	.table_bytes = vmx_table_bytes,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_run = vmx_vcpu_run,
	.inject_exception = vmx_inject_exception,
	.event_allowed = vmx_event_allowed,
	.inject_event = vmx_inject_event,
	.request_window = vmx_request_window,
	.read_state = vmx_read_state,
};
