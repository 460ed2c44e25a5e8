/* Interrupt delivery to vCPUs, arch-neutral: LAPIC model -> backend injection, HLT sleep, SIPI start. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_INTR_H
#define HYPERVISOR_INTR_H

#include <stdint.h>

struct vcpu;

/*
 * Before each entry of `v` (its CPU, interrupts off): fires the VM's timers
 * that are due, then hands the vCPU's highest deliverable event (NMI first,
 * then the LAPIC's highest vector above its PPR) to the backend if the guest
 * can take it now, or asks the backend for the window exit. Returns the
 * nanoseconds until the VM's next timer event (UINT64_MAX: none), which
 * bounds the guest's slice. A VM without a virtual platform gets nothing.
 */
uint64_t intr_before_entry(struct vcpu *v);
/* Right after an exit, before its handler: an EOI the guest signalled through the paravirtual EOI (pv_eoi.h). */
void intr_after_exit(struct vcpu *v);

/*
 * HLT with RFLAGS.IF set: the vCPU sleeps until an interrupt arrives for it
 * (the LAPIC's notification wakes it and kicks its CPU) or the VM's next
 * timer event is due, at most `max_ns` from now. Decided under the VM's
 * interrupt lock, so an interrupt accepted meanwhile is never slept through.
 */
void intr_halt(struct vcpu *v, uint64_t max_ns);

/*
 * Called by the APIC bus (interrupt lock held) for each APIC that accepted
 * an event: wakes its vCPU from HLT, starts a vCPU waiting for SIPI in real
 * mode at the SIPI vector (SDM Vol 3A 8.4.4.1, 10.6.1 "Start-up"), and
 * kicks the CPU it is pinned to so the event is delivered now.
 */
void intr_notify(struct vcpu *v);

#endif
