/* VMCS field encodings (SDM Vol 3D appendix B), VMREAD/VMWRITE and the VMCS set-up of one vCPU. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMCS_H
#define HYPERVISOR_VMX_VMCS_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/vmx/controls.h"

struct vcpu;

/* 16-bit fields, SDM Vol 3D B.1. */
#define VMCS_VPID 0x0000
#define VMCS_GUEST_ES_SEL 0x0800
#define VMCS_GUEST_CS_SEL 0x0802
#define VMCS_GUEST_SS_SEL 0x0804
#define VMCS_GUEST_DS_SEL 0x0806
#define VMCS_GUEST_FS_SEL 0x0808
#define VMCS_GUEST_GS_SEL 0x080a
#define VMCS_GUEST_LDTR_SEL 0x080c
#define VMCS_GUEST_TR_SEL 0x080e
#define VMCS_HOST_ES_SEL 0x0c00
#define VMCS_HOST_CS_SEL 0x0c02
#define VMCS_HOST_SS_SEL 0x0c04
#define VMCS_HOST_DS_SEL 0x0c06
#define VMCS_HOST_FS_SEL 0x0c08
#define VMCS_HOST_GS_SEL 0x0c0a
#define VMCS_HOST_TR_SEL 0x0c0c

/* 64-bit fields, SDM Vol 3D B.2. */
#define VMCS_IO_BITMAP_A 0x2000
#define VMCS_IO_BITMAP_B 0x2002
#define VMCS_MSR_BITMAP 0x2004
#define VMCS_EPT_POINTER 0x201a
#define VMCS_XSS_EXIT_BITMAP 0x202c
#define VMCS_GUEST_PHYSICAL_ADDRESS 0x2400
#define VMCS_LINK_POINTER 0x2800
#define VMCS_GUEST_DEBUGCTL 0x2802
#define VMCS_GUEST_PAT 0x2804
#define VMCS_GUEST_EFER 0x2806
#define VMCS_HOST_PAT 0x2c00
#define VMCS_HOST_EFER 0x2c02

/* 32-bit fields, SDM Vol 3D B.3. */
#define VMCS_PIN_CONTROLS 0x4000
#define VMCS_PROC_CONTROLS 0x4002
#define VMCS_EXCEPTION_BITMAP 0x4004
#define VMCS_CR3_TARGET_COUNT 0x400a
#define VMCS_EXIT_CONTROLS 0x400c
#define VMCS_EXIT_MSR_STORE_COUNT 0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010
#define VMCS_ENTRY_CONTROLS 0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014
#define VMCS_ENTRY_INTR_INFO 0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR 0x4018
#define VMCS_ENTRY_INSTRUCTION_LEN 0x401a
#define VMCS_PROC2_CONTROLS 0x401e
#define VMCS_VM_INSTRUCTION_ERROR 0x4400
#define VMCS_EXIT_REASON 0x4402
#define VMCS_EXIT_INTR_INFO 0x4404
#define VMCS_EXIT_INTR_ERROR 0x4406
#define VMCS_IDT_VECTORING_INFO 0x4408
#define VMCS_IDT_VECTORING_ERROR 0x440a
#define VMCS_EXIT_INSTRUCTION_LEN 0x440c
#define VMCS_GUEST_ES_LIMIT 0x4800  /* then CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_GUEST_GDTR_LIMIT 0x4810
#define VMCS_GUEST_IDTR_LIMIT 0x4812
#define VMCS_GUEST_ES_AR 0x4814     /* then CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY 0x4826
#define VMCS_GUEST_SYSENTER_CS 0x482a
#define VMCS_PREEMPTION_TIMER 0x482e
#define VMCS_HOST_SYSENTER_CS 0x4c00

/* Natural-width fields, SDM Vol 3D B.4. */
#define VMCS_CR0_MASK 0x6000
#define VMCS_CR4_MASK 0x6002
#define VMCS_CR0_SHADOW 0x6004
#define VMCS_CR4_SHADOW 0x6006
#define VMCS_EXIT_QUALIFICATION 0x6400
#define VMCS_GUEST_CR0 0x6800
#define VMCS_GUEST_CR3 0x6802
#define VMCS_GUEST_CR4 0x6804
#define VMCS_GUEST_ES_BASE 0x6806   /* then CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_GUEST_GDTR_BASE 0x6816
#define VMCS_GUEST_IDTR_BASE 0x6818
#define VMCS_GUEST_DR7 0x681a
#define VMCS_GUEST_RSP 0x681c
#define VMCS_GUEST_RIP 0x681e
#define VMCS_GUEST_RFLAGS 0x6820
#define VMCS_GUEST_PENDING_DBG 0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0 0x6c00
#define VMCS_HOST_CR3 0x6c02
#define VMCS_HOST_CR4 0x6c04
#define VMCS_HOST_FS_BASE 0x6c06
#define VMCS_HOST_GS_BASE 0x6c08
#define VMCS_HOST_TR_BASE 0x6c0a
#define VMCS_HOST_GDTR_BASE 0x6c0c
#define VMCS_HOST_IDTR_BASE 0x6c0e
#define VMCS_HOST_SYSENTER_ESP 0x6c10
#define VMCS_HOST_SYSENTER_EIP 0x6c12
#define VMCS_HOST_RSP 0x6c14
#define VMCS_HOST_RIP 0x6c16

/* Segment order of the guest-state fields (ES, CS, SS, DS, FS, GS, LDTR, TR), SDM Vol 3D B.1.2. */
enum vmcs_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };

/* Everything vmx.c keeps per vCPU. */
struct vmx_vcpu {
	uint64_t vmcs_pa;
	uint16_t vpid;
	bool launched;
	uint32_t owner_cpu;            /* the CPU whose VMCS pointer it may be */
	uint64_t ept_gen;              /* EPT generation last invalidated on this vCPU */
	uint64_t cr0, cr3, cr4, efer;  /* guest-visible values last loaded or read */
	uint32_t pending_intr;         /* event to inject at the next entry, INTR_INFO format */
	uint32_t pending_error;
	uint32_t pending_len;
	uint64_t exit_rip;             /* guest RIP at the last exit */
	struct vmx_controls ctl;
	uint64_t msrs[5];              /* SYSCALL MSRs while another vCPU holds the CPU (vmx_local.c) */
};

/* Set-up (vmcs.c); the VMCS must be current. */
void vmcs_write_host_state(void);
void vmcs_write_controls(const struct vmx_vcpu *a, uint64_t eptp, const uint8_t *io_a, const uint8_t *io_b, const uint8_t *msr_bm);
/* Loads v->regs (segments, control registers, EFER) into the guest-state area. */
void vmcs_write_guest_state(struct vcpu *v);
/* Loads only CR0/CR3/CR4/EFER from v->regs, with the fixed bits applied. */
void vmcs_write_guest_cr(struct vcpu *v);
/* Reads segments, descriptor tables, CR0/CR3/CR4 (as the guest sees them) and EFER; RIP/RSP/RFLAGS stay as vcpu_run left them. */
void vmcs_read_guest_state(struct vcpu *v);

#ifndef BULWARK_HOST_TEST
/* VMREAD/VMWRITE, SDM Vol 2C: CF or ZF set means the instruction failed. */
static inline uint64_t vmread(uint64_t field)
{
	uint64_t v = 0;
	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static inline int vmwrite(uint64_t field, uint64_t value)
{
	uint8_t fail;
	__asm__ volatile("vmwrite %2, %1; setbe %0" : "=qm"(fail) : "r"(field), "rm"(value) : "cc", "memory");
	return fail ? -1 : 0;
}
#endif

#endif
