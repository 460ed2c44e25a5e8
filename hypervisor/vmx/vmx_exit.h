/* VMX exit decoding: basic exit reasons and qualifications into the neutral struct vm_exit. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_EXIT_H
#define HYPERVISOR_VMX_VMX_EXIT_H

#include <stdint.h>
#include "hypervisor/exit.h"

/* Basic exit reasons, SDM Vol 3D appendix C table C-1. */
enum vmx_exit_reason {
	VMX_EXIT_EXCEPTION_NMI = 0,
	VMX_EXIT_EXTINT = 1,
	VMX_EXIT_TRIPLE_FAULT = 2,
	VMX_EXIT_INIT = 3,
	VMX_EXIT_SIPI = 4,
	VMX_EXIT_INTR_WINDOW = 7,
	VMX_EXIT_NMI_WINDOW = 8,
	VMX_EXIT_TASK_SWITCH = 9,
	VMX_EXIT_CPUID = 10,
	VMX_EXIT_GETSEC = 11,
	VMX_EXIT_HLT = 12,
	VMX_EXIT_INVD = 13,
	VMX_EXIT_INVLPG = 14,
	VMX_EXIT_RDPMC = 15,
	VMX_EXIT_RDTSC = 16,
	VMX_EXIT_RSM = 17,
	VMX_EXIT_VMCALL = 18,
	VMX_EXIT_VMCLEAR = 19,
	VMX_EXIT_VMLAUNCH = 20,
	VMX_EXIT_VMPTRLD = 21,
	VMX_EXIT_VMPTRST = 22,
	VMX_EXIT_VMREAD = 23,
	VMX_EXIT_VMRESUME = 24,
	VMX_EXIT_VMWRITE = 25,
	VMX_EXIT_VMXOFF = 26,
	VMX_EXIT_VMXON = 27,
	VMX_EXIT_CR_ACCESS = 28,
	VMX_EXIT_DR_ACCESS = 29,
	VMX_EXIT_IO = 30,
	VMX_EXIT_RDMSR = 31,
	VMX_EXIT_WRMSR = 32,
	VMX_EXIT_BAD_GUEST_STATE = 33,
	VMX_EXIT_MSR_LOADING = 34,
	VMX_EXIT_MWAIT = 36,
	VMX_EXIT_MTF = 37,
	VMX_EXIT_MONITOR = 39,
	VMX_EXIT_PAUSE = 40,
	VMX_EXIT_MACHINE_CHECK = 41,
	VMX_EXIT_EPT_VIOLATION = 48,
	VMX_EXIT_EPT_MISCONFIG = 49,
	VMX_EXIT_INVEPT = 50,
	VMX_EXIT_RDTSCP = 51,
	VMX_EXIT_PREEMPT = 52,
	VMX_EXIT_INVVPID = 53,
	VMX_EXIT_WBINVD = 54,
	VMX_EXIT_XSETBV = 55,
	VMX_EXIT_INVPCID = 58,
	VMX_EXIT_VMFUNC = 59,
	VMX_EXIT_REASON_COUNT = 80
};

#define VMX_EXIT_REASON_BASIC(r) ((r) & 0xffffu)
#define VMX_EXIT_REASON_ENTRY_FAIL (1u << 31) /* SDM Vol 3C 25.9.1 table 25-18 */

/* The VMCS exit-information fields the decoder needs (read by vmx.c, made up in tests). */
struct vmx_exit_info {
	uint32_t reason;      /* VM_EXIT_REASON */
	uint64_t qual;        /* EXIT_QUALIFICATION */
	uint64_t gpa;         /* GUEST_PHYSICAL_ADDRESS */
	uint32_t inst_len;    /* VM_EXIT_INSTRUCTION_LEN */
	uint32_t intr_info;   /* VM_EXIT_INTR_INFO */
	uint64_t rcx;         /* guest RCX, for RDMSR/WRMSR */
};

/* Interruption-information format, SDM Vol 3C 25.9.2 table 25-19 and 25.8.3 table 25-17. */
#define INTR_INFO_VECTOR(i) ((i) & 0xffu)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7u)
#define INTR_TYPE_EXTINT 0u
#define INTR_TYPE_NMI 2u
#define INTR_TYPE_HW_EXCEPTION 3u
#define INTR_TYPE_SW_INT 4u
#define INTR_TYPE_PRIV_SW_EXCEPTION 5u
#define INTR_TYPE_SW_EXCEPTION 6u
#define INTR_INFO_HAS_ERROR (1u << 11)
#define INTR_INFO_VALID (1u << 31)

/* Neutral code for a basic exit reason (out of range: EXIT_UNHANDLED). */
uint32_t vmx_exit_code(uint32_t basic_reason);
/* Fills `out` from the raw fields. Never fails: anything unknown becomes EXIT_UNHANDLED. */
void vmx_exit_decode(const struct vmx_exit_info *in, struct vm_exit *out);
/* I/O-instruction qualification, SDM Vol 3C 28.2.1 table 28-5. 0, or -1 for an impossible size. */
int vmx_decode_io(uint64_t qual, struct vm_exit *out);

#endif
