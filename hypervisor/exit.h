/* Neutral VM exits: each backend turns its exit code into one of these, once. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_EXIT_H
#define HYPERVISOR_EXIT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

enum exit_code {
	EXIT_NONE = 0,       /* nothing to do: resume */
	EXIT_PREEMPT,        /* the guest's time slice ended (VMX preemption timer, host tick) */
	EXIT_EXTINT,         /* a host interrupt arrived; it is taken once interrupts are on */
	EXIT_CPUID,
	EXIT_HLT,
	EXIT_IO,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_CR_ACCESS,
	EXIT_MMIO,           /* EPT violation / NPT fault on a GPA that is not the VM's RAM */
	EXIT_HYPERCALL,      /* VMCALL / VMMCALL */
	EXIT_VIRT_INSN,      /* a VMX or SVM instruction executed by the guest */
	EXIT_TRIPLE_FAULT,   /* shutdown */
	EXIT_BAD_STATE,      /* VM entry failed: invalid guest state or controls */
	EXIT_UNHANDLED,      /* anything else the backend reports */
	EXIT_INTR_WINDOW,    /* the guest can take the interrupt or NMI the neutral layer asked a window for */
	EXIT_CODE_COUNT
};

struct vm_exit {
	uint32_t code;        /* enum exit_code */
	uint32_t inst_len;    /* length of the exiting instruction, when one exits (0 otherwise) */
	uint64_t raw_reason;  /* the backend's own exit code, for logs */
	uint64_t qual;        /* the backend's qualification / EXITINFO1, for logs */
	union {
		struct { uint16_t port; uint8_t size; bool in, string, rep; } io;  /* size 1, 2 or 4 */
		struct { uint32_t index; } msr;                                     /* ECX */
		struct { uint64_t gpa; bool write, fetch; } mmio;
		struct { uint8_t cr; bool write; uint8_t gpr; } cr;                 /* gpr: x86 register index */
		struct { uint8_t vector; } extint;
	} u;
};

/* Outcome of a handler: resume the vCPU, or stop the VM with the reason logged. */
enum exit_action { EXIT_RESUME = 0, EXIT_YIELD, EXIT_STOP_VM, EXIT_CRASH_VM };

typedef enum exit_action (*exit_handler_t)(struct vcpu *v, const struct vm_exit *e);

/* Dispatches through the one table in exit.c; a code out of range goes to the unhandled entry. */
enum exit_action exit_dispatch(struct vcpu *v, const struct vm_exit *e);
const char *exit_code_name(uint32_t code);

#endif
