/* Turns an AMD-V #VMEXIT (EXITCODE, EXITINFO1/2) into a neutral struct vm_exit. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_SVM_EXIT_H
#define HYPERVISOR_SVM_SVM_EXIT_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/exit.h"
#include "hypervisor/svm/vmcb.h"

/* EXITCODE values, APM Vol 2 appendix C table C-1. */
#define SVM_EXIT_EXCP_BASE 0x40
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_VINTR 0x64
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_IRET 0x74
#define SVM_EXIT_INVD 0x76
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_INVLPGA 0x7a
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_SHUTDOWN 0x7f
#define SVM_EXIT_VMRUN 0x80
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_SKINIT 0x86
#define SVM_EXIT_XSETBV 0x8d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffffffffffull

/* IOIO EXITINFO1, APM Vol 2 15.10.2 figure 15-2. */
#define IOIO_IN (1ull << 0)
#define IOIO_STR (1ull << 2)
#define IOIO_REP (1ull << 3)
#define IOIO_SZ8 (1ull << 4)
#define IOIO_SZ16 (1ull << 5)
#define IOIO_SZ32 (1ull << 6)

/* #NPF EXITINFO1: a page-fault error code, APM Vol 2 15.25.6. */
#define NPF_WRITE (1ull << 1)
#define NPF_FETCH (1ull << 4)

/*
 * Fills `e` from the exit the VMCB describes. `rcx` is the guest's RCX (the
 * MSR index); with `nrip_save` the CPU's next RIP gives instruction lengths,
 * otherwise they come from the fixed encodings the backend intercepts.
 */
void svm_exit_translate(const struct vmcb *vmcb, uint64_t rcx, bool nrip_save, struct vm_exit *e);

#endif
