/* The virtual PC of one VM: its interrupt controllers, timers, RTC, PM block and reset ports, wired together. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_VPLATFORM_H
#define HYPERVISOR_DEV_VPLATFORM_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/dev/acpi_pm.h"
#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/ioapic.h"
#include "hypervisor/dev/lapic.h"
#include "hypervisor/dev/pic8259.h"
#include "hypervisor/dev/pit.h"
#include "hypervisor/dev/reset.h"
#include "hypervisor/dev/rtc.h"
#include "kernel/spinlock.h"

struct vm;
struct vcpu;

/*
 * Every model in here is pure logic; this object adds the VM's interrupt
 * lock (taken by every entry point below and by vm_irq_set, never nested)
 * and the time. It lives as long as the VM; a boot resets its state.
 */
struct vplatform {
	struct spinlock lock;
	struct vm *vm;
	struct apic_bus bus;
	struct vlapic lapic[APIC_BUS_MAX_LAPICS];
	struct vioapic ioapic;
	struct vpic pic;
	struct vpit pit;
	struct vrtc rtc;
	struct acpi_pm pm;
	struct vreset reset;
	uint32_t gsi_level;           /* last level of each GSI (bit per line) */
	uint64_t undelivered_before_reset, ioapic_bogus_before_reset, illegal_before_reset, disabled_before_reset;
};

/* Allocates the platform of `vm` and claims the LAPIC and IOAPIC pages on vm->mmio. 0 or -1. */
int vplatform_create(struct vm *vm);
void vplatform_free(struct vm *vm);
/* Power-on state of every device (each boot of the VM). */
void vplatform_reset(struct vm *vm);

/* Timers: fires what expired by now (LAPIC timers, PIT IRQ0, PM timer SCI) and says when the next one is due.
 * The scheduler is to call them around each entry of the VM's vCPUs (backend integration, issue 8). */
void vplatform_tick(struct vm *vm);
uint64_t vplatform_next_event_ns(struct vm *vm);

/*
 * For the backends' interrupt injection (each takes the lock): the vector the
 * vCPU may take now (-1: none), and taking it (IRR -> ISR); the NMI, INIT and
 * SIPI events, each consumed by its call. vplatform_take_init also resets the
 * local APIC as INIT does; vplatform_take_sipi returns the vector or -1.
 */
int vplatform_pending_vector(struct vcpu *v);
void vplatform_ack_vector(struct vcpu *v, uint8_t vector);
bool vplatform_take_nmi(struct vcpu *v);
bool vplatform_take_init(struct vcpu *v);
int vplatform_take_sipi(struct vcpu *v);

/* MSRs of the local APIC (IA32_APIC_BASE, IA32_TSC_DEADLINE, x2APIC 0x800-0x8FF).
 * 1: handled; 0: not an APIC MSR; -1: the access raises #GP. */
int vplatform_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
int vplatform_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);

/* What the interrupt controllers refused since the VM was created (vm stats). */
struct vplatform_counts {
	uint64_t undelivered;     /* interrupt messages no local APIC took (IPIs to absent vCPUs, SMI, ExtINT) */
	uint64_t illegal_vectors; /* vectors 0-15 sent or received by a local APIC */
	uint64_t disabled;        /* messages to a disabled local APIC */
	uint64_t ioapic_bogus;    /* IOAPIC entries fired with a vector below 16 */
};
void vplatform_counts(struct vm *vm, struct vplatform_counts *out);

/* Presses the ACPI power button (vm stop) if the guest listens to it (PWRBTN_EN); false if it does not. */
bool vplatform_power_button(struct vm *vm);

/* I/O-port handlers, rows of hypervisor/dev/portbus.c's table (`offset` from the row's first port). */
uint32_t vplatform_pic_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_pic_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_pic_slave_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_pic_slave_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_elcr_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_elcr_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_pit_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_pit_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_port61_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_port61_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_kbc_data_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_kbc_data_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_kbc_cmd_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_kbc_cmd_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_rtc_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_rtc_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_post_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_post_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_port92_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_port92_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_cf9_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_cf9_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
uint32_t vplatform_pm_read(struct vm *vm, uint16_t offset, uint8_t size);
void vplatform_pm_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);

#endif
