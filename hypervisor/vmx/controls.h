/* VMX control bits and their derivation from the capability MSRs (pure logic, host-tested). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_CONTROLS_H
#define HYPERVISOR_VMX_CONTROLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pin-based VM-execution controls, SDM Vol 3C 25.6.1 table 25-5. */
#define PIN_EXTINT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PIN_PREEMPTION_TIMER (1u << 6)

/* Primary processor-based controls, SDM Vol 3C 25.6.2 table 25-6. */
#define PROC_INTR_WINDOW (1u << 2)
#define PROC_NMI_WINDOW (1u << 22)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_CR3_STORE_EXITING (1u << 16)
#define PROC_UNCOND_IO_EXITING (1u << 24)
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_SECONDARY (1u << 31)

/* Secondary processor-based controls, SDM Vol 3C 25.6.2 table 25-7. */
#define PROC2_EPT (1u << 1)
#define PROC2_RDTSCP (1u << 3)
#define PROC2_VPID (1u << 5)
#define PROC2_UNRESTRICTED (1u << 7)
#define PROC2_INVPCID (1u << 12)
#define PROC2_XSAVES (1u << 20)

/* VM-exit controls, SDM Vol 3C 25.7.1 table 25-13. */
#define EXIT_CTL_HOST_64 (1u << 9)
#define EXIT_CTL_ACK_INTR (1u << 15)
#define EXIT_CTL_SAVE_PAT (1u << 18)
#define EXIT_CTL_LOAD_PAT (1u << 19)
#define EXIT_CTL_SAVE_EFER (1u << 20)
#define EXIT_CTL_LOAD_EFER (1u << 21)

/* VM-entry controls, SDM Vol 3C 25.8.1 table 25-15. */
#define ENTRY_CTL_IA32E_GUEST (1u << 9)
#define ENTRY_CTL_LOAD_PAT (1u << 14)
#define ENTRY_CTL_LOAD_EFER (1u << 15)

/* IA32_VMX_BASIC, SDM Vol 3D A.1. */
#define VMX_BASIC_REVISION(b) ((uint32_t)(b) & 0x7fffffffu)

/* Raw capability MSR values: what a CPU reports (read in vmx.c, made up in tests). */
struct vmx_caps {
	uint64_t basic;
	uint64_t pin, proc, proc2, exit, entry;  /* IA32_VMX_{PINBASED,...}_CTLS, non-TRUE */
	uint64_t true_pin, true_proc, true_exit, true_entry;
	uint64_t ept_vpid;
};

struct vmx_controls {
	uint32_t pin, proc, proc2, exit, entry;
	bool preemption_timer;
	bool intr_window, nmi_window; /* the window exits may be switched on (SDM Vol 3C 25.6.2; NMI: virtual NMIs, 26.2.1.1) */
};

/*
 * Applies a control capability MSR to the bits wanted (SDM Vol 3D A.3-A.5):
 * bits 31:0 are allowed-0 settings (a 1 there forces the control on), bits
 * 63:32 allowed-1 settings (a 0 there forces it off). Every bit in `wanted`
 * is required: returns -1 if one cannot be set, else 0 with *result set.
 */
int vmx_adjust_controls(uint64_t cap_msr_value, uint32_t wanted, uint32_t *result);
/* The subset of `optional` the capability MSR allows to be 1. */
uint32_t vmx_optional_controls(uint64_t cap_msr_value, uint32_t optional);

/*
 * Derives every control Bulwark uses, from the TRUE_* MSRs when
 * IA32_VMX_BASIC bit 55 says they exist. `long_mode_guest` sets the IA-32e
 * mode guest entry control. Returns 0, or -1 with `err` naming what is missing.
 */
int vmx_derive_controls(const struct vmx_caps *caps, bool long_mode_guest, struct vmx_controls *out, char *err, size_t errlen);

#endif
