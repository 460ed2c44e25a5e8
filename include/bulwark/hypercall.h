/* The guest-visible hypercall ABI of Bulwark (VMCALL on Intel, VMMCALL on AMD). */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_HYPERCALL_H
#define BULWARK_HYPERCALL_H

/*
 * Calling convention: RAX = function number, RBX, RCX, RDX = arguments.
 * On return RAX = result (>= 0) or a negative HC_E* error; other registers
 * are preserved. An unknown function returns HC_ENOSYS. Hypercalls from
 * CPL > 0 get #UD (the guest kernel decides what its applications may do).
 *
 * CPUID leaf 0x40000000 returns EAX = highest hypervisor leaf and
 * EBX, ECX, EDX = "BulwarkVisor"; leaf 0x40000001 EAX = HC_ABI_VERSION.
 */

#define HC_ABI_VERSION 1

#define HC_VERSION 0    /* -> HC_ABI_VERSION */
#define HC_PUTCHAR 1    /* RBX = byte: appended to the VM's console output */
#define HC_VM_ID 2      /* -> the VM's id */
#define HC_SHUTDOWN 3   /* RBX = exit status: the VM stops cleanly */
#define HC_TSC_HZ 4     /* -> TSC frequency in Hz */

#define HC_ENOSYS (-38)
#define HC_EINVAL (-22)
#define HC_EPERM (-1)

#define HC_CPUID_BASE 0x40000000
#define HC_SIGNATURE_EBX 0x776c7542 /* "Bulw" */
#define HC_SIGNATURE_ECX 0x566b7261 /* "arkV" */
#define HC_SIGNATURE_EDX 0x726f7369 /* "isor" */

#endif
