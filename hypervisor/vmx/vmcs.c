/* VMCS set-up of one vCPU: host state, execution controls, guest state in and out (SDM Vol 3C 25.4-25.8). */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/cr_policy.h"
#include "hypervisor/vm.h"
#include "hypervisor/vmx/vmcs.h"
#include "hypervisor/vmx/vmx_msr.h"
#include "kernel/arch/x86.h"
#include "kernel/mm/paging.h"
#include "kernel/percpu.h"

#define CR0_PE (1ull << 0)
#define CR0_PG (1ull << 31)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
/* RFLAGS bits a guest may hold (SDM Vol 3C 27.3.1.4): everything defined; bit 1 is always 1. */
#define RFLAGS_DEFINED 0x3f7fd5ull
#define RFLAGS_FIXED1 0x2ull

/* Access rights of a busy 32-bit TSS, present (SDM Vol 3C 27.3.1.2). */
#define AR_TSS_BUSY 0x8bu
#define AR_TYPE(a) ((a) & 0xfu)

void vmx_exit_stub(void); /* vmx_run.S */

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define READ_SEL(reg) ({ uint16_t s_; __asm__ volatile("mov %%" #reg ", %0" : "=rm"(s_)); (uint16_t)(s_ & ~7u); })

/* Host-state area, SDM Vol 3C 25.5 and 27.2.3: THIS CPU's GDT, TSS, IDT and per-CPU GS base. */
void vmcs_write_host_state(void)
{
	struct percpu *cpu = this_cpu();
	struct desc_ptr idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SEL, SEL_KERNEL_CS);
	vmwrite(VMCS_HOST_SS_SEL, READ_SEL(ss));
	vmwrite(VMCS_HOST_DS_SEL, READ_SEL(ds));
	vmwrite(VMCS_HOST_ES_SEL, READ_SEL(es));
	vmwrite(VMCS_HOST_FS_SEL, READ_SEL(fs));
	vmwrite(VMCS_HOST_GS_SEL, READ_SEL(gs));
	vmwrite(VMCS_HOST_TR_SEL, SEL_TSS);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, (uint64_t)cpu);
	vmwrite(VMCS_HOST_TR_BASE, (uint64_t)&cpu->tss);
	vmwrite(VMCS_HOST_GDTR_BASE, (uint64_t)cpu->gdt);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(VMCS_HOST_RIP, (uint64_t)vmx_exit_stub);
}

/* Execution, exit and entry controls, SDM Vol 3C 25.6-25.8. */
void vmcs_write_controls(const struct vmx_vcpu *a, uint64_t eptp, const uint8_t *io_a, const uint8_t *io_b, const uint8_t *msr_bm)
{
	vmwrite(VMCS_PIN_CONTROLS, a->ctl.pin);
	vmwrite(VMCS_PROC_CONTROLS, a->ctl.proc);
	vmwrite(VMCS_PROC2_CONTROLS, a->ctl.proc2);
	vmwrite(VMCS_EXIT_CONTROLS, a->ctl.exit);
	vmwrite(VMCS_ENTRY_CONTROLS, a->ctl.entry);
	vmwrite(VMCS_EXCEPTION_BITMAP, vmx_exception_bitmap());
	vmwrite(VMCS_PF_ERROR_MASK, 0); /* with bit 14 clear in the bitmap, no #PF exits (SDM Vol 3C 25.6.3) */
	vmwrite(VMCS_PF_ERROR_MATCH, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_IO_BITMAP_A, virt_to_phys(io_a));
	vmwrite(VMCS_IO_BITMAP_B, virt_to_phys(io_b));
	vmwrite(VMCS_MSR_BITMAP, virt_to_phys(msr_bm));
	vmwrite(VMCS_EPT_POINTER, eptp);
	if (a->ctl.proc2 & PROC2_VPID)
		vmwrite(VMCS_VPID, a->vpid);
	if (a->ctl.proc2 & PROC2_XSAVES)
		vmwrite(VMCS_XSS_EXIT_BITMAP, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ull); /* SDM Vol 3C 27.3.1.5 */
}

static void write_seg(enum vmcs_seg i, const struct vcpu_seg *s)
{
	uint32_t ar = s->attr & 0x1f0ffu; /* bits 11:8 and 31:17 are reserved, SDM Vol 3C table 25-2 */

	vmwrite(VMCS_GUEST_ES_SEL + 2 * i, s->sel);
	vmwrite(VMCS_GUEST_ES_BASE + 2 * i, s->base);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, s->limit);
	vmwrite(VMCS_GUEST_ES_AR + 2 * i, ar);
}

/* VM entry needs a usable busy TSS in TR (SDM Vol 3C 27.3.1.2); a guest without one gets a dummy. */
static void write_tr(const struct vcpu_seg *tr)
{
	struct vcpu_seg fixed = { .sel = 0, .limit = 0xff, .attr = AR_TSS_BUSY, .base = 0 };
	bool usable = !(tr->attr & SEG_ATTR_UNUSABLE) && (AR_TYPE(tr->attr) == 3 || AR_TYPE(tr->attr) == 11);

	write_seg(SEG_TR, usable ? tr : &fixed);
}

/* The guest's CR0/CR4 with the VMX fixed bits applied (SDM Vol 3D A.7-A.8); unrestricted guest frees PE and PG. */
static uint64_t cr0_fixed0(void)
{
	return rdmsr(MSR_VMX_CR0_FIXED0) & ~(CR0_PE | CR0_PG);
}

static void write_cr0_cr4(uint64_t cr0, uint64_t cr4)
{
	uint64_t f0 = cr0_fixed0(), f1 = rdmsr(MSR_VMX_CR0_FIXED1);
	uint64_t g0 = rdmsr(MSR_VMX_CR4_FIXED0), g1 = rdmsr(MSR_VMX_CR4_FIXED1);

	/* Host-owned bits (mask 1) read from the shadow and exit when written differently (SDM Vol 3C 25.6.6). */
	vmwrite(VMCS_CR0_MASK, f0 | ~f1);
	vmwrite(VMCS_CR0_SHADOW, cr0);
	vmwrite(VMCS_GUEST_CR0, (cr0 | f0) & f1);
	/* CR4: every bit the policy does not leave to the guest exits, so cr4_write_ok decides (SDM Vol 3C 25.6.6). */
	vmwrite(VMCS_CR4_MASK, g0 | ~g1 | ~cr4_guest_owned());
	vmwrite(VMCS_CR4_SHADOW, cr4);
	vmwrite(VMCS_GUEST_CR4, (cr4 | g0) & g1);
}

/* EFER.LMA follows LME and CR0.PG, and the IA-32e mode guest entry control follows LMA (SDM Vol 3C 27.3.1.1). */
void vmcs_write_guest_cr(struct vcpu *v)
{
	struct vmx_vcpu *a = v->arch;
	uint64_t efer = v->regs.efer & ~EFER_LMA;
	uint32_t entry = (uint32_t)vmread(VMCS_ENTRY_CONTROLS) & ~ENTRY_CTL_IA32E_GUEST;

	if ((efer & EFER_LME) && (v->regs.cr0 & CR0_PG)) {
		efer |= EFER_LMA;
		entry |= ENTRY_CTL_IA32E_GUEST;
	}
	write_cr0_cr4(v->regs.cr0, v->regs.cr4);
	vmwrite(VMCS_GUEST_CR3, v->regs.cr3);
	vmwrite(VMCS_GUEST_EFER, efer);
	vmwrite(VMCS_ENTRY_CONTROLS, entry);
	a->cr0 = v->regs.cr0;
	a->cr3 = v->regs.cr3;
	a->cr4 = v->regs.cr4;
	a->efer = v->regs.efer;
}

/* Guest-state area, SDM Vol 3C 25.4; checks it must pass in 27.3.1. */
void vmcs_write_guest_state(struct vcpu *v)
{
	struct vcpu_regs *r = &v->regs;

	write_seg(SEG_ES, &r->es);
	write_seg(SEG_CS, &r->cs);
	write_seg(SEG_SS, &r->ss);
	write_seg(SEG_DS, &r->ds);
	write_seg(SEG_FS, &r->fs);
	write_seg(SEG_GS, &r->gs);
	write_seg(SEG_LDTR, &r->ldtr);
	write_tr(&r->tr);
	vmwrite(VMCS_GUEST_GDTR_BASE, r->gdtr.base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, r->gdtr.limit & 0xffff);
	vmwrite(VMCS_GUEST_IDTR_BASE, r->idtr.base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, r->idtr.limit & 0xffff);
	vmcs_write_guest_cr(v);
	vmwrite(VMCS_GUEST_RIP, r->rip);
	vmwrite(VMCS_GUEST_RSP, r->rsp);
	vmwrite(VMCS_GUEST_RFLAGS, (r->rflags & RFLAGS_DEFINED) | RFLAGS_FIXED1);
	vmwrite(VMCS_GUEST_DR7, 0x400);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_PAT, rdmsr(MSR_PAT));
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0); /* active, SDM Vol 3C 25.4.2 */
}

static void read_seg(enum vmcs_seg i, struct vcpu_seg *s)
{
	s->sel = (uint16_t)vmread(VMCS_GUEST_ES_SEL + 2 * i);
	s->base = vmread(VMCS_GUEST_ES_BASE + 2 * i);
	s->limit = (uint32_t)vmread(VMCS_GUEST_ES_LIMIT + 2 * i);
	s->attr = (uint32_t)vmread(VMCS_GUEST_ES_AR + 2 * i);
}

/* What the guest sees: host-owned bits from the read shadow (SDM Vol 3C 25.6.6). */
static uint64_t guest_view(uint64_t real, uint64_t mask_field, uint64_t shadow_field)
{
	uint64_t mask = vmread(mask_field);
	return (real & ~mask) | (vmread(shadow_field) & mask);
}

void vmcs_read_guest_state(struct vcpu *v)
{
	struct vcpu_regs *r = &v->regs;
	struct vmx_vcpu *a = v->arch;

	read_seg(SEG_ES, &r->es);
	read_seg(SEG_CS, &r->cs);
	read_seg(SEG_SS, &r->ss);
	read_seg(SEG_DS, &r->ds);
	read_seg(SEG_FS, &r->fs);
	read_seg(SEG_GS, &r->gs);
	read_seg(SEG_LDTR, &r->ldtr);
	read_seg(SEG_TR, &r->tr);
	r->gdtr.base = vmread(VMCS_GUEST_GDTR_BASE);
	r->gdtr.limit = (uint32_t)vmread(VMCS_GUEST_GDTR_LIMIT);
	r->idtr.base = vmread(VMCS_GUEST_IDTR_BASE);
	r->idtr.limit = (uint32_t)vmread(VMCS_GUEST_IDTR_LIMIT);
	r->cr0 = a->cr0 = guest_view(vmread(VMCS_GUEST_CR0), VMCS_CR0_MASK, VMCS_CR0_SHADOW);
	r->cr4 = a->cr4 = guest_view(vmread(VMCS_GUEST_CR4), VMCS_CR4_MASK, VMCS_CR4_SHADOW);
	r->cr3 = a->cr3 = vmread(VMCS_GUEST_CR3);
	r->efer = a->efer = vmread(VMCS_GUEST_EFER);
}
