/* Brings up the application processors (INIT-SIPI-SIPI) and keeps the CPU list. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/smp.h"
#include "kernel/smp_internal.h"
#include "kernel/percpu.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "kernel/cpu.h"
#include "kernel/sched.h"
#include "kernel/tsc_check.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/x86.h"
#include "kernel/mm/paging.h"
#include "drivers/lapic.h"

#define AP_START_TIMEOUT_US 3000000 /* emulators are slow to start a CPU */

extern char __trampoline_start[], __trampoline_end[];
extern uint64_t tr_cr3, tr_stack, tr_arg, tr_entry;

static uint32_t cpu_count = 1;
static uint32_t apic_ids[MAX_CPUS];
static uint64_t trampoline_page;
static bool use_x2apic;
static void *xapic_mmio;
static volatile bool lapic_ready;

static const char *const state_names[] = { "absent", "offline", "starting", "online", "failed", "halted" };

const char *cpu_state_name(uint32_t state)
{
	return state <= CPU_HALTED ? state_names[state] : "?";
}

uint32_t smp_cpu_count(void)
{
	return cpu_count;
}

uint32_t smp_online_count(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < cpu_count; i++) {
		struct percpu *p = percpu_get(i);
		n += p && p->state == CPU_ONLINE;
	}
	return n;
}

int smp_cpu_status(uint32_t index, struct cpu_status *out)
{
	struct percpu *p = percpu_get(index);

	if (index >= cpu_count)
		return -1;
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->apic_id = apic_ids[index];
	out->bsp = index == 0;
	out->state = p ? p->state : CPU_OFFLINE;
	if (p) {
		out->timer_ticks = p->timer_ticks;
		out->ipis = p->ipis;
		out->console_irqs = p->console_irqs;
		out->nmis = p->nmis;
		out->gdtr_limit = p->gdtr_limit;
		out->idtr_limit = p->idtr_limit;
		out->cr0 = p->cr0;
		out->stack_bytes = (uint64_t)(p->stack_top - p->stack_base);
		out->stack_used_bytes = percpu_stack_used(p);
	}
	return 0;
}

uint32_t this_cpu_index(void)
{
	return this_cpu()->index;
}

void cpu_halt_for_ns(uint64_t ns)
{
	struct percpu *p = this_cpu();
	uint64_t count = ns * p->timer_count / (1000000000ull / SMP_TIMER_HZ);

	if (count == 0)
		count = 1;
	if (count > UINT32_MAX)
		count = UINT32_MAX;
	/* One-shot for `ns`, then the periodic tick again from now (SDM Vol 3A 11.5.4). */
	lapic_timer_oneshot((uint32_t)count, VEC_TIMER);
	irq_enable_and_halt();
	lapic_timer_periodic(p->timer_count, VEC_TIMER);
}

static void timer_tick(struct trap_frame *tf)
{
	(void)tf;
	this_cpu()->timer_ticks++;
	lapic_eoi();
}

/* CR0 and the descriptor-table limits as this CPU holds them between guest runs (a VT-x exit sets both limits to 0xFFFF, SDM Vol 3C 28.5.2). */
static void note_held_state(struct percpu *p)
{
	p->gdtr_limit = gdtr_limit();
	p->idtr_limit = idtr_limit();
	p->cr0 = read_cr0();
}

static void ipi_ping(struct trap_frame *tf)
{
	(void)tf;
	note_held_state(this_cpu());
	__atomic_add_fetch(&this_cpu()->ipis, 1, __ATOMIC_SEQ_CST);
	lapic_eoi();
}

static void ipi_kick(struct trap_frame *tf)
{
	(void)tf;
	lapic_eoi();
}

#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)

static void cpu_local_init(struct percpu *p)
{
	/*
	 * Every CPU runs with the same CR0 whatever firmware or the AP trampoline left: caching on
	 * (some firmware leaves CD/NW set on a CPU, and VM entry would hand them on to guests, SDM
	 * Vol 3C 28.3.2.1); WP, so read-only pages hold at CPL 0 too (SDM Vol 3A 2.5, 4.6.1); NE,
	 * x87 errors as #MF rather than the legacy FERR# line (SDM Vol 3A 2.5).
	 */
	write_cr0((read_cr0() & ~(CR0_CD | CR0_NW)) | CR0_WP | CR0_NE);
	percpu_setup(p);
	lapic_enable(use_x2apic, xapic_mmio);
	lapic_lint1_nmi();
	p->timer_count = lapic_timer_start(SMP_TIMER_HZ, VEC_TIMER);
}

/* The MADT's enabled CPUs, the bootstrap CPU first. */
static void collect_cpus(const struct acpi_info *acpi, uint32_t bsp_id)
{
	apic_ids[0] = bsp_id;
	for (uint32_t i = 0; acpi && i < acpi->cpu_count && cpu_count < MAX_CPUS; i++) {
		const struct acpi_cpu *c = &acpi->cpus[i];
		if (c->enabled && c->apic_id != bsp_id)
			apic_ids[cpu_count++] = c->apic_id;
	}
}

void smp_init_bsp(const struct acpi_info *acpi, uint64_t trampoline_phys)
{
	uint64_t lapic_phys = acpi && acpi->lapic_address ? acpi->lapic_address : 0xfee00000;
	struct percpu *bsp;

	trampoline_page = trampoline_phys;
	use_x2apic = cpu_info_get()->has_x2apic;
	xapic_mmio = use_x2apic ? NULL : paging_map_mmio(lapic_phys, PAGE_SIZE);
	irq_register(VEC_TIMER, timer_tick);
	irq_register(VEC_IPI_PING, ipi_ping);
	irq_register(VEC_IPI_KICK, ipi_kick);
	bsp = percpu_alloc(0, 0);
	percpu_use_boot_stack(bsp);
	cpu_local_init(bsp);
	bsp->apic_id = lapic_id();
	bsp->state = CPU_ONLINE;
	lapic_ready = true;
	collect_cpus(acpi, bsp->apic_id);
}

static void ap_entry(struct percpu *p) __attribute__((noreturn));
static void ap_entry(struct percpu *p)
{
	cpu_local_init(p);
	tsc_check_ap(p->index);
	p->state = CPU_ONLINE;
	sched_cpu_loop(false);
}

static bool start_one(uint32_t index)
{
	struct percpu *p = percpu_alloc(index, apic_ids[index]);
	uint8_t *page = phys_to_virt(trampoline_page);
	uint64_t deadline;

	memcpy(page, __trampoline_start, __trampoline_end - __trampoline_start);
#define SLOT(sym) (*(uint64_t *)(page + ((char *)&sym - __trampoline_start)))
	SLOT(tr_cr3) = paging_kernel_cr3();
	SLOT(tr_stack) = (uint64_t)p->stack_top;
	SLOT(tr_arg) = (uint64_t)p;
	SLOT(tr_entry) = (uint64_t)ap_entry;
#undef SLOT
	p->state = CPU_STARTING;
	tsc_check_prepare();
	lapic_start_ap(apic_ids[index], (uint8_t)(trampoline_page >> 12));
	tsc_check_bsp();
	deadline = time_ns() + AP_START_TIMEOUT_US * 1000ull;
	while (p->state != CPU_ONLINE && time_ns() < deadline)
		cpu_relax();
	if (p->state != CPU_ONLINE) {
		p->state = CPU_FAILED;
		log_error("cpu %u (APIC id %u) did not start", index, apic_ids[index]);
		return false;
	}
	return true;
}

uint32_t smp_start_aps(void)
{
	uint32_t online = 1;

	if (!trampoline_page && cpu_count > 1) {
		log_error("no free page below 1 MiB for the AP start-up code; running on one CPU");
		return 1;
	}
	paging_identity_low(1);
	for (uint32_t i = 1; i < cpu_count; i++)
		online += start_one(i);
	paging_identity_low(0);
	return online;
}

uint32_t smp_ping_all(uint64_t timeout_us)
{
	uint32_t answered = 0, me = this_cpu_index();

	note_held_state(this_cpu());
	for (uint32_t i = 0; i < cpu_count; i++) {
		struct percpu *p = percpu_get(i);
		uint64_t before, deadline;
		if (i == me || !p || p->state != CPU_ONLINE)
			continue;
		before = p->ipis;
		lapic_send_ipi(p->apic_id, VEC_IPI_PING);
		deadline = time_ns() + timeout_us * 1000;
		while (p->ipis == before && time_ns() < deadline)
			cpu_relax();
		answered += p->ipis != before;
	}
	return answered;
}

uint32_t smp_stop_others(void)
{
	uint32_t halted = 0, me = this_cpu_index();

	if (!lapic_ready || cpu_count < 2)
		return 0;
	lapic_send_nmi_all_but_self();
	for (uint32_t i = 0; i < cpu_count; i++) {
		struct percpu *p = percpu_get(i);
		uint64_t spins = 0;
		if (i == me || !p || p->state == CPU_FAILED || p->state == CPU_OFFLINE)
			continue;
		while (p->state != CPU_HALTED && spins++ < 100000) /* ~100 ms; no timer calls in panic */
			time_delay_us(1);
		halted += p->state == CPU_HALTED;
	}
	return halted;
}
