/* The AMD-V virtual machine control block: layout (APM Vol 2 appendix B), intercept bits and setup helpers. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_VMCB_H
#define HYPERVISOR_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>
#include "hypervisor/vcpu_regs.h"

/* Segment in the state-save area: 12-bit attributes (APM Vol 2 15.5.1, appendix B table B-2). */
struct vmcb_seg {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
};

/* Control area, offsets 000h-3FFh (APM Vol 2 appendix B table B-1). */
struct vmcb_control {
	uint32_t intercept_cr;     /* 000h: bits 15:0 reads of CR0-15, 31:16 writes */
	uint32_t intercept_dr;     /* 004h */
	uint32_t intercept_exc;    /* 008h: one bit per exception vector */
	uint32_t intercept_misc1;  /* 00Ch: VMCB_I1_* */
	uint32_t intercept_misc2;  /* 010h: VMCB_I2_* */
	uint32_t intercept_misc3;  /* 014h */
	uint8_t reserved0[0x3c - 0x18];
	uint16_t pause_filter_threshold; /* 03Ch */
	uint16_t pause_filter_count;     /* 03Eh */
	uint64_t iopm_base_pa;     /* 040h */
	uint64_t msrpm_base_pa;    /* 048h */
	uint64_t tsc_offset;       /* 050h */
	uint32_t asid;             /* 058h */
	uint8_t tlb_control;       /* 05Ch: VMCB_TLB_* */
	uint8_t reserved1[3];
	uint64_t vintr;            /* 060h: V_TPR, V_IRQ, V_INTR_MASKING (bit 24), V_INTR_VECTOR */
	uint64_t int_state;        /* 068h: bit 0 interrupt shadow */
	uint64_t exitcode;         /* 070h */
	uint64_t exitinfo1;        /* 078h */
	uint64_t exitinfo2;        /* 080h */
	uint64_t exitintinfo;      /* 088h: EVENTINJ layout */
	uint64_t np_control;       /* 090h: bit 0 NP_ENABLE */
	uint64_t avic_apic_bar;    /* 098h */
	uint64_t ghcb_pa;          /* 0A0h */
	uint64_t eventinj;         /* 0A8h: APM Vol 2 15.20 */
	uint64_t n_cr3;            /* 0B0h: nested page table root */
	uint64_t virt_ext;         /* 0B8h */
	uint32_t clean;            /* 0C0h: VMCB clean bits, APM Vol 2 15.15 */
	uint32_t reserved2;
	uint64_t nrip;             /* 0C8h: next RIP (nrip-save, APM Vol 2 15.7.1) */
	uint8_t insn_fetched;      /* 0D0h: decode assists, APM Vol 2 15.33 */
	uint8_t insn_bytes[15];    /* 0D1h */
	uint8_t reserved3[0x400 - 0xe0];
};

/* State-save area, offsets 400h-FFFh (APM Vol 2 appendix B table B-2, given there from 400h). */
struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 400h-49Fh */
	uint8_t reserved0[0x4cb - 0x4a0];
	uint8_t cpl;               /* 4CBh */
	uint32_t reserved1;
	uint64_t efer;             /* 4D0h */
	uint8_t reserved2[0x548 - 0x4d8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 548h-57Fh */
	uint8_t reserved3[0x5d8 - 0x580];
	uint64_t rsp;              /* 5D8h */
	uint64_t s_cet, ssp, isst_addr;
	uint64_t rax;              /* 5F8h */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 600h-627h: VMLOAD/VMSAVE state */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;    /* 628h-63Fh */
	uint64_t cr2;              /* 640h */
	uint8_t reserved4[0x668 - 0x648];
	uint64_t g_pat;            /* 668h */
	uint64_t dbgctl, br_from, br_to, last_excp_from, last_excp_to; /* 670h-697h */
	uint8_t reserved5[0x1000 - 0x698];
};

struct vmcb {
	struct vmcb_control ctl;
	struct vmcb_save save;
};

_Static_assert(sizeof(struct vmcb_control) == 0x400, "VMCB control area is 1 KiB");
_Static_assert(sizeof(struct vmcb) == 0x1000, "a VMCB is one 4 KiB page");
_Static_assert(offsetof(struct vmcb, ctl.pause_filter_threshold) == 0x03c, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.iopm_base_pa) == 0x040, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.asid) == 0x058, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.tlb_control) == 0x05c, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.exitcode) == 0x070, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.exitintinfo) == 0x088, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.np_control) == 0x090, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.eventinj) == 0x0a8, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.n_cr3) == 0x0b0, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.clean) == 0x0c0, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.nrip) == 0x0c8, "APM B-1");
_Static_assert(offsetof(struct vmcb, ctl.insn_fetched) == 0x0d0, "APM B-1");
_Static_assert(offsetof(struct vmcb, save.es) == 0x400, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.star) == 0x600, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.sysenter_eip) == 0x638, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "APM B-2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "APM B-2");

#define VMCB_CR4_WRITE (1u << 20) /* intercept vector 0 at 000h: write of CR4 */

/* Intercept vector 3 at 00Ch (APM Vol 2 appendix B table B-1). */
#define VMCB_I1_INTR (1u << 0)
#define VMCB_I1_NMI (1u << 1)
#define VMCB_I1_VINTR (1u << 4)
#define VMCB_I1_RDPMC (1u << 15)
#define VMCB_I1_CPUID (1u << 18)
#define VMCB_I1_IRET (1u << 20)
#define VMCB_I1_INVD (1u << 22)
#define VMCB_I1_HLT (1u << 24)
#define VMCB_I1_INVLPGA (1u << 26)
#define VMCB_I1_IOIO_PROT (1u << 27)
#define VMCB_I1_MSR_PROT (1u << 28)
#define VMCB_I1_SHUTDOWN (1u << 31)
/* Intercept vector 4 at 010h. */
#define VMCB_I2_VMRUN (1u << 0)
#define VMCB_I2_VMMCALL (1u << 1)
#define VMCB_I2_VMLOAD (1u << 2)
#define VMCB_I2_VMSAVE (1u << 3)
#define VMCB_I2_STGI (1u << 4)
#define VMCB_I2_CLGI (1u << 5)
#define VMCB_I2_SKINIT (1u << 6)
#define VMCB_I2_WBINVD (1u << 9)
#define VMCB_I2_MONITOR (1u << 10)
#define VMCB_I2_MWAIT (1u << 11)
#define VMCB_I2_MWAIT_COND (1u << 12)
#define VMCB_I2_XSETBV (1u << 13)

/* Exceptions the backend intercepts: #DB and #AC, whose delivery can loop forever (APM Vol 2 15.12). */
#define VMCB_EXC_DB (1u << 1)
#define VMCB_EXC_AC (1u << 17)
#define VMCB_EXC_MC (1u << 18)

#define VMCB_TLB_NOTHING 0x0   /* TLB_CONTROL, APM Vol 2 15.16.1 */
#define VMCB_TLB_FLUSH_ALL 0x1
#define VMCB_TLB_FLUSH_ASID 0x3

#define VMCB_V_IRQ (1ull << 8)           /* APM Vol 2 15.21.1, appendix B table B-1 offset 60h */
#define VMCB_V_INTR_PRIO(p) ((uint64_t)(p) << 16)
#define VMCB_V_IGN_TPR (1ull << 20)
#define VMCB_V_INTR_MASKING (1ull << 24)
#define VMCB_V_INTR_VECTOR(v) ((uint64_t)(v) << 32)
#define VMCB_V_INTR_VECTOR_MASK (0xffull << 32)
#define VMCB_INT_SHADOW (1ull << 0)      /* INTERRUPT_SHADOW at 68h */
#define VMCB_NP_ENABLE (1ull << 0)       /* APM Vol 2 15.25.3 */
#define VMCB_CLEAN_ALL 0xfffu            /* bits 11:0 defined, APM Vol 2 15.15.3 */
#define VMCB_CLEAN_INTERCEPTS (1u << 0)  /* intercept vectors, TSC offset, pause filter */
#define VMCB_CLEAN_ASID (1u << 2)         /* ASID */
#define VMCB_CLEAN_TPR (1u << 3)          /* V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING, V_INTR_VECTOR */
#define VMCB_CLEAN_NP (1u << 4)          /* NP_ENABLE, N_CR3, G_PAT */
#define VMCB_CLEAN_CRX (1u << 5)         /* CR0, CR3, CR4, EFER */

/* EVENTINJ / EXITINTINFO (APM Vol 2 15.20). */
#define EVENT_VALID (1ull << 31)
#define EVENT_ERR_VALID (1ull << 11)
#define EVENT_TYPE_INTR (0ull << 8)
#define EVENT_TYPE_NMI (2ull << 8)
#define EVENT_TYPE_EXC (3ull << 8)
#define EVENT_TYPE_SWINT (4ull << 8)
#define EVENT_TYPE_MASK (7ull << 8)

#define EFER_SVME (1ull << 12) /* APM Vol 2 3.1.7 */
#define VMCB_G_PAT 0x0007040600070406ull /* the power-on PAT, APM Vol 2 7.8.1 */

/* Converts a VMX access-rights value to the VMCB's 12-bit attribute form and back. */
uint16_t vmcb_attr_from_vmx(uint32_t ar);
uint32_t vmcb_attr_to_vmx(uint16_t attr);

/* Fills the control area: every intercept the backend needs, the maps, the ASID and the NPT root. */
void vmcb_setup_control(struct vmcb *vmcb, uint64_t iopm_pa, uint64_t msrpm_pa, uint32_t asid, uint64_t ncr3);
/* Loads the whole state-save area from neutral registers (EFER.SVME forced on). */
void vmcb_load_state(struct vmcb *vmcb, const struct vcpu_regs *r);
/*
 * Copies control registers, EFER (SVME shown as `guest_svme`), segments and
 * descriptor tables back into neutral registers. RAX, RSP, RIP and RFLAGS are
 * left alone: the run loop keeps those in `r` after every exit.
 */
void vmcb_store_state(const struct vmcb *vmcb, struct vcpu_regs *r, int guest_svme);
/* An EVENTINJ value for an exception (vector 2 becomes an NMI). */
uint64_t vmcb_event_exception(uint8_t vector, int has_error, uint32_t error);

#endif
