/* Exit handlers that live beside the device or policy they serve; exit.c's table points at them. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_EXIT_HANDLERS_H
#define HYPERVISOR_EXIT_HANDLERS_H

#include <stdint.h>
#include "hypervisor/exit.h"

/* Exception vectors the handlers raise in guests, SDM Vol 3A 6.3.1. */
#define X86_UD 6
#define X86_GP 13

/* Raises #UD, or #GP with error code 0, at the exiting instruction (not skipped); the guest resumes. */
enum exit_action exit_raise(struct vcpu *v, uint8_t vector);             /* hypervisor/exit.c */

enum exit_action exit_cpuid(struct vcpu *v, const struct vm_exit *e);      /* hypervisor/cpuid.c */
enum exit_action exit_io(struct vcpu *v, const struct vm_exit *e);         /* hypervisor/dev/portbus.c */
enum exit_action exit_msr_read(struct vcpu *v, const struct vm_exit *e);   /* hypervisor/msr.c */
enum exit_action exit_msr_write(struct vcpu *v, const struct vm_exit *e);  /* hypervisor/msr.c */
enum exit_action exit_cr(struct vcpu *v, const struct vm_exit *e);         /* hypervisor/cr.c */
enum exit_action exit_hypercall(struct vcpu *v, const struct vm_exit *e);  /* hypervisor/hypercall.c */
enum exit_action exit_mmio(struct vcpu *v, const struct vm_exit *e);       /* hypervisor/emul/mmio_exit.c */

#endif
