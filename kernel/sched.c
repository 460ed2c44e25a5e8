/* Per-CPU run queues of pinned vCPUs, round-robin with a bounded slice, and the run loop. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/sched.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/x86.h"
#include "drivers/lapic.h"
#include "drivers/serial.h"
#include "hypervisor/fpu.h"
#include "hypervisor/guest_context.h"
#include "hypervisor/intr.h"
#include "hypervisor/vm.h"
#include "hypervisor/virt_ops.h"

#define RQ_MAX 1024
#define SLICE_MIN_NS 20000ull /* 20 us: the shortest slice a timer event may cut a guest's run to */
#define IDLE_TICK_NS (1000000000ull / SMP_TIMER_HZ) /* a halted vCPU due sooner than the host tick: a timer of its own */

struct run_queue {
	struct spinlock lock;
	struct vcpu *v[RQ_MAX];
	uint32_t n, next;
	volatile int state; /* 0 not yet, 1 usable, -1 backend refused */
};

static struct run_queue rq[MAX_CPUS];
static volatile bool opened;
static uint32_t console_cpu;  /* the CPU in sched_cpu_loop(true) */
static uint32_t console_wake; /* set by sched_wake_console, taken by the console CPU's loop */

void sched_open(void)
{
	__atomic_store_n(&opened, true, __ATOMIC_RELEASE);
}

bool sched_cpu_usable(uint32_t cpu, const char **why)
{
	if (cpu >= MAX_CPUS || rq[cpu].state != 1) {
		if (why)
			*why = cpu < MAX_CPUS && rq[cpu].state < 0 ? "the backend could not be enabled" : "not running the scheduler";
		return false;
	}
	return true;
}

static uint32_t pick_cpu(uint64_t mask)
{
	uint32_t best = MAX_CPUS;

	for (uint32_t c = 0; c < smp_cpu_count() && c < 64; c++) {
		if ((mask && !(mask & (1ull << c))) || !sched_cpu_usable(c, NULL) || rq[c].n >= RQ_MAX)
			continue;
		if (best == MAX_CPUS || rq[c].n < rq[best].n)
			best = c;
	}
	return best;
}

int sched_pin_vcpus(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *v = &vm->vcpus[i];
		uint32_t c = pick_cpu(vm->cpu_mask);
		uint64_t flags;
		if (c == MAX_CPUS) {
			sched_release_vcpus(vm, 1000000000ull);
			return -1;
		}
		v->cpu = c;
		flags = spin_lock_irqsave(&rq[c].lock);
		rq[c].v[rq[c].n++] = v;
		spin_unlock_irqrestore(&rq[c].lock, flags);
	}
	return 0;
}

/* Under the queue's lock: its owner removes entries by moving the last one into the hole. */
static bool queued(const struct vcpu *v)
{
	struct run_queue *q = &rq[v->cpu];
	uint64_t flags = spin_lock_irqsave(&q->lock);
	bool found = false;

	for (uint32_t i = 0; i < q->n && !found; i++)
		found = q->v[i] == v;
	spin_unlock_irqrestore(&q->lock, flags);
	return found;
}

static void kick_cpu(uint32_t cpu)
{
	struct percpu *p = percpu_get(cpu);
	if (p && cpu != this_cpu_index())
		lapic_send_ipi(p->apic_id, VEC_IPI_KICK);
}

void sched_wake_vcpu(struct vcpu *v)
{
	kick_cpu(v->cpu);
}

void sched_wake_console(void)
{
	if (!__atomic_exchange_n(&console_wake, 1, __ATOMIC_ACQ_REL))
		kick_cpu(console_cpu);
}

/* Taken where the console CPU would go on running a guest or halt; the console then looks at
 * what woke it before its next slice (a wake for bytes it had already read costs one empty
 * turn, never a lost one). */
static bool take_console_wake(void)
{
	return __atomic_load_n(&console_wake, __ATOMIC_ACQUIRE) &&
	       __atomic_exchange_n(&console_wake, 0, __ATOMIC_ACQ_REL);
}

void sched_kick_vm(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		if (vm->vcpus[i].running)
			kick_cpu(vm->vcpus[i].cpu);
}

static int wait_until(struct vm *vm, bool (*done)(const struct vcpu *), uint64_t timeout_ns)
{
	uint64_t deadline = time_ns() + timeout_ns;

	for (;;) {
		bool all = true;
		for (uint32_t i = 0; i < vm->vcpu_count; i++)
			all &= done(&vm->vcpus[i]);
		if (all)
			return 0;
		if (time_ns() > deadline)
			return -1;
		if (this_cpu_index() == 0)
			sched_service_local();
		cpu_relax();
	}
}

static bool not_running(const struct vcpu *v)
{
	return !__atomic_load_n(&v->running, __ATOMIC_ACQUIRE);
}

static bool released(const struct vcpu *v)
{
	return !queued(v);
}

int sched_wait_idle(struct vm *vm, uint64_t timeout_ns)
{
	return wait_until(vm, not_running, timeout_ns);
}

int sched_release_vcpus(struct vm *vm, uint64_t timeout_ns)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		vm->vcpus[i].destroy_req = true;
		kick_cpu(vm->vcpus[i].cpu);
	}
	return wait_until(vm, released, timeout_ns);
}

void sched_reinit_vcpus(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		vm->vcpus[i].reinit_req = true;
}

/* Drops the backend state of vCPUs asked to go; runs on the CPU they are pinned to. */
void sched_service_local(void)
{
	struct run_queue *q = &rq[this_cpu_index()];
	const struct virt_ops *ops = virt_ops_get();
	uint64_t flags = spin_lock_irqsave(&q->lock);

	for (uint32_t i = 0; i < q->n;) {
		struct vcpu *v = q->v[i];
		if (!v->destroy_req) {
			i++;
			continue;
		}
		if (v->initialised && ops)
			ops->vcpu_destroy(v);
		v->initialised = false;
		q->v[i] = q->v[--q->n];
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * The hand-off with the console: the VM's state is tested and `running` set
 * under the VM's lock, and every state change takes the same lock (vm.c
 * transition). So either this CPU claimed the vCPU first, and the console's
 * wait for !running after its change sees the claim, or the change came first
 * and the vCPU is not picked: never a vCPU entered after the console saw it idle.
 */
static bool claim(struct vcpu *v, uint64_t now)
{
	struct vm *vm = v->vm;
	uint64_t flags;
	bool ok;

	if (v->destroy_req || v->wait_sipi || now < v->halted_until_ns)
		return false;
	flags = spin_lock_irqsave(&vm->lock);
	ok = vm->state == VM_RUNNING && !v->destroy_req;
	if (ok)
		__atomic_store_n(&v->running, true, __ATOMIC_SEQ_CST);
	spin_unlock_irqrestore(&vm->lock, flags);
	return ok;
}

static struct vcpu *pick(struct run_queue *q)
{
	uint64_t now = time_ns(), flags = spin_lock_irqsave(&q->lock);
	struct vcpu *found = NULL;

	for (uint32_t k = 0; k < q->n && !found; k++) {
		struct vcpu *v = q->v[(q->next + k) % q->n];
		if (claim(v, now)) {
			found = v;
			q->next = (q->next + k + 1) % q->n;
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return found;
}

/*
 * When the earliest halted vCPU of this queue (other than `except`) is due to
 * wake: its LAPIC timer, its VM's PIT. Only wake-ups after `after` count: a vCPU
 * already runnable (0, or a time passed) takes its turn after this slice, and
 * must not cut the slice to nothing.
 */
static uint64_t next_wake_ns(struct run_queue *q, const struct vcpu *except, uint64_t after)
{
	uint64_t wake = UINT64_MAX, flags = spin_lock_irqsave(&q->lock);

	for (uint32_t i = 0; i < q->n; i++) {
		const struct vcpu *v = q->v[i];
		if (v != except && v->vm->state == VM_RUNNING && !v->destroy_req && !v->wait_sipi &&
		    v->halted_until_ns > after && v->halted_until_ns < wake)
			wake = v->halted_until_ns;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return wake;
}

/*
 * Nothing to run: HLT until an interrupt, or until the earliest halted vCPU is due (a one-shot
 * host timer then, so that its timer interrupt is on time without the CPU spinning: a spinning
 * CPU wastes power and, on an emulator that runs its CPUs in turn, starves the others).
 */
static void idle(struct run_queue *q, bool console)
{
	uint64_t now = time_ns(), wake = next_wake_ns(q, NULL, 0); /* one due since pick() is polled for */

	if (wake != UINT64_MAX && wake < now + SLICE_MIN_NS) {
		cpu_relax();
		return;
	}
	/* Tested with interrupts off, so a wake's IPI landing after the test still ends the HLT
	 * (STI's one-instruction shadow, SDM Vol 2B "STI"). Bytes already waiting raise no new
	 * edge on the UART's line: the console reads them first. */
	irq_disable();
	if (console && (take_console_wake() || serial_rx_ready()))
		irq_enable();
	else if (wake != UINT64_MAX && wake < now + IDLE_TICK_NS)
		cpu_halt_for_ns(wake - now);
	else
		irq_enable_and_halt();
}

static bool prepare(const struct virt_ops *ops, struct vcpu *v)
{
	if (v->initialised && !v->reinit_req)
		return true;
	if (v->initialised)
		ops->vcpu_destroy(v);
	v->initialised = false;
	v->reinit_req = false;
	if (ops->vcpu_init(v))
		return false;
	v->initialised = true;
	return true;
}

static void account(struct vcpu *v, const struct vm_exit *e, uint64_t t0, uint64_t t1, uint64_t t2)
{
	v->exits++;
	v->exits_by_code[e->code < EXIT_CODE_COUNT ? e->code : EXIT_UNHANDLED]++;
	v->guest_tsc += t1 - t0;
	v->host_tsc += t2 - t1;
}

/* The slice ends at the VM's next timer event, so its interrupt is injected on time (not a slice late). */
static uint64_t bound_slice(uint64_t slice_tsc, uint64_t next_event_ns)
{
	uint64_t hz = time_tsc_hz(), t;

	if (next_event_ns < SLICE_MIN_NS)
		next_event_ns = SLICE_MIN_NS; /* an event due now was fired before entry; never spin on exits */
	if (next_event_ns >= 1000000000ull)
		return slice_tsc;
	t = next_event_ns * (hz / 1000000) / 1000;
	return t < slice_tsc ? t : slice_tsc;
}

/* One guest entry and the handling of its exit. */
static enum exit_action run_one(const struct virt_ops *ops, struct vcpu *v, uint64_t slice_tsc)
{
	enum exit_action act;
	struct vm_exit e;
	uint64_t t0, t1, t2;
	int rc;

	irq_disable();
	if (!prepare(ops, v)) {
		irq_enable();
		vm_end(v->vm, VM_OP_CRASH, "vCPU %u cannot be set up on CPU %u (see log)", v->index, v->cpu);
		return EXIT_CRASH_VM;
	}
	memset(&e, 0, sizeof(e));
	slice_tsc = bound_slice(slice_tsc, intr_before_entry(v));
	t0 = rdtsc();
	guest_context_entry_barrier();
	fpu_enter_guest(&v->fpu);
	rc = ops->vcpu_run(v, slice_tsc, &e);
	fpu_leave_guest(&v->fpu);
	intr_after_exit(v); /* before any handler looks at the APIC */
	t1 = rdtsc();
	irq_enable(); /* a host interrupt that ended the slice is taken here */
	if (rc) {
		vm_end(v->vm, VM_OP_CRASH, "vCPU %u cannot run on CPU %u (see log)", v->index, v->cpu);
		return EXIT_CRASH_VM;
	}
	act = exit_dispatch(v, &e);
	t2 = rdtsc();
	account(v, &e, t0, t1, t2);
	if (act == EXIT_CRASH_VM || act == EXIT_STOP_VM)
		sched_kick_vm(v->vm);
	return act;
}

/*
 * A vCPU keeps the CPU across exits it handled until its slice is used up,
 * it yields (HLT, a host interrupt, the preemption timer), its VM changes
 * state, or the operator typed something on the console CPU.
 */
static void run_slice(struct run_queue *q, const struct virt_ops *ops, struct vcpu *v, bool console)
{
	uint64_t slice = time_tsc_hz() / SCHED_SLICE_HZ, start = rdtsc(), used = 0, now = time_ns();
	uint64_t wake = next_wake_ns(q, v, now); /* a vCPU waking then gets the CPU then, not after this slice */

	if (wake != UINT64_MAX)
		slice = bound_slice(slice, wake > now ? wake - now : 0);
	guest_context_enter(v);
	while (run_one(ops, v, slice - used) == EXIT_RESUME) {
		used = rdtsc() - start;
		if (used >= slice || v->vm->state != VM_RUNNING || v->destroy_req || v->reinit_req)
			break;
		if (console && (serial_rx_ready() || take_console_wake()))
			break;
	}
	guest_context_leave(v);
}

/* Waits for sched_open (the backend is chosen by then), then enables it on this CPU. */
static void enable_backend(struct run_queue *q)
{
	const struct virt_ops *ops;

	while (!__atomic_load_n(&opened, __ATOMIC_ACQUIRE))
		irq_enable_and_halt();
	ops = virt_ops_get();
	if (!ops) {
		q->state = -1;
		return;
	}
	irq_disable();
	q->state = fpu_cpu_init() || ops->cpu_enable() ? -1 : 1;
	irq_enable();
	if (q->state < 0)
		log_error("cpu %u: the %s backend could not be enabled; no vCPU runs here", this_cpu_index(), ops->name);
}

/* TSC cycles each CPU spent halted with nothing to run (for /metrics); written only by that CPU. */
static volatile uint64_t idle_tsc[MAX_CPUS];

uint64_t sched_idle_tsc(uint32_t cpu)
{
	return cpu < MAX_CPUS ? idle_tsc[cpu] : 0;
}

/* One turn of a CPU's run loop: requests for this CPU, then a slice of its next vCPU or idle. */
static void step(struct run_queue *q, const struct virt_ops *ops, bool console)
{
	struct vcpu *v;

	sched_service_local();
	v = q->state == 1 ? pick(q) : NULL;
	if (!v) {
		uint64_t t0 = rdtsc();
		idle(q, console);
		idle_tsc[this_cpu_index()] += rdtsc() - t0;
		return;
	}
	run_slice(q, ops, v, console);
	__atomic_store_n(&v->running, false, __ATOMIC_RELEASE); /* every write to v happened before */
}

void sched_cpu_loop(bool console)
{
	struct run_queue *q = &rq[this_cpu_index()];
	const struct virt_ops *ops;

	if (console)
		console_cpu = this_cpu_index();
	else
		enable_backend(q);
	ops = virt_ops_get();
	for (;;) {
		if (console) {
			console_poll();
			vm_service_requests();
		}
		step(q, ops, console);
	}
}

void sched_console_wait_step(void)
{
	vm_service_requests();
	step(&rq[this_cpu_index()], virt_ops_get(), true); /* a key pressed ends the slice: Ctrl-C is seen at once */
}

/* The console CPU enables its backend, then waits for the others to have tried theirs. */
void sched_enable_this_cpu(void)
{
	uint64_t deadline = time_ns() + 5000000000ull;

	enable_backend(&rq[this_cpu_index()]);
	for (uint32_t c = 0; c < smp_cpu_count() && c < MAX_CPUS; c++) {
		struct cpu_status st;
		if (smp_cpu_status(c, &st) || st.state != CPU_ONLINE)
			continue;
		while (!rq[c].state && time_ns() < deadline)
			cpu_relax();
	}
}
