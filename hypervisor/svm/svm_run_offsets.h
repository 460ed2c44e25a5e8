/* Offsets of the guest GPRs in struct vcpu_regs, for svm_run.S (checked in svm_vcpu.c). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_SVM_RUN_OFFSETS_H
#define HYPERVISOR_SVM_SVM_RUN_OFFSETS_H

#define REGS_RAX 0
#define REGS_RBX 8
#define REGS_RCX 16
#define REGS_RDX 24
#define REGS_RSI 32
#define REGS_RDI 40
#define REGS_RBP 48
#define REGS_R8 56
#define REGS_R9 64
#define REGS_R10 72
#define REGS_R11 80
#define REGS_R12 88
#define REGS_R13 96
#define REGS_R14 104
#define REGS_R15 112

#endif
