/* Host unit tests of the local APIC model: registers, timer arithmetic, priorities, x2APIC, IPIs. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/ioapic.h"
#include "hypervisor/dev/lapic.h"

/* Register offsets and values as printed in SDM Vol 3A Table 11-1 and Figures 11-8..11-12. */
enum {
	ID = 0x20, VER = 0x30, TPR = 0x80, APR = 0x90, PPR = 0xa0, EOI = 0xb0, LDR = 0xd0, DFR = 0xe0,
	SVR = 0xf0, ISR0 = 0x100, TMR0 = 0x180, IRR0 = 0x200, ESR = 0x280, ICR_LO = 0x300, ICR_HI = 0x310,
	LVT_T = 0x320, LVT_L0 = 0x350, LVT_ERR = 0x370, TIMER_INIT = 0x380, TIMER_CUR = 0x390, TIMER_DCR = 0x3e0,
};

#define TSC_HZ 2000000000ull /* 2 GHz: 2 TSC cycles a nanosecond */

static struct apic_bus bus;
static struct vlapic apics[3];
static uint32_t notified;

static void on_notify(void *ctx, uint32_t id)
{
	(void)ctx;
	notified |= 1u << id;
}

static int setup(void **state)
{
	(void)state;
	memset(&bus, 0, sizeof(bus));
	bus.notify = on_notify;
	notified = 0;
	for (uint32_t i = 0; i < 3; i++) {
		vlapic_reset(&apics[i], i, i == 0, TSC_HZ, &bus);
		bus.lapic[i] = &apics[i];
	}
	bus.count = 3;
	return 0;
}

static uint32_t rd(struct vlapic *l, uint64_t off, uint64_t now)
{
	return vlapic_mmio_read(l, off, 4, now, now * 2);
}

static void wr(struct vlapic *l, uint64_t off, uint32_t v, uint64_t now)
{
	vlapic_mmio_write(l, off, 4, v, now, now * 2);
}

static void enable(struct vlapic *l)
{
	wr(l, SVR, 0x1ff, 0);
}

static bool irr_has(struct vlapic *l, unsigned v)
{
	return (rd(l, IRR0 + (v / 32) * 0x10, 0) >> (v % 32)) & 1;
}

static void test_reset_values(void **state)
{
	struct vlapic *l = &apics[1];

	(void)state;
	assert_int_equal(rd(l, ID, 0), 0x01000000);
	assert_int_equal(rd(l, VER, 0), 0x00050014); /* version 0x14, max LVT entry 5 */
	assert_int_equal(rd(l, SVR, 0), 0x000000ff);
	assert_int_equal(rd(l, DFR, 0), 0xffffffff);
	assert_int_equal(rd(l, LVT_T, 0), 0x00010000);
	assert_int_equal(rd(l, LVT_ERR, 0), 0x00010000);
	assert_int_equal(rd(l, TPR, 0), 0);
	assert_int_equal(rd(l, TIMER_CUR, 0), 0);
	assert_int_equal(apics[0].apic_base, 0xfee00900);  /* BSP, enabled */
	assert_int_equal(apics[1].apic_base, 0xfee00800);
}

static void test_mmio_access_rules(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, TPR, 0x20, 0);
	assert_int_equal(vlapic_mmio_read(l, TPR, 2, 0, 0), 0);      /* not a 32-bit access */
	assert_int_equal(vlapic_mmio_read(l, TPR + 4, 4, 0, 0), 0);  /* not 16-byte aligned */
	vlapic_mmio_write(l, TPR, 1, 0x50, 0, 0);
	assert_int_equal(rd(l, TPR, 0), 0x20);
	wr(l, VER, 0, 0);                                          /* read-only */
	assert_int_equal(rd(l, VER, 0), 0x00050014);
	wr(l, TPR, 0xfff, 0);
	assert_int_equal(rd(l, TPR, 0), 0xff);
	wr(l, DFR, 0x0, 0);
	assert_int_equal(rd(l, DFR, 0), 0x0fffffff);
	wr(l, LDR, 0x12345678, 0);
	assert_int_equal(rd(l, LDR, 0), 0x12000000);
	/* Every offset and size of the page: nothing breaks, the APIC id stays. */
	for (uint64_t off = 0; off < 0x1000; off++)
		for (unsigned size = 1; size <= 8; size *= 2)
			if (off != ID)
				vlapic_mmio_write(l, off, size, 0xffffffff, 0, 0);
	assert_int_equal(rd(l, ID, 0), 0);
	assert_int_equal(rd(l, VER, 0), 0x00050014);
}

static void test_sw_disabled_masks(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	wr(l, LVT_T, 0x30, 0);                     /* mask bit cannot be cleared (11.4.7.2) */
	assert_int_equal(rd(l, LVT_T, 0), 0x00010030);
	vlapic_accept_fixed(l, 0x40, false);
	assert_false(irr_has(l, 0x40));
	enable(l);
	wr(l, LVT_T, 0x30, 0);
	assert_int_equal(rd(l, LVT_T, 0), 0x30);
	wr(l, SVR, 0xff, 0);                       /* disabling masks every LVT */
	assert_int_equal(rd(l, LVT_T, 0), 0x00010030);
}

/* Figure 11-10: divide configuration register values and their divisors. */
static void test_timer_divide_values(void **state)
{
	static const struct { uint32_t dcr; uint32_t div; } t[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 }, { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		wr(l, LVT_T, 0x40, 0); /* one-shot */
		wr(l, TIMER_DCR, t[i].dcr, 0);
		assert_int_equal(rd(l, TIMER_DCR, 0), t[i].dcr);
		wr(l, TIMER_INIT, 1000, 1000);
		/* 1 GHz bus: after 256 ns, 256/div ticks have gone. */
		assert_int_equal(rd(l, TIMER_CUR, 1256), 1000 - 256 / t[i].div);
		assert_int_equal(vlapic_timer_next_ns(l, 1256, 0), 1000 + 1000ull * t[i].div);
	}
}

static void test_oneshot_fires_once(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, TIMER_DCR, 0xb, 0); /* divide by 1 */
	wr(l, LVT_T, 0x41, 0);
	wr(l, TIMER_INIT, 500, 100);
	vlapic_timer_update(l, 599, 0);
	assert_false(irr_has(l, 0x41));
	assert_int_equal(rd(l, TIMER_CUR, 599), 1);
	vlapic_timer_update(l, 600, 0);
	assert_true(irr_has(l, 0x41));
	assert_int_equal(rd(l, TIMER_CUR, 700), 0);
	assert_int_equal(vlapic_timer_next_ns(l, 700, 0), UINT64_MAX);
	assert_int_equal(rd(l, TIMER_INIT, 700), 500);
	/* Writing 0 to the initial count stops a running timer. */
	wr(l, TIMER_INIT, 500, 1000);
	wr(l, TIMER_INIT, 0, 1100);
	assert_int_equal(vlapic_timer_next_ns(l, 1100, 0), UINT64_MAX);
}

static void test_periodic_reloads(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, TIMER_DCR, 0x0, 0);             /* divide by 2 */
	wr(l, LVT_T, 0x00020042, 0);          /* periodic, vector 0x42 */
	wr(l, TIMER_INIT, 100, 0);            /* period 200 ns */
	assert_int_equal(rd(l, TIMER_CUR, 250), 100 - 25);
	vlapic_timer_update(l, 250, 0);
	assert_true(irr_has(l, 0x42));
	assert_int_equal(vlapic_timer_next_ns(l, 250, 0), 400);
	/* Three periods missed: one interrupt, the phase kept. */
	vlapic_ack(l, 0x42);
	wr(l, EOI, 0, 0);
	vlapic_timer_update(l, 1050, 0);
	assert_true(irr_has(l, 0x42));
	assert_int_equal(vlapic_timer_next_ns(l, 1050, 0), 1200);
	/* Masked: it keeps counting, without an interrupt. */
	vlapic_ack(l, 0x42);
	wr(l, EOI, 0, 0);
	wr(l, LVT_T, 0x00030042, 1050);
	vlapic_timer_update(l, 1300, 0);
	assert_false(irr_has(l, 0x42));
	assert_int_equal(vlapic_timer_next_ns(l, 1300, 0), 1400);
}

static void test_divide_change_keeps_count(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, TIMER_DCR, 0xb, 0);
	wr(l, LVT_T, 0x40, 0);
	wr(l, TIMER_INIT, 1000, 0);
	wr(l, TIMER_DCR, 0x1, 400);            /* 600 left, now 4 ns a tick */
	assert_int_equal(rd(l, TIMER_CUR, 400), 600);
	assert_int_equal(rd(l, TIMER_CUR, 800), 500);
	assert_int_equal(vlapic_timer_next_ns(l, 800, 0), 400 + 600 * 4);
}

static void test_tsc_deadline(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	vlapic_tsc_deadline_write(l, 5000, 0, 0);       /* one-shot mode: ignored */
	assert_int_equal(vlapic_tsc_deadline_read(l), 0);
	wr(l, LVT_T, 0x00040043, 0);                   /* TSC-deadline mode (bits 18:17 = 10b) */
	wr(l, TIMER_INIT, 1000, 0);                    /* ignored in this mode */
	assert_int_equal(rd(l, TIMER_INIT, 0), 0);
	vlapic_tsc_deadline_write(l, 3000, 100, 1000);
	assert_int_equal(vlapic_tsc_deadline_read(l), 3000);
	assert_int_equal(vlapic_timer_next_ns(l, 100, 1000), 100 + 1000); /* 2000 cycles at 2 GHz */
	vlapic_timer_update(l, 1000, 2999);
	assert_false(irr_has(l, 0x43));
	vlapic_timer_update(l, 1001, 3000);
	assert_true(irr_has(l, 0x43));
	assert_int_equal(vlapic_tsc_deadline_read(l), 0);
	assert_int_equal(vlapic_timer_next_ns(l, 1001, 3000), UINT64_MAX);
	/* A deadline already past fires at once; switching the mode away disarms. */
	vlapic_ack(l, 0x43);
	wr(l, EOI, 0, 0);
	vlapic_tsc_deadline_write(l, 10, 2000, 4000);
	assert_true(irr_has(l, 0x43));
	vlapic_tsc_deadline_write(l, 90000, 2000, 4000);
	wr(l, LVT_T, 0x00000043, 2000);
	assert_int_equal(vlapic_tsc_deadline_read(l), 0);
	wr(l, LVT_T, 0x00040043, 2000);
	assert_int_equal(vlapic_tsc_deadline_read(l), 0);
	assert_int_equal(vlapic_timer_next_ns(l, 2000, 4000), UINT64_MAX);
}

static void test_mode_switch_disarms_count(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, LVT_T, 0x40, 0);
	wr(l, TIMER_INIT, 1000, 0);
	wr(l, LVT_T, 0x00040040, 10);
	assert_int_equal(rd(l, TIMER_CUR, 20), 0);
	assert_int_equal(vlapic_timer_next_ns(l, 20, 40), UINT64_MAX);
}

static void test_priorities(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	vlapic_accept_fixed(l, 0x31, false);
	vlapic_accept_fixed(l, 0x45, false);
	assert_int_equal(vlapic_pending_vector(l), 0x45);
	vlapic_ack(l, 0x45);
	assert_int_equal(rd(l, ISR0 + 0x20, 0), 1u << (0x45 - 64));
	assert_int_equal(rd(l, PPR, 0), 0x40);
	assert_int_equal(vlapic_pending_vector(l), -1);   /* 0x31 is in a lower class than PPR */
	vlapic_accept_fixed(l, 0x4f, false);
	assert_int_equal(vlapic_pending_vector(l), -1);   /* same class as the one in service */
	vlapic_accept_fixed(l, 0x52, false);
	assert_int_equal(vlapic_pending_vector(l), 0x52);
	wr(l, TPR, 0x65, 0);
	assert_int_equal(rd(l, PPR, 0), 0x65);
	assert_int_equal(vlapic_pending_vector(l), -1);
	wr(l, TPR, 0x00, 0);
	wr(l, EOI, 0, 0);                                /* ends 0x45 */
	assert_int_equal(rd(l, ISR0 + 0x20, 0), 0);
	assert_int_equal(rd(l, PPR, 0), 0);
	assert_int_equal(vlapic_pending_vector(l), 0x52);
	wr(l, EOI, 0, 0);                                /* nothing in service: ignored */
	assert_int_equal(vlapic_pending_vector(l), 0x52);
}

static void test_apr(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, TPR, 0x35, 0);
	assert_int_equal(rd(l, APR, 0), 0x35);           /* TPR above IRRV and ISRV classes */
	vlapic_accept_fixed(l, 0x61, false);
	assert_int_equal(rd(l, APR, 0), 0x60);
}

static void test_illegal_vector_and_esr(void **state)
{
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	wr(l, LVT_ERR, 0xfe, 0);
	vlapic_accept_fixed(l, 0x05, false);
	assert_false(irr_has(l, 0x05));
	assert_true(irr_has(l, 0xfe));                   /* the error interrupt */
	assert_int_equal(rd(l, ESR, 0), 0);              /* ESR shows errors after a write */
	wr(l, ESR, 0, 0);
	assert_int_equal(rd(l, ESR, 0), 0x40);           /* bit 6: receive illegal vector */
	wr(l, ICR_LO, 0x00000003, 0);                    /* fixed IPI with vector 3 */
	wr(l, ESR, 0, 0);
	assert_int_equal(rd(l, ESR, 0), 0x20);           /* bit 5: send illegal vector */
	wr(l, ESR, 0, 0);
	assert_int_equal(rd(l, ESR, 0), 0);
}

static void test_level_eoi_reaches_ioapic(void **state)
{
	struct vioapic io;
	struct vlapic *l = &apics[0];

	(void)state;
	vioapic_reset(&io, 3, &bus);
	bus.ioapic = &io;
	enable(l);
	/* Pin 9: vector 0x39, level, active high, physical dest 0. */
	vioapic_mmio_write(&io, 0x00, 4, 0x10 + 2 * 9);
	vioapic_mmio_write(&io, 0x10, 4, 0x00008039);
	vioapic_set_pin(&io, 9, true);
	assert_true(irr_has(l, 0x39));
	assert_int_equal(rd(l, TMR0 + 0x10, 0), 1u << (0x39 - 32));
	vlapic_ack(l, 0x39);
	vioapic_set_pin(&io, 9, false);
	wr(l, EOI, 0, 0);
	vioapic_mmio_write(&io, 0x00, 4, 0x10 + 2 * 9);
	assert_int_equal(vioapic_mmio_read(&io, 0x10, 4) & 0x4000, 0); /* remote IRR cleared by the EOI */
}

/*
 * The paravirtual EOI may stand in for the EOI write only when it would end an edge-triggered
 * vector in service with nothing requested behind it (KVM's rule, msr.rst MSR_KVM_PV_EOI_EN).
 */
static void test_eoi_may_be_deferred(void **state)
{
	struct vioapic io;
	struct vlapic *l = &apics[0];

	(void)state;
	enable(l);
	assert_false(vlapic_eoi_may_be_deferred(l)); /* nothing in service */
	vlapic_accept_fixed(l, 0xec, false);
	assert_false(vlapic_eoi_may_be_deferred(l)); /* requested, not yet in service */
	vlapic_ack(l, 0xec);
	assert_true(vlapic_eoi_may_be_deferred(l));
	vlapic_accept_fixed(l, 0x31, false); /* a lower vector waits behind it: its delivery needs the exit */
	assert_false(vlapic_eoi_may_be_deferred(l));
	vlapic_eoi(l);
	assert_int_equal(rd(l, ISR0 + 0x70, 0), 0); /* 0xec ended, as an EOI write would */
	vlapic_ack(l, 0x31);
	assert_true(vlapic_eoi_may_be_deferred(l));
	vlapic_eoi(l);
	/* A level-triggered vector's EOI must reach the IOAPIC: never deferred. */
	vioapic_reset(&io, 3, &bus);
	bus.ioapic = &io;
	vioapic_mmio_write(&io, 0x00, 4, 0x10 + 2 * 9);
	vioapic_mmio_write(&io, 0x10, 4, 0x00008039);
	vioapic_set_pin(&io, 9, true);
	vlapic_ack(l, 0x39);
	assert_false(vlapic_eoi_may_be_deferred(l));
}

static void test_x2apic_msrs(void **state)
{
	struct vlapic *l = &apics[2];
	uint64_t v;

	(void)state;
	assert_int_equal(vlapic_msr_read(l, 0x802, &v, 0, 0), -1);        /* not in x2APIC mode */
	assert_int_equal(vlapic_set_base(l, 0xfee00400, 0, 0), -1);       /* EXTD without EN */
	assert_int_equal(vlapic_set_base(l, 0xfed00800, 0, 0), -1);       /* moved base */
	assert_int_equal(vlapic_set_base(l, 0xfee00801, 0, 0), -1);       /* reserved bit */
	assert_int_equal(vlapic_set_base(l, 0xfee00c00, 0, 0), 0);
	assert_true(vlapic_x2apic_mode(l));
	assert_int_equal(vlapic_msr_read(l, 0x802, &v, 0, 0), 0);
	assert_int_equal(v, 2);
	assert_int_equal(vlapic_msr_write(l, 0x802, 5, 0, 0), -1);        /* id read-only */
	assert_int_equal(vlapic_msr_read(l, 0x803, &v, 0, 0), 0);
	assert_int_equal(v, 0x00050014);
	assert_int_equal(vlapic_msr_read(l, 0x80d, &v, 0, 0), 0);
	assert_int_equal(v, 0x00000004);                                 /* cluster 0, bit 2 */
	assert_int_equal(vlapic_msr_write(l, 0x80d, 1, 0, 0), -1);
	assert_int_equal(vlapic_msr_read(l, 0x80e, &v, 0, 0), -1);        /* no DFR */
	assert_int_equal(vlapic_msr_read(l, 0x809, &v, 0, 0), -1);        /* no APR */
	assert_int_equal(vlapic_msr_read(l, 0x831, &v, 0, 0), -1);        /* ICR is one MSR */
	assert_int_equal(vlapic_msr_read(l, 0x80b, &v, 0, 0), -1);        /* EOI write-only */
	assert_int_equal(vlapic_msr_write(l, 0x80b, 1, 0, 0), -1);        /* EOI takes 0 */
	assert_int_equal(vlapic_msr_write(l, 0x80f, 0x1ff, 0, 0), 0);
	assert_int_equal(vlapic_msr_write(l, 0x808, 1ull << 32, 0, 0), -1);
	assert_int_equal(vlapic_msr_write(l, 0x83f, 0x100, 0, 0), -1);
	assert_int_equal(vlapic_msr_write(l, 0x83f, 0x77, 0, 0), 0);      /* SELF IPI */
	assert_int_equal(vlapic_pending_vector(l), 0x77);
	assert_int_equal(vlapic_msr_read(l, 0x83f, &v, 0, 0), -1);
	assert_int_equal(vlapic_msr_read(l, 0x8ff, &v, 0, 0), -1);
	assert_int_equal(vlapic_mmio_read(l, SVR, 4, 0, 0), 0);           /* no MMIO in x2APIC mode */
	assert_int_equal(vlapic_set_base(l, 0xfee00800, 0, 0), -1);       /* x2APIC -> xAPIC refused */
	assert_int_equal(vlapic_set_base(l, 0xfee00000, 0, 0), 0);        /* -> disabled */
	assert_int_equal(vlapic_set_base(l, 0xfee00c00, 0, 0), -1);       /* disabled -> x2APIC refused */
	assert_int_equal(vlapic_set_base(l, 0xfee00800, 0, 0), 0);
	assert_int_equal(rd(l, SVR, 0), 0xff);                           /* came back reset */
}

static void test_x2apic_icr_ipi(void **state)
{
	uint64_t v;

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vlapic_set_base(&apics[i], 0xfee00c00 | (i ? 0 : 0x100), 0, 0), 0);
		assert_int_equal(vlapic_msr_write(&apics[i], 0x80f, 0x1ff, 0, 0), 0);
	}
	assert_int_equal(vlapic_msr_write(&apics[0], 0x830, (2ull << 32) | 0x4050, 0, 0), 0);
	assert_int_equal(vlapic_pending_vector(&apics[2]), 0x50);
	assert_int_equal(vlapic_pending_vector(&apics[1]), -1);
	assert_int_equal(vlapic_msr_read(&apics[0], 0x830, &v, 0, 0), 0);
	assert_int_equal(v, (2ull << 32) | 0x4050);
	/* Logical x2APIC: cluster 0, bits 0 and 1 -> APICs 0 and 1. */
	assert_int_equal(vlapic_msr_write(&apics[2], 0x830, (3ull << 32) | 0x0851, 0, 0), 0);
	assert_int_equal(vlapic_pending_vector(&apics[0]), 0x51);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x51);
	assert_int_equal(vlapic_pending_vector(&apics[2]), 0x50);
	/* Destination 0xFFFFFFFF broadcasts; 0xFF is APIC id 255 here. */
	assert_int_equal(vlapic_msr_write(&apics[0], 0x830, (0xffull << 32) | 0x4060, 0, 0), 0);
	assert_int_equal(bus.dropped, 1);
	assert_int_equal(vlapic_msr_write(&apics[0], 0x830, (0xffffffffull << 32) | 0x4060, 0, 0), 0);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x60);
}

static void test_xapic_ipis(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		enable(&apics[i]);
	notified = 0;
	/* Physical, fixed, to APIC 2. */
	wr(&apics[0], ICR_HI, 0x02000000, 0);
	wr(&apics[0], ICR_LO, 0x00004061, 0);
	assert_true(irr_has(&apics[2], 0x61));
	assert_false(irr_has(&apics[1], 0x61));
	assert_int_equal(notified, 1u << 2);
	assert_int_equal(rd(&apics[0], ICR_LO, 0), 0x00004061); /* delivery status idle */
	/* All excluding self (shorthand 11b). */
	wr(&apics[1], ICR_LO, 0x000c4062, 0);
	assert_true(irr_has(&apics[0], 0x62) && irr_has(&apics[2], 0x62));
	assert_false(irr_has(&apics[1], 0x62));
	/* Self (01b) and all including self (10b). */
	wr(&apics[1], ICR_LO, 0x00044063, 0);
	assert_true(irr_has(&apics[1], 0x63));
	assert_false(irr_has(&apics[0], 0x63));
	wr(&apics[1], ICR_LO, 0x00084064, 0);
	assert_true(irr_has(&apics[0], 0x64) && irr_has(&apics[1], 0x64) && irr_has(&apics[2], 0x64));
	/* Logical flat: LDRs 0x01, 0x02, 0x04; destination 0x06 is APICs 1 and 2. */
	for (int i = 0; i < 3; i++)
		wr(&apics[i], LDR, 0x01000000u << i, 0);
	wr(&apics[0], ICR_HI, 0x06000000, 0);
	wr(&apics[0], ICR_LO, 0x00004865, 0);
	assert_false(irr_has(&apics[0], 0x65));
	assert_true(irr_has(&apics[1], 0x65) && irr_has(&apics[2], 0x65));
	/* Logical cluster (DFR model 0): LDR 0x11, 0x12, 0x21 = cluster 1 members 0 and 1, cluster 2 member 0. */
	for (int i = 0; i < 3; i++)
		wr(&apics[i], DFR, 0x0fffffff, 0);
	wr(&apics[0], LDR, 0x11000000, 0);
	wr(&apics[1], LDR, 0x12000000, 0);
	wr(&apics[2], LDR, 0x21000000, 0);
	wr(&apics[0], ICR_HI, 0x12000000, 0);
	wr(&apics[0], ICR_LO, 0x00004866, 0);
	assert_true(irr_has(&apics[1], 0x66));
	assert_false(irr_has(&apics[0], 0x66) || irr_has(&apics[2], 0x66));
	wr(&apics[0], ICR_HI, 0x43000000, 0);             /* cluster 4: nobody */
	wr(&apics[0], ICR_LO, 0x00004867, 0);
	assert_false(irr_has(&apics[0], 0x67) || irr_has(&apics[1], 0x67) || irr_has(&apics[2], 0x67));
	assert_int_equal(bus.dropped, 1);
}

static void test_ipi_modes_and_missing_targets(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		enable(&apics[i]);
	wr(&apics[0], ICR_HI, 0x01000000, 0);
	wr(&apics[0], ICR_LO, 0x00004400, 0);             /* NMI */
	assert_true(apics[1].nmi_pending);
	wr(&apics[0], ICR_LO, 0x0000c500, 0);             /* INIT assert */
	assert_true(apics[1].init_pending);
	apics[1].init_pending = false;
	wr(&apics[0], ICR_LO, 0x00008500, 0);             /* INIT level de-assert: nothing */
	assert_false(apics[1].init_pending);
	wr(&apics[0], ICR_LO, 0x0000469a, 0);             /* SIPI, vector 0x9A */
	assert_true(apics[1].sipi_pending);
	assert_int_equal(apics[1].sipi_vector, 0x9a);
	wr(&apics[0], ICR_HI, 0x07000000, 0);             /* APIC 7 does not exist */
	wr(&apics[0], ICR_LO, 0x00004070, 0);
	wr(&apics[0], ICR_LO, 0x00004400, 0);
	assert_int_equal(bus.dropped, 2);
	wr(&apics[0], ICR_LO, 0x00004270, 0);             /* SMI: not modelled, dropped */
	assert_int_equal(bus.dropped, 3);
	/* Lowest priority to the flat group {1, 2}: the lowest id takes it. */
	wr(&apics[1], LDR, 0x02000000, 0);
	wr(&apics[2], LDR, 0x04000000, 0);
	wr(&apics[0], ICR_HI, 0x06000000, 0);
	wr(&apics[0], ICR_LO, 0x00004971, 0);
	assert_true(irr_has(&apics[1], 0x71));
	assert_false(irr_has(&apics[2], 0x71));
	/* Shorthand "self" is valid with fixed delivery only (SDM Vol 3A table 11-3): an NMI or INIT to self is dropped. */
	wr(&apics[0], ICR_LO, 0x00044400, 0);
	wr(&apics[0], ICR_LO, 0x00044500, 0);
	assert_false(apics[0].nmi_pending);
	assert_false(apics[0].init_pending);
	assert_int_equal(bus.dropped, 5);
	wr(&apics[0], ICR_LO, 0x00044072, 0);             /* fixed to self: taken */
	assert_true(irr_has(&apics[0], 0x72));
}

static void test_init_reset(void **state)
{
	struct vlapic *l = &apics[1];

	(void)state;
	enable(l);
	wr(l, TPR, 0x40, 0);
	wr(l, LVT_T, 0x20030, 0);
	vlapic_accept_fixed(l, 0x50, false);
	vlapic_accept_init(l);
	vlapic_accept_sipi(l, 0x9a);
	vlapic_init_reset(l);
	/* 11.4.7.3: as at power-up, but the id and IA32_APIC_BASE stay; the SIPI that follows INIT is kept. */
	assert_int_equal(rd(l, ID, 0), 0x01000000);
	assert_int_equal(l->apic_base, 0xfee00800);
	assert_int_equal(rd(l, SVR, 0), 0xff);
	assert_int_equal(rd(l, TPR, 0), 0);
	assert_int_equal(rd(l, LVT_T, 0), 0x00010000);
	assert_false(irr_has(l, 0x50));
	assert_false(l->init_pending);
	assert_true(l->sipi_pending);
	assert_int_equal(l->sipi_vector, 0x9a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_mmio_access_rules, setup),
		cmocka_unit_test_setup(test_sw_disabled_masks, setup),
		cmocka_unit_test_setup(test_timer_divide_values, setup),
		cmocka_unit_test_setup(test_oneshot_fires_once, setup),
		cmocka_unit_test_setup(test_periodic_reloads, setup),
		cmocka_unit_test_setup(test_divide_change_keeps_count, setup),
		cmocka_unit_test_setup(test_tsc_deadline, setup),
		cmocka_unit_test_setup(test_mode_switch_disarms_count, setup),
		cmocka_unit_test_setup(test_priorities, setup),
		cmocka_unit_test_setup(test_apr, setup),
		cmocka_unit_test_setup(test_illegal_vector_and_esr, setup),
		cmocka_unit_test_setup(test_level_eoi_reaches_ioapic, setup),
		cmocka_unit_test_setup(test_eoi_may_be_deferred, setup),
		cmocka_unit_test_setup(test_x2apic_msrs, setup),
		cmocka_unit_test_setup(test_x2apic_icr_ipi, setup),
		cmocka_unit_test_setup(test_xapic_ipis, setup),
		cmocka_unit_test_setup(test_ipi_modes_and_missing_targets, setup),
		cmocka_unit_test_setup(test_init_reset, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
