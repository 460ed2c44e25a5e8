/* The local APIC model of one vCPU: xAPIC register page, x2APIC MSRs, timer, interrupt acceptance. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>
#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/lapic.h"
#include "hypervisor/dev/platform.h"

/* Register numbers: xAPIC offset >> 4 = x2APIC MSR - 0x800 (SDM Vol 3A Table 11-1, Table 11-6). */
enum {
	R_ID = 0x02, R_VER = 0x03, R_TPR = 0x08, R_APR = 0x09, R_PPR = 0x0a, R_EOI = 0x0b, R_RRD = 0x0c,
	R_LDR = 0x0d, R_DFR = 0x0e, R_SVR = 0x0f, R_ISR = 0x10, R_TMR = 0x18, R_IRR = 0x20, R_ESR = 0x28,
	R_CMCI = 0x2f, R_ICR_LO = 0x30, R_ICR_HI = 0x31, R_LVT = 0x32, R_TIMER_INIT = 0x38,
	R_TIMER_CUR = 0x39, R_TIMER_DCR = 0x3e, R_SELF_IPI = 0x3f, R_COUNT = 0x40,
};

/* Who may touch a register: xAPIC read/write, x2APIC read/write (Table 11-1 and 11-6). */
#define XR 0x1
#define XW 0x2
#define X2R 0x4
#define X2W 0x8
#define RW_BOTH (XR | XW | X2R | X2W)
#define RO_BOTH (XR | X2R)

static const uint8_t access[R_COUNT] = {
	/*  register        xAPIC     x2APIC */
	[R_ID] = XR | XW | X2R,          /* x2APIC id is read-only */
	[R_VER] = RO_BOTH,
	[R_TPR] = RW_BOTH,
	[R_APR] = XR,                    /* no x2APIC MSR */
	[R_PPR] = RO_BOTH,
	[R_EOI] = XW | X2W,
	[R_RRD] = XR,
	[R_LDR] = XR | XW | X2R,         /* derived from the id in x2APIC mode (11.12.10.2) */
	[R_DFR] = XR | XW,               /* no DFR in x2APIC mode */
	[R_SVR] = RW_BOTH,
	[R_ISR + 0] = RO_BOTH, [R_ISR + 1] = RO_BOTH, [R_ISR + 2] = RO_BOTH, [R_ISR + 3] = RO_BOTH,
	[R_ISR + 4] = RO_BOTH, [R_ISR + 5] = RO_BOTH, [R_ISR + 6] = RO_BOTH, [R_ISR + 7] = RO_BOTH,
	[R_TMR + 0] = RO_BOTH, [R_TMR + 1] = RO_BOTH, [R_TMR + 2] = RO_BOTH, [R_TMR + 3] = RO_BOTH,
	[R_TMR + 4] = RO_BOTH, [R_TMR + 5] = RO_BOTH, [R_TMR + 6] = RO_BOTH, [R_TMR + 7] = RO_BOTH,
	[R_IRR + 0] = RO_BOTH, [R_IRR + 1] = RO_BOTH, [R_IRR + 2] = RO_BOTH, [R_IRR + 3] = RO_BOTH,
	[R_IRR + 4] = RO_BOTH, [R_IRR + 5] = RO_BOTH, [R_IRR + 6] = RO_BOTH, [R_IRR + 7] = RO_BOTH,
	[R_ESR] = RW_BOTH,
	[R_ICR_LO] = RW_BOTH,            /* x2APIC: the whole 64-bit ICR */
	[R_ICR_HI] = XR | XW,
	[R_LVT + LVT_TIMER] = RW_BOTH, [R_LVT + LVT_THERMAL] = RW_BOTH, [R_LVT + LVT_PERF] = RW_BOTH,
	[R_LVT + LVT_LINT0] = RW_BOTH, [R_LVT + LVT_LINT1] = RW_BOTH, [R_LVT + LVT_ERROR] = RW_BOTH,
	[R_TIMER_INIT] = RW_BOTH,
	[R_TIMER_CUR] = RO_BOTH,
	[R_TIMER_DCR] = RW_BOTH,
	[R_SELF_IPI] = X2W,
};

/* Version register (11.4.8): integrated APIC version 0x14, max LVT entry = LVT_COUNT - 1, no EOI suppression. */
#define LAPIC_VERSION (0x14u | ((uint32_t)(LVT_COUNT - 1) << 16))

/* IA32_APIC_BASE bits (11.4.4, 11.12.1). */
#define BASE_BSP (1ull << 8)
#define BASE_EXTD (1ull << 10)
#define BASE_EN (1ull << 11)
#define BASE_ADDR_MASK 0x000ffffffffff000ull

#define SVR_ENABLE (1u << 8)
#define SVR_WRITABLE 0x3ffu          /* vector, APIC enable, focus check (11.9) */
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_MODE(v) (((v) >> 17) & 3u)
#define TIMER_ONESHOT 0u
#define TIMER_PERIODIC 1u
#define TIMER_TSC_DEADLINE 2u
#define DCR_WRITABLE 0xbu            /* bits 0, 1, 3 (Figure 11-10) */
#define DFR_RESERVED_ONES 0x0fffffffu
#define ESR_SEND_ILLEGAL (1u << 5)   /* 11.5.3 */
#define ESR_RECV_ILLEGAL (1u << 6)
#define ICR_WRITABLE 0x000ccfffu     /* vector, mode, dest mode, level, trigger, shorthand (Figure 11-12) */
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)

/* Writable bits of each LVT register (Figure 11-8; delivery status and remote IRR are read-only). */
static const uint32_t lvt_writable[LVT_COUNT] = {
	[LVT_TIMER] = 0x000710ffu & ~(1u << 12),
	[LVT_THERMAL] = 0x000107ffu,
	[LVT_PERF] = 0x000107ffu,
	[LVT_LINT0] = 0x0001a7ffu,
	[LVT_LINT1] = 0x0001a7ffu,
	[LVT_ERROR] = 0x000100ffu,
};

static bool test_bit(const uint32_t *r, uint8_t v)
{
	return (r[v >> 5] >> (v & 31)) & 1u;
}

static void set_bit(uint32_t *r, uint8_t v)
{
	r[v >> 5] |= 1u << (v & 31);
}

static void clear_bit(uint32_t *r, uint8_t v)
{
	r[v >> 5] &= ~(1u << (v & 31));
}

static int highest_bit(const uint32_t *r)
{
	for (int i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return -1;
}

bool vlapic_x2apic_mode(const struct vlapic *l)
{
	return (l->apic_base & (BASE_EN | BASE_EXTD)) == (BASE_EN | BASE_EXTD);
}

bool vlapic_hw_enabled(const struct vlapic *l)
{
	return (l->apic_base & BASE_EN) != 0;
}

static bool sw_enabled(const struct vlapic *l)
{
	return vlapic_hw_enabled(l) && (l->svr & SVR_ENABLE);
}

static void notify(struct vlapic *l)
{
	if (l->bus && l->bus->notify)
		l->bus->notify(l->bus->ctx, l->index);
}

/* The registers an INIT or a disable/enable cycle resets (11.4.7.1), everything but id and base. */
static void reset_registers(struct vlapic *l)
{
	l->tpr = l->ldr = l->esr = l->esr_pending = l->icr_lo = l->icr_hi = 0;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	for (int i = 0; i < LVT_COUNT; i++)
		l->lvt[i] = LVT_MASKED;
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	l->timer_initial = l->timer_dcr = 0;
	l->timer_armed = false;
	l->tsc_deadline = 0;
	l->nmi_pending = l->init_pending = l->sipi_pending = false;
	l->sipi_vector = 0;
}

void vlapic_init_reset(struct vlapic *l)
{
	bool sipi = l->sipi_pending;
	uint8_t vector = l->sipi_vector;

	reset_registers(l);
	l->sipi_pending = sipi;
	l->sipi_vector = vector;
}

void vlapic_reset(struct vlapic *l, uint32_t id, bool bsp, uint64_t tsc_hz, struct apic_bus *bus)
{
	memset(l, 0, sizeof(*l));
	l->id = l->index = id;
	l->tsc_hz = tsc_hz;
	l->bus = bus;
	l->apic_base = PLAT_LAPIC_BASE | BASE_EN | (bsp ? BASE_BSP : 0); /* 11.4.4: enabled at power-up */
	reset_registers(l);
}

/* --- interrupt acceptance (11.8) --- */

uint32_t vlapic_ppr(const struct vlapic *l)
{
	int isrv = highest_bit(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0);

	/* 11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] with PPR[3:0] = 0. */
	return (l->tpr & 0xf0) >= isr_class ? (l->tpr & 0xff) : isr_class;
}

/* Arbitration priority (11.6.2.4, Figure 11-15). */
static uint32_t vlapic_apr(const struct vlapic *l)
{
	int irrv = highest_bit(l->irr), isrv = highest_bit(l->isr);
	uint32_t tpr = l->tpr & 0xff, irr_c = irrv < 0 ? 0 : ((uint32_t)irrv & 0xf0);
	uint32_t isr_c = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0), apr = tpr & 0xf0;

	if ((tpr & 0xf0) >= irr_c && (tpr & 0xf0) > isr_c)
		return tpr;
	if (irr_c > apr)
		apr = irr_c;
	if (isr_c > apr)
		apr = isr_c;
	return apr;
}

static void signal_error(struct vlapic *l, uint32_t bit)
{
	uint8_t vector = (uint8_t)l->lvt[LVT_ERROR];

	l->esr_pending |= bit;
	/* The error interrupt itself with an illegal vector would loop: it only sets ESR. */
	if (!(l->lvt[LVT_ERROR] & LVT_MASKED) && vector >= 16 && sw_enabled(l)) {
		set_bit(l->irr, vector);
		clear_bit(l->tmr, vector);
		notify(l);
	}
}

void vlapic_accept_fixed(struct vlapic *l, uint8_t vector, bool level_triggered)
{
	if (!sw_enabled(l)) {
		l->dropped_disabled++; /* a software-disabled APIC takes no fixed interrupt (11.4.7.2) */
		return;
	}
	if (vector < 16) {
		l->illegal_vectors++; /* vectors 0-15 are reserved: "Receive Illegal Vector" (11.5.3) */
		signal_error(l, ESR_RECV_ILLEGAL);
		return;
	}
	set_bit(l->irr, vector);
	if (level_triggered)
		set_bit(l->tmr, vector);
	else
		clear_bit(l->tmr, vector);
	notify(l);
}

void vlapic_accept_nmi(struct vlapic *l)
{
	if (!vlapic_hw_enabled(l)) {
		l->dropped_disabled++;
		return;
	}
	l->nmi_pending = true;
	notify(l);
}

void vlapic_accept_init(struct vlapic *l)
{
	if (!vlapic_hw_enabled(l)) {
		l->dropped_disabled++;
		return;
	}
	l->init_pending = true;
	notify(l);
}

void vlapic_accept_sipi(struct vlapic *l, uint8_t vector)
{
	if (!vlapic_hw_enabled(l)) {
		l->dropped_disabled++;
		return;
	}
	l->sipi_pending = true;
	l->sipi_vector = vector;
	notify(l);
}

int vlapic_pending_vector(const struct vlapic *l)
{
	int v = highest_bit(l->irr);

	if (v < 0 || !sw_enabled(l))
		return -1;
	/* 11.8.3: only a priority class above PPR's is dispatched. */
	if (((uint32_t)v & 0xf0) <= (vlapic_ppr(l) & 0xf0))
		return -1;
	return v;
}

void vlapic_ack(struct vlapic *l, uint8_t vector)
{
	if (!test_bit(l->irr, vector))
		return;
	clear_bit(l->irr, vector);
	set_bit(l->isr, vector);
}

void vlapic_eoi(struct vlapic *l)
{
	int v = highest_bit(l->isr);

	if (v < 0)
		return;
	clear_bit(l->isr, (uint8_t)v);
	/* 11.8.5: a level-triggered vector's EOI is broadcast to the IOAPICs. */
	if (test_bit(l->tmr, (uint8_t)v) && l->bus)
		apic_bus_eoi(l->bus, (uint8_t)v);
	if (vlapic_pending_vector(l) >= 0)
		notify(l);
}

/*
 * The condition under which KVM lets a guest skip its EOI write (arch/x86/kvm/lapic.c,
 * apic_sync_pv_eoi_to_guest): a vector in service, nothing requested behind it, and the vector
 * edge-triggered, so its EOI has nothing to broadcast to an IOAPIC (11.8.5). An EOI done later
 * by the hypervisor then ends the same vector the guest's write would have.
 */
bool vlapic_eoi_may_be_deferred(const struct vlapic *l)
{
	int v = highest_bit(l->isr);

	if (v < 0 || test_bit(l->tmr, (uint8_t)v))
		return false;
	for (unsigned i = 0; i < 8; i++)
		if (l->irr[i])
			return false;
	return true;
}

/* --- destinations (11.6.2) --- */

static uint32_t x2apic_ldr(uint32_t id)
{
	/* 11.12.10.2: cluster id = id[19:4] in bits 31:16, bit id[3:0] set in bits 15:0. */
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

static bool broadcast(uint32_t dest, bool wide)
{
	return wide ? dest == 0xffffffffu : (dest & 0xff) == 0xff;
}

bool vlapic_match_physical(const struct vlapic *l, uint32_t dest, bool wide)
{
	if (!vlapic_hw_enabled(l))
		return false;
	if (broadcast(dest, wide))
		return true;
	return l->id == (wide ? dest : (dest & 0xff));
}

bool vlapic_match_logical(const struct vlapic *l, uint32_t dest, bool wide)
{
	uint32_t logical;

	if (!vlapic_hw_enabled(l))
		return false;
	if (broadcast(dest, wide))
		return true;
	if (vlapic_x2apic_mode(l)) {
		uint32_t ldr = x2apic_ldr(l->id);
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffffu);
	}
	dest &= 0xff;
	logical = l->ldr >> 24;
	if ((l->dfr >> 28) == 0xf)
		return (logical & dest) != 0;                              /* flat model */
	return (dest >> 4) == (logical >> 4) && (dest & logical & 0xf); /* cluster model */
}

/* --- IPIs (11.6.1) --- */

static void send_ipi(struct vlapic *l, uint32_t lo, uint32_t dest)
{
	struct apic_msg m = {
		.dest = dest,
		.vector = (uint8_t)lo,
		.mode = (uint8_t)((lo >> 8) & 7),
		.logical = (lo >> 11) & 1,
		.level_triggered = false,
		.shorthand = (uint8_t)((lo >> 18) & 3),
		.wide = vlapic_x2apic_mode(l),
		.source = (int32_t)l->index,
	};

	/* INIT level de-assert (level 0, trigger level): a no-op on current processors (11.6.1). */
	if (m.mode == APIC_DM_INIT && !(lo & ICR_LEVEL_ASSERT) && (lo & ICR_TRIGGER_LEVEL))
		return;
	if ((m.mode == APIC_DM_FIXED || m.mode == APIC_DM_LOWEST) && m.vector < 16) {
		l->illegal_vectors++;
		signal_error(l, ESR_SEND_ILLEGAL);
		return;
	}
	if (l->bus)
		apic_bus_deliver(l->bus, &m);
}

/* --- timer (11.5.4) --- */

static uint32_t timer_mode(const struct vlapic *l)
{
	return LVT_TIMER_MODE(l->lvt[LVT_TIMER]);
}

/* Figure 11-10: bits 3,1,0 = 111 divide by 1, else 2^(value + 1). */
static uint64_t timer_divide(uint32_t dcr)
{
	uint32_t v = ((dcr >> 1) & 4u) | (dcr & 3u);
	return v == 7 ? 1 : 2ull << v;
}

/* Nanoseconds per timer tick at LAPIC_BUS_HZ = 1 GHz. */
static uint64_t tick_ns(const struct vlapic *l)
{
	return timer_divide(l->timer_dcr);
}

static uint64_t period_ns(const struct vlapic *l)
{
	return (uint64_t)l->timer_initial * tick_ns(l);
}

static uint32_t current_count(const struct vlapic *l, uint64_t now_ns)
{
	uint64_t ticks;

	if (!l->timer_armed || l->timer_initial == 0 || timer_mode(l) == TIMER_TSC_DEADLINE)
		return 0;
	ticks = (now_ns - l->timer_start_ns) / tick_ns(l);
	if (timer_mode(l) == TIMER_PERIODIC)
		return l->timer_initial - (uint32_t)(ticks % l->timer_initial);
	return ticks >= l->timer_initial ? 0 : l->timer_initial - (uint32_t)ticks;
}

static void timer_fire(struct vlapic *l)
{
	uint32_t lvt = l->lvt[LVT_TIMER];

	if (!(lvt & LVT_MASKED))
		vlapic_accept_fixed(l, (uint8_t)lvt, false);
}

void vlapic_timer_update(struct vlapic *l, uint64_t now_ns, uint64_t now_tsc)
{
	if (timer_mode(l) == TIMER_TSC_DEADLINE) {
		if (l->tsc_deadline && now_tsc >= l->tsc_deadline) {
			l->tsc_deadline = 0; /* 11.5.4.1: the MSR reads 0 once the timer fired */
			timer_fire(l);
		}
		return;
	}
	if (!l->timer_armed || !l->timer_initial || now_ns - l->timer_start_ns < period_ns(l))
		return;
	if (timer_mode(l) == TIMER_PERIODIC) {
		/* Periods missed while nobody looked are one interrupt: IRR holds one bit per vector anyway. */
		uint64_t p = period_ns(l);
		l->timer_start_ns += (now_ns - l->timer_start_ns) / p * p;
	} else {
		l->timer_armed = false;
	}
	timer_fire(l);
}

uint64_t vlapic_timer_next_ns(const struct vlapic *l, uint64_t now_ns, uint64_t now_tsc)
{
	if (timer_mode(l) == TIMER_TSC_DEADLINE) {
		unsigned __int128 ns;
		if (!l->tsc_deadline)
			return UINT64_MAX;
		if (now_tsc >= l->tsc_deadline || !l->tsc_hz)
			return now_ns;
		ns = (unsigned __int128)(l->tsc_deadline - now_tsc) * 1000000000u / l->tsc_hz;
		return ns > UINT64_MAX - now_ns ? UINT64_MAX : now_ns + (uint64_t)ns;
	}
	if (!l->timer_armed || !l->timer_initial)
		return UINT64_MAX;
	return l->timer_start_ns + period_ns(l);
}

static void write_timer_initial(struct vlapic *l, uint32_t value, uint64_t now_ns)
{
	if (timer_mode(l) == TIMER_TSC_DEADLINE)
		return; /* 11.5.4.1: ignored in TSC-deadline mode */
	l->timer_initial = value;
	l->timer_start_ns = now_ns;
	l->timer_armed = value != 0; /* writing 0 stops the timer (11.5.4) */
}

static void write_timer_dcr(struct vlapic *l, uint32_t value, uint64_t now_ns)
{
	uint32_t cur = current_count(l, now_ns);

	l->timer_dcr = value & DCR_WRITABLE;
	/* Keep the count where it is; the rest of the period runs at the new rate. */
	if (l->timer_armed)
		l->timer_start_ns = now_ns - (uint64_t)(l->timer_initial - cur) * tick_ns(l);
}

static void write_lvt(struct vlapic *l, unsigned i, uint32_t value)
{
	uint32_t old_mode = timer_mode(l);

	value &= lvt_writable[i];
	if (!(l->svr & SVR_ENABLE))
		value |= LVT_MASKED; /* 11.4.7.2: masks cannot be cleared while software-disabled */
	l->lvt[i] = value;
	/* 11.5.4.1: switching to or from TSC-deadline mode disarms the timer. */
	if (i == LVT_TIMER && (old_mode == TIMER_TSC_DEADLINE) != (timer_mode(l) == TIMER_TSC_DEADLINE)) {
		l->timer_armed = false;
		l->timer_initial = 0;
		l->tsc_deadline = 0;
	}
}

uint64_t vlapic_tsc_deadline_read(const struct vlapic *l)
{
	return timer_mode(l) == TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
}

void vlapic_tsc_deadline_write(struct vlapic *l, uint64_t value, uint64_t now_ns, uint64_t now_tsc)
{
	if (timer_mode(l) != TIMER_TSC_DEADLINE)
		return;
	l->tsc_deadline = value;
	vlapic_timer_update(l, now_ns, now_tsc); /* a deadline in the past fires at once */
}

/* --- register file --- */

static void write_svr(struct vlapic *l, uint32_t value)
{
	l->svr = value & SVR_WRITABLE;
	if (!(l->svr & SVR_ENABLE))
		for (int i = 0; i < LVT_COUNT; i++)
			l->lvt[i] |= LVT_MASKED;
}

static uint32_t reg_read(struct vlapic *l, unsigned r, uint64_t now_ns)
{
	bool x2 = vlapic_x2apic_mode(l);

	if (r >= R_ISR && r < R_ISR + 8)
		return l->isr[r - R_ISR];
	if (r >= R_TMR && r < R_TMR + 8)
		return l->tmr[r - R_TMR];
	if (r >= R_IRR && r < R_IRR + 8)
		return l->irr[r - R_IRR];
	if (r >= R_LVT && r < R_LVT + LVT_COUNT)
		return l->lvt[r - R_LVT];
	switch (r) {
	case R_ID: return x2 ? l->id : l->id << 24;
	case R_VER: return LAPIC_VERSION;
	case R_TPR: return l->tpr;
	case R_APR: return vlapic_apr(l);
	case R_PPR: return vlapic_ppr(l);
	case R_LDR: return x2 ? x2apic_ldr(l->id) : l->ldr;
	case R_DFR: return l->dfr;
	case R_SVR: return l->svr;
	case R_ESR: return l->esr;
	case R_ICR_LO: return l->icr_lo; /* delivery status 0: sent at once */
	case R_ICR_HI: return l->icr_hi;
	case R_TIMER_INIT: return l->timer_initial;
	case R_TIMER_CUR: return current_count(l, now_ns);
	case R_TIMER_DCR: return l->timer_dcr;
	default: return 0;
	}
}

static void reg_write(struct vlapic *l, unsigned r, uint32_t value, uint64_t now_ns, uint64_t now_tsc)
{
	if (r >= R_LVT && r < R_LVT + LVT_COUNT) {
		write_lvt(l, r - R_LVT, value);
		if (r == R_LVT + LVT_TIMER)
			vlapic_timer_update(l, now_ns, now_tsc);
		return;
	}
	switch (r) {
	case R_ID: l->id = value >> 24; break; /* xAPIC: software may change it (11.4.6); routing follows */
	case R_TPR: l->tpr = value & 0xff; break;
	case R_EOI: vlapic_eoi(l); break;
	case R_LDR: l->ldr = value & 0xff000000u; break;
	case R_DFR: l->dfr = value | DFR_RESERVED_ONES; break;
	case R_SVR: write_svr(l, value); break;
	case R_ESR: l->esr = l->esr_pending; l->esr_pending = 0; break;
	case R_ICR_LO:
		l->icr_lo = value & ICR_WRITABLE;
		send_ipi(l, l->icr_lo, l->icr_hi >> 24);
		break;
	case R_ICR_HI: l->icr_hi = value & 0xff000000u; break;
	case R_TIMER_INIT: write_timer_initial(l, value, now_ns); break;
	case R_TIMER_DCR: write_timer_dcr(l, value, now_ns); break;
	default: break;
	}
}

/* xAPIC MMIO: registers are 32 bits on 16-byte boundaries (11.4.1). */
static bool mmio_reg(const struct vlapic *l, uint64_t offset, unsigned size, unsigned *r)
{
	if (!vlapic_hw_enabled(l) || vlapic_x2apic_mode(l))
		return false; /* 11.12.2: no MMIO interface in x2APIC mode */
	if (size != 4 || (offset & 0xf) || offset >= R_COUNT * 16ull)
		return false;
	*r = (unsigned)(offset >> 4);
	return true;
}

uint32_t vlapic_mmio_read(struct vlapic *l, uint64_t offset, unsigned size, uint64_t now_ns, uint64_t now_tsc)
{
	unsigned r;

	(void)now_tsc;
	if (!mmio_reg(l, offset, size, &r) || !(access[r] & XR))
		return 0;
	return reg_read(l, r, now_ns);
}

void vlapic_mmio_write(struct vlapic *l, uint64_t offset, unsigned size, uint64_t value, uint64_t now_ns,
		      uint64_t now_tsc)
{
	unsigned r;

	if (!mmio_reg(l, offset, size, &r) || !(access[r] & XW))
		return;
	reg_write(l, r, (uint32_t)value, now_ns, now_tsc);
}

/* x2APIC MSRs (11.12.1.2): a missing register, a read of a write-only one or a write of a
 * read-only one, and reserved bits set all raise #GP; so does any access outside x2APIC mode. */
static int x2apic_reg(const struct vlapic *l, uint32_t msr, unsigned *r)
{
	if (!vlapic_x2apic_mode(l) || msr < LAPIC_X2APIC_MSR_FIRST || msr > LAPIC_X2APIC_MSR_LAST)
		return -1;
	*r = msr - LAPIC_X2APIC_MSR_FIRST;
	return *r < R_COUNT ? 0 : -1;
}

int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *value, uint64_t now_ns, uint64_t now_tsc)
{
	unsigned r;

	(void)now_tsc;
	if (x2apic_reg(l, msr, &r) || !(access[r] & X2R))
		return -1;
	*value = reg_read(l, r, now_ns);
	if (r == R_ICR_LO)
		*value |= (uint64_t)l->icr_hi << 32;
	return 0;
}

int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t value, uint64_t now_ns, uint64_t now_tsc)
{
	unsigned r;

	if (x2apic_reg(l, msr, &r) || !(access[r] & X2W))
		return -1;
	if (r == R_ICR_LO) {
		l->icr_lo = (uint32_t)value & ICR_WRITABLE;
		l->icr_hi = (uint32_t)(value >> 32);
		send_ipi(l, l->icr_lo, l->icr_hi);
		return 0;
	}
	if (value >> 32)
		return -1;
	if ((r == R_EOI || r == R_ESR) && value)
		return -1; /* 11.12.1.2: EOI and ESR take only 0 */
	if (r == R_SELF_IPI) {
		if (value & ~0xffull)
			return -1;
		vlapic_accept_fixed(l, (uint8_t)value, false); /* 11.12.11 */
		return 0;
	}
	reg_write(l, r, (uint32_t)value, now_ns, now_tsc);
	return 0;
}

int vlapic_set_base(struct vlapic *l, uint64_t value, uint64_t now_ns, uint64_t now_tsc)
{
	uint64_t mode = value & (BASE_EN | BASE_EXTD), cur = l->apic_base & (BASE_EN | BASE_EXTD);

	(void)now_ns;
	(void)now_tsc;
	if (value & ~(BASE_ADDR_MASK | BASE_BSP | BASE_EXTD | BASE_EN))
		return -1;
	if ((value & BASE_ADDR_MASK) != PLAT_LAPIC_BASE)
		return -1; /* the page is claimed on the MMIO bus at the default base: no relocation */
	/* 11.12.5, Figure 11-27: EXTD without EN is invalid; x2APIC -> xAPIC and disabled -> x2APIC are illegal. */
	if (mode == BASE_EXTD)
		return -1;
	if (cur == (BASE_EN | BASE_EXTD) && mode == BASE_EN)
		return -1;
	if (cur == 0 && mode == (BASE_EN | BASE_EXTD))
		return -1;
	if (cur != 0 && mode == 0)
		reset_registers(l); /* disabling resets the APIC (11.4.3) */
	if (mode == (BASE_EN | BASE_EXTD) && cur != mode)
		l->id = l->index;   /* 11.12.5.1: x2APIC mode shows the initial APIC id */
	l->apic_base = (l->apic_base & BASE_BSP) | (value & ~BASE_BSP); /* the BSP flag is the hardware's */
	return 0;
}
