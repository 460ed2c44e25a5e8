/* The local APIC model of one vCPU: xAPIC register page, x2APIC MSRs, timer, interrupt acceptance. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_LAPIC_H
#define HYPERVISOR_DEV_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct apic_bus;

/*
 * Pure logic: no locking, no hardware. The caller (hypervisor/dev/irq.c)
 * holds the VM's interrupt lock around every call and passes the time in:
 * `now_ns` (monotonic nanoseconds) for the counting timer modes, `now_tsc`
 * (the guest's TSC, which is the host's) for the TSC-deadline mode.
 *
 * The timer counts at LAPIC_BUS_HZ before the divider (1 GHz, one tick a
 * nanosecond, as KVM does); Linux measures it against the PIT or PM timer.
 */
#define LAPIC_BUS_HZ 1000000000ull

/* LVT entries, in the order of their registers' offsets (SDM Vol 3A Figure 11-8). */
enum lapic_lvt { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

struct vlapic {
	uint32_t id;                /* APIC id: the vCPU index unless an xAPIC guest rewrote it */
	uint32_t index;             /* the vCPU's index in the VM (slot on the APIC bus) */
	uint64_t apic_base;         /* IA32_APIC_BASE: BSP (8), EXTD (10), EN (11), base */
	uint32_t tpr, ldr, dfr, svr;
	uint32_t esr, esr_pending;  /* ESR shows what was collected before its last write (11.5.3) */
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LVT_COUNT];
	uint32_t irr[8], isr[8], tmr[8];
	/* Timer (11.5.4): count mode state, or the TSC deadline. */
	uint32_t timer_initial, timer_dcr;
	uint64_t timer_start_ns;    /* when the current period began */
	bool timer_armed;
	uint64_t tsc_deadline;      /* IA32_TSC_DEADLINE, 0 = disarmed */
	uint64_t tsc_hz;            /* to turn a TSC deadline into a wake-up time */
	/* Events that are not vectors in IRR. */
	bool nmi_pending, init_pending, sipi_pending;
	uint8_t sipi_vector;
	/* Counters of what was refused (for the log and the hostile-guest tests). */
	uint64_t illegal_vectors, dropped_disabled;
	struct apic_bus *bus;       /* where IPIs and EOI broadcasts go; NULL: nowhere */
};

/* EOI (11.8.5): ends the highest vector in service; a level-triggered one's EOI goes to the IOAPICs. */
void vlapic_eoi(struct vlapic *l);
/* True when the guest's next EOI may be done by the hypervisor instead (hypervisor/pv_eoi.c). */
bool vlapic_eoi_may_be_deferred(const struct vlapic *l);

/* Power-up state (SDM Vol 3A 11.4.7.1) of the APIC with id `id`; `bsp` for vCPU 0. */
void vlapic_reset(struct vlapic *l, uint32_t id, bool bsp, uint64_t tsc_hz, struct apic_bus *bus);

/* INIT (11.4.7.3): the power-up state of the registers, keeping the APIC id, IA32_APIC_BASE and any SIPI. */
void vlapic_init_reset(struct vlapic *l);

/* xAPIC page (offsets 0-0xFFF of PLAT_LAPIC_BASE). Only aligned 32-bit accesses at 16-byte
 * boundaries reach a register (11.4.1); anything else reads 0 and is ignored. */
uint32_t vlapic_mmio_read(struct vlapic *l, uint64_t offset, unsigned size, uint64_t now_ns, uint64_t now_tsc);
void vlapic_mmio_write(struct vlapic *l, uint64_t offset, unsigned size, uint64_t value, uint64_t now_ns,
		      uint64_t now_tsc);

/* x2APIC MSRs 0x800-0x8FF (11.12.1). 0, or -1 when the access must raise #GP. */
#define LAPIC_X2APIC_MSR_FIRST 0x800u
#define LAPIC_X2APIC_MSR_LAST 0x8ffu
int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *value, uint64_t now_ns, uint64_t now_tsc);
int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t value, uint64_t now_ns, uint64_t now_tsc);

/* IA32_APIC_BASE (11.4.4, 11.12.5): -1 for a reserved bit, a moved base or an illegal mode change. */
int vlapic_set_base(struct vlapic *l, uint64_t value, uint64_t now_ns, uint64_t now_tsc);
bool vlapic_x2apic_mode(const struct vlapic *l);
bool vlapic_hw_enabled(const struct vlapic *l);

/* IA32_TSC_DEADLINE (11.5.4.1): reads 0 and ignores writes outside TSC-deadline mode. */
uint64_t vlapic_tsc_deadline_read(const struct vlapic *l);
void vlapic_tsc_deadline_write(struct vlapic *l, uint64_t value, uint64_t now_ns, uint64_t now_tsc);

/* Fires the timer if it expired by now (sets the LVT vector in IRR unless masked). */
void vlapic_timer_update(struct vlapic *l, uint64_t now_ns, uint64_t now_tsc);
/* Monotonic ns at which the timer fires next, UINT64_MAX if it is not armed. */
uint64_t vlapic_timer_next_ns(const struct vlapic *l, uint64_t now_ns, uint64_t now_tsc);

/* An interrupt message arriving at this APIC (from an IPI, the IOAPIC or its own LVT). */
void vlapic_accept_fixed(struct vlapic *l, uint8_t vector, bool level_triggered);
void vlapic_accept_nmi(struct vlapic *l);
void vlapic_accept_init(struct vlapic *l);
void vlapic_accept_sipi(struct vlapic *l, uint8_t vector);

/* For the backends: the highest vector the vCPU may take now (IRR above PPR), or -1. */
int vlapic_pending_vector(const struct vlapic *l);
/* The vCPU took `vector`: IRR -> ISR (11.8.4). */
void vlapic_ack(struct vlapic *l, uint8_t vector);
/* Processor priority (11.8.3.1). */
uint32_t vlapic_ppr(const struct vlapic *l);

/* Destination matching of an interrupt message (11.6.2); `wide`: a 32-bit x2APIC destination. */
bool vlapic_match_physical(const struct vlapic *l, uint32_t dest, bool wide);
bool vlapic_match_logical(const struct vlapic *l, uint32_t dest, bool wide);

#endif
