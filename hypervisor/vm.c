/* VM objects: creation from a configuration, lifecycle operations, lookup and teardown. */
/* SPDX-License-Identifier: MIT */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hypervisor/vm.h"
#include "hypervisor/gmem.h"
#include "hypervisor/guest_context.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm_load.h"
#include "hypervisor/load/image_kind.h"
#include "kernel/arch/x86.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/testdev.h"
#include "hypervisor/dev/uart16550.h"
#include "hypervisor/dev/virtio/virtio.h"
#include "hypervisor/dev/vplatform.h"
#include "kernel/byte_ring.h"
#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/mm/paging.h"
#include "hypervisor/errf.h"

#define OUTPUT_RING_BYTES (64 * 1024)
#define SETTLE_TIMEOUT_NS 3000000000ull /* emulators are slow to leave a guest */

static struct vm *vms[VM_MAX];
static uint32_t next_id = 1;
static struct spinlock table_lock = SPINLOCK_INIT;

struct vm *vm_lookup(const char *name_or_id)
{
	char *end;
	unsigned long id = strtoul(name_or_id, &end, 10);
	struct vm *found = NULL;
	uint64_t flags = spin_lock_irqsave(&table_lock);

	for (uint32_t i = 0; i < VM_MAX && !found; i++)
		if (vms[i] && (!strcmp(vms[i]->name, name_or_id) || (!*end && end != name_or_id && vms[i]->id == id)))
			found = vms[i];
	spin_unlock_irqrestore(&table_lock, flags);
	return found;
}

uint32_t vm_snapshot(struct vm **out, uint32_t max)
{
	uint32_t n = 0;
	uint64_t flags = spin_lock_irqsave(&table_lock);

	for (uint32_t i = 0; i < VM_MAX && n < max; i++)
		if (vms[i])
			out[n++] = vms[i];
	spin_unlock_irqrestore(&table_lock, flags);
	return n;
}

static int check_config(const struct vm_config *c, uint32_t *kind, char *err, size_t errlen)
{
	uint64_t online = 0;
	int k;

	if (!vm_name_valid(c->name))
		return errf(err, errlen, "bad VM name '%s': use 1-31 letters, digits, '.', '_' or '-'", c->name);
	if (vm_lookup(c->name))
		return errf(err, errlen, "a VM named '%s' exists already; pick another name or destroy it", c->name);
	if ((k = vm_load_check(c, err, errlen)) < 0)
		return -1;
	*kind = (uint32_t)k;
	if (c->mem_bytes < VM_MEM_MIN || c->mem_bytes > VM_MEM_MAX || (c->mem_bytes & (PAGE_SIZE - 1)))
		return errf(err, errlen, "mem must be a multiple of 4K between 1M and 64G, e.g. mem=64M");
	if (k != IMAGE_ELF && c->mem_bytes > PLAT_RAM_MAX_BELOW_4G)
		return errf(err, errlen, "a %s guest has at most %llu MiB of RAM (below the device hole at 3 GiB)",
			    image_kind_name((enum image_kind)k), (unsigned long long)(PLAT_RAM_MAX_BELOW_4G >> 20));
	if (c->vcpus < 1 || c->vcpus > VM_MAX_VCPUS)
		return errf(err, errlen, "vcpus must be between 1 and %d", VM_MAX_VCPUS);
	for (uint32_t i = 0; i < smp_cpu_count() && i < 64; i++) {
		struct cpu_status st;
		if (!smp_cpu_status(i, &st) && st.state == CPU_ONLINE)
			online |= 1ull << i;
	}
	if (c->cpu_mask && (c->cpu_mask & ~online))
		return errf(err, errlen, "cpus= names a CPU that is not online; 'cpus' lists them");
	return 0;
}

static int attach_devices(struct vm *vm)
{
	uint8_t *buf = malloc(OUTPUT_RING_BYTES);

	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		if (fpu_alloc(&vm->vcpus[i].fpu)) {
			free(buf);
			return -1;
		}
	vm->out = malloc(sizeof(*vm->out));
	vm->uart = malloc(sizeof(*vm->uart));
	if (!buf || !vm->out || !vm->uart) {
		free(buf);
		return -1;
	}
	byte_ring_init(vm->out, buf, OUTPUT_RING_BYTES);
	uart_init(vm->uart, vm->out);
	return vplatform_create(vm);
}

/* The MMIO test device, for the emulator's system test (guests/test/mmio.c). */
static int attach_testdev(struct vm *vm)
{
	vm->testdev = calloc(1, sizeof(*vm->testdev));
	if (!vm->testdev)
		return -1;
	return mmio_bus_add(&vm->mmio, PLAT_TESTDEV_BASE, PLAT_TESTDEV_SIZE, &testdev_ops, vm->testdev);
}

static void free_vm(struct vm *vm)
{
	const struct virt_ops *ops = virt_ops_get();

	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		fpu_free(&vm->vcpus[i].fpu);
	if (vm->arch)
		ops->vm_destroy(vm);
	gmem_free(vm);
	if (vm->out)
		free(vm->out->buf);
	free(vm->out);
	free(vm->uart);
	free(vm->testdev);
	virtio_vm_free(vm);
	vplatform_free(vm);
	free(vm);
}

/*
 * A VM that never made it into the table: its vCPUs may sit in run queues,
 * so it is freed only once every CPU has let go of them. If one does not in
 * time, the VM is kept (leaked, logged) rather than freed under that CPU.
 */
static void discard(struct vm *vm)
{
	if (sched_release_vcpus(vm, SETTLE_TIMEOUT_NS)) {
		log_error("vm %s: a CPU did not release its vCPUs in time; its memory is kept, not freed under it", vm->name);
		return;
	}
	free_vm(vm);
}

static void set_state(struct vm *vm, uint32_t state)
{
	uint64_t flags = spin_lock_irqsave(&vm->lock);
	vm->state = state;
	spin_unlock_irqrestore(&vm->lock, flags);
}

static int insert(struct vm *vm)
{
	uint64_t flags = spin_lock_irqsave(&table_lock);
	int rc = -1;

	for (uint32_t i = 0; i < VM_MAX; i++)
		if (!vms[i]) {
			vm->id = next_id++;
			vms[i] = vm;
			rc = 0;
			break;
		}
	spin_unlock_irqrestore(&table_lock, flags);
	return rc;
}

static void set_from_config(struct vm *vm, const struct vm_config *c, uint32_t kind)
{
	snprintf(vm->name, sizeof(vm->name), "%s", c->name);
	snprintf(vm->image, sizeof(vm->image), "%s", c->image);
	vm->kind = kind;
	vm->boot = c->boot;
	vm->mem_bytes = c->mem_bytes;
	vm->vcpu_count = c->vcpus;
	vm->cpu_mask = c->cpu_mask;
	vm->state = VM_CREATED;
	for (uint32_t i = 0; i < c->vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = i;
	}
}

int vm_create(const struct vm_config *c, struct vm **out, char *err, size_t errlen)
{
	const struct virt_ops *ops = virt_ops_get();
	struct vm *vm;
	uint32_t kind = IMAGE_UNKNOWN;

	if (!ops)
		return errf(err, errlen, "no VM can run on this machine: see 'info'");
	if (check_config(c, &kind, err, errlen))
		return -1;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return errf(err, errlen, "out of hypervisor memory");
	set_from_config(vm, c, kind);
	if (attach_devices(vm) || (c->mmio_test && attach_testdev(vm)) || gmem_alloc(vm)) {
		free_vm(vm);
		return errf(err, errlen, "not enough free memory for %llu MiB; 'mem' shows what is free",
			    (unsigned long long)(c->mem_bytes >> 20));
	}
	if (virtio_vm_create(vm, err, errlen)) {
		free_vm(vm);
		return -1;
	}
	int rc;
	if (ops->vm_init(vm) || gmem_map_all(vm))
		rc = errf(err, errlen, "cannot set up the VM's memory mappings (out of memory for page tables?)");
	else if (sched_pin_vcpus(vm))
		rc = errf(err, errlen, "no CPU allowed by cpus= can run a vCPU ('cpus' lists them)");
	else
		rc = vm_load_image(vm, err, errlen);
	if (rc) {
		discard(vm);
		return -1;
	}
	if (insert(vm)) {
		discard(vm);
		return errf(err, errlen, "too many VMs (at most %d); destroy one first", VM_MAX);
	}
	log_info("vm %s: created (id %u, %llu MiB, %u vCPUs, %s image %s)", vm->name, vm->id,
		 (unsigned long long)(vm->mem_bytes >> 20), vm->vcpu_count, image_kind_name((enum image_kind)vm->kind),
		 vm->image);
	*out = vm;
	return 0;
}

static void remove_from_table(struct vm *vm)
{
	uint64_t flags = spin_lock_irqsave(&table_lock);
	for (uint32_t i = 0; i < VM_MAX; i++)
		if (vms[i] == vm)
			vms[i] = NULL;
	spin_unlock_irqrestore(&table_lock, flags);
}

/* Moves to `to` under the VM lock if `op` is legal from the current state; returns the old state or -1. */
static int transition(struct vm *vm, uint32_t op, int *to)
{
	uint64_t flags = spin_lock_irqsave(&vm->lock);
	int from = (int)vm->state;

	*to = vm_transition(vm->state, op);
	if (*to < 0)
		from = -1;
	else if (op == VM_OP_START || op == VM_OP_RESTART)
		vm->state = VM_STOPPED; /* not runnable until the image is loaded again */
	else if (*to != VM_GONE)
		vm->state = (uint32_t)*to;
	spin_unlock_irqrestore(&vm->lock, flags);
	return from;
}

static int do_destroy(struct vm *vm, char *err, size_t errlen)
{
	if (sched_release_vcpus(vm, SETTLE_TIMEOUT_NS))
		return errf(err, errlen, "vm '%s': its CPUs did not release it; try again", vm->name);
	remove_from_table(vm);
	log_info("vm %s: destroyed", vm->name);
	free_vm(vm);
	return 0;
}

static int do_boot(struct vm *vm, char *err, size_t errlen)
{
	if (sched_wait_idle(vm, SETTLE_TIMEOUT_NS) || vm_load_image(vm, err, errlen)) {
		if (!err[0])
			errf(err, errlen, "vm '%s' did not leave its CPUs", vm->name);
		set_state(vm, VM_STOPPED);
		return -1;
	}
	vm->reason[0] = 0;
	vm->has_exit_status = false;
	vm->exit_status = 0;
	vm->started_ns = time_ns();
	vm->pv_tsc0 = rdtsc();
	vm->pv_wall_clock = 0;
	vm->unassigned_logged = 0;
	sched_reinit_vcpus(vm);
	set_state(vm, VM_RUNNING); /* the lock orders the fresh registers before any CPU's claim (sched.c) */
	return 0;
}

static uint32_t stops_waiting; /* VMs with a stop deadline; the console CPU alone touches it */

int vm_request(struct vm *vm, uint32_t op, char *err, size_t errlen)
{
	int to, from;

	vm->reboot_req = false; /* what the operator asks for wins over a pending guest reset */
	vm->quick_resets = 0;
	if (vm->stop_deadline_ns) {
		vm->stop_deadline_ns = 0; /* any operation ends the wait for a power-off */
		stops_waiting--;
	}
	from = transition(vm, op, &to);

	if (from < 0)
		return errf(err, errlen, "vm '%s' is %s; cannot %s it (%s)", vm->name, vm_state_name(vm->state),
			    vm_op_name(op), vm->state == VM_RUNNING ? "stop or kill it first" : "see 'vm help'");
	if (op == VM_OP_DESTROY)
		return do_destroy(vm, err, errlen);
	if (op != VM_OP_RESUME && op != VM_OP_START)
		sched_kick_vm(vm);
	if (op == VM_OP_STOP || op == VM_OP_KILL)
		snprintf(vm->reason, sizeof(vm->reason), "%s from the console", op == VM_OP_STOP ? "stopped" : "killed");
	if ((op == VM_OP_START || op == VM_OP_RESTART) && do_boot(vm, err, errlen))
		return -1;
	if (op == VM_OP_STOP && sched_wait_idle(vm, SETTLE_TIMEOUT_NS))
		return errf(err, errlen, "vm '%s' was asked to stop but a CPU still runs it", vm->name);
	log_info("vm %s: %s -> %s", vm->name, vm_state_name((uint32_t)from), vm_state_name(vm->state));
	return 0;
}

void vm_end(struct vm *vm, uint32_t op, const char *fmt, ...)
{
	int to;
	va_list ap;

	if (transition(vm, op, &to) < 0)
		return; /* already ended by another vCPU or the console */
	va_start(ap, fmt);
	vsnprintf(vm->reason, sizeof(vm->reason), fmt, ap);
	va_end(ap);
	sched_kick_vm(vm);
	log_printf(op == VM_OP_CRASH ? LOG_ERROR : LOG_INFO, "vm %s: %s: %s", vm->name, vm_state_name(vm->state),
		   vm->reason);
}

static volatile bool reboots_pending;

void vm_guest_reset(struct vm *vm, const char *how)
{
	int to;

	if (time_ns() - vm->started_ns >= VM_RESET_LOOP_NS)
		vm->quick_resets = 0;
	else if (++vm->quick_resets >= VM_RESET_LOOP_MAX) {
		vm_end(vm, VM_OP_CRASH, "the guest reset itself %u times in a row, each within a second of booting",
		       vm->quick_resets);
		return;
	}
	if (transition(vm, VM_OP_STOP, &to) < 0)
		return; /* already ending */
	snprintf(vm->reason, sizeof(vm->reason), "guest reset (%s)", how);
	vm->reboot_req = true;
	__atomic_store_n(&reboots_pending, true, __ATOMIC_RELEASE);
	sched_kick_vm(vm);
	log_info("vm %s: %s; booting it again", vm->name, vm->reason);
}

int vm_stop(struct vm *vm, uint32_t timeout_s, char *err, size_t errlen)
{
	if (vm->state != VM_RUNNING || !vplatform_power_button(vm))
		return vm_request(vm, VM_OP_STOP, err, errlen);
	if (!vm->stop_deadline_ns)
		stops_waiting++;
	vm->stop_deadline_ns = time_ns() + (uint64_t)timeout_s * 1000000000ull;
	vm->stop_timeout_s = timeout_s;
	log_info("vm %s: power button pressed; killed if still running in %u s", vm->name, timeout_s);
	return 1;
}

static void reboot_after_reset(struct vm *vm)
{
	uint32_t quick = vm->quick_resets;
	char err[160] = "";

	if (vm_request(vm, VM_OP_RESTART, err, sizeof(err)))
		log_error("vm %s: reboot after a guest reset failed: %s", vm->name, err);
	vm->quick_resets = quick; /* the operator did not ask: the loop count goes on */
}

static void check_stop_deadline(struct vm *vm, uint64_t now)
{
	uint32_t secs = vm->stop_timeout_s;
	char err[160] = "";

	if (!vm->stop_deadline_ns)
		return;
	if (vm->state != VM_RUNNING && vm->state != VM_PAUSED) {
		vm->stop_deadline_ns = 0; /* it powered off (or crashed) in time */
		stops_waiting--;
		return;
	}
	if (now < vm->stop_deadline_ns)
		return;
	if (vm_request(vm, VM_OP_KILL, err, sizeof(err))) {
		log_error("vm %s: cannot kill it after the power button: %s", vm->name, err);
		return;
	}
	snprintf(vm->reason, sizeof(vm->reason), "killed: still running %u s after the power button", secs);
	log_warn("vm %s: %s", vm->name, vm->reason);
}

void vm_service_requests(void)
{
	static struct vm *list[VM_MAX];
	bool reboots = __atomic_exchange_n(&reboots_pending, false, __ATOMIC_ACQ_REL);
	uint64_t now = time_ns();
	uint32_t n;

	if (!reboots && !stops_waiting)
		return;
	n = vm_snapshot(list, VM_MAX);
	for (uint32_t i = 0; i < n; i++) {
		struct vm *vm = list[i];
		if (reboots && vm->reboot_req && vm->state == VM_STOPPED)
			reboot_after_reset(vm);
		check_stop_deadline(vm, now);
	}
}
