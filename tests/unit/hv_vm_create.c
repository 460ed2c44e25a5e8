/* Unit tests of vm_create's error paths: a VM refused after its vCPUs were pinned is freed only once released. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/vm.h"
#include "hypervisor/dev/virtio/virtio.h"
#include "hypervisor/config.h"
#include "hypervisor/gmem.h"
#include "hypervisor/virt_ops.h"
#include "hypervisor/vm_load.h"
#include "hypervisor/load/image_kind.h"
#include "hypervisor/dev/testdev.h"
#include "hypervisor/dev/uart16550.h"
#include "hypervisor/dev/vplatform.h"
#include "kernel/byte_ring.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"

/*
 * The scheduler, memory and loader below vm.c are stand-ins that record what
 * vm.c asked of them: which VMs are pinned in a run queue, whether a release
 * was asked for and what it answered, and which VMs were freed.
 */
#define QUEUE_MAX (VM_MAX + 8)

static struct {
	struct vm *queue[QUEUE_MAX]; /* the run queue: VMs whose vCPUs are pinned (kept ones stay here) */
	int pinned;
	int release_calls;
	int release_rc;       /* what sched_release_vcpus answers: 0 released, -1 timed out */
	int load_rc;          /* what vm_load_image answers */
	int freed;            /* VMs whose memory went back (gmem_free) */
	int freed_while_pinned;
	int errors_logged;
	char last_error[200];
} sim;

static int vm_init_ok(struct vm *vm)
{
	(void)vm;
	return 0;
}

static void vm_destroy_nop(struct vm *vm)
{
	(void)vm;
}

static const struct virt_ops sim_ops = { .name = "sim", .vm_init = vm_init_ok, .vm_destroy = vm_destroy_nop };

const struct virt_ops *virt_ops_get(void)
{
	return &sim_ops;
}

int gmem_alloc(struct vm *vm)
{
	(void)vm;
	return 0;
}

int gmem_map_all(struct vm *vm)
{
	(void)vm;
	return 0;
}

static int queue_slot(const struct vm *vm)
{
	for (int i = 0; i < QUEUE_MAX; i++)
		if (sim.queue[i] == vm)
			return i;
	return -1;
}

/* A VM freed while the run queue still points at it is the use-after-free the fix prevents. */
void gmem_free(struct vm *vm)
{
	if (queue_slot(vm) >= 0)
		sim.freed_while_pinned++;
	sim.freed++;
}

int sched_pin_vcpus(struct vm *vm)
{
	int i = queue_slot(NULL);

	assert_true(i >= 0);
	sim.queue[i] = vm;
	sim.pinned++;
	return 0;
}

int sched_release_vcpus(struct vm *vm, uint64_t timeout_ns)
{
	int i = queue_slot(vm);

	(void)timeout_ns;
	sim.release_calls++;
	if (sim.release_rc)
		return sim.release_rc;
	assert_true(i >= 0);
	sim.queue[i] = NULL;
	sim.pinned--;
	return 0;
}

void sched_kick_vm(struct vm *vm)
{
	(void)vm;
}

int sched_wait_idle(struct vm *vm, uint64_t timeout_ns)
{
	(void)vm;
	(void)timeout_ns;
	return 0;
}

void sched_reinit_vcpus(struct vm *vm)
{
	(void)vm;
}

int vm_load_check(const struct vm_config *c, char *err, size_t errlen)
{
	(void)c;
	(void)err;
	(void)errlen;
	return IMAGE_ELF;
}

int vm_load_image(struct vm *vm, char *err, size_t errlen)
{
	(void)vm;
	if (sim.load_rc)
		snprintf(err, errlen, "the image does not fit");
	return sim.load_rc;
}

const char *image_kind_name(enum image_kind kind)
{
	(void)kind;
	return "ELF";
}

int fpu_alloc(struct fpu_area *a)
{
	a->image = NULL;
	return 0;
}

void fpu_free(struct fpu_area *a)
{
	(void)a;
}

void byte_ring_init(struct byte_ring *r, uint8_t *buf, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	(void)size;
}

void uart_init(struct uart16550 *u, struct byte_ring *out)
{
	(void)u;
	(void)out;
}

int mmio_bus_add(struct mmio_bus *bus, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	(void)bus;
	(void)base;
	(void)size;
	(void)ops;
	(void)dev;
	return 0;
}

const struct mmio_ops testdev_ops;

int virtio_vm_create(struct vm *vm, char *err, size_t errlen)
{
	(void)vm, (void)err, (void)errlen;
	return 0;
}

void virtio_vm_free(struct vm *vm)
{
	(void)vm;
}

int vplatform_create(struct vm *vm)
{
	(void)vm;
	return 0;
}

void vplatform_free(struct vm *vm)
{
	(void)vm;
}

bool vplatform_power_button(struct vm *vm)
{
	(void)vm;
	return false;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_ERROR)
		return;
	sim.errors_logged++;
	va_start(ap, fmt);
	vsnprintf(sim.last_error, sizeof(sim.last_error), fmt, ap);
	va_end(ap);
}

uint64_t time_ns(void)
{
	return 0;
}

uint32_t smp_cpu_count(void)
{
	return 1;
}

int smp_cpu_status(uint32_t index, struct cpu_status *out)
{
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->state = CPU_ONLINE;
	return 0;
}

static struct vm_config config(const char *name)
{
	struct vm_config c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.image, sizeof(c.image), "hello.elf");
	c.mem_bytes = 2u << 20;
	c.vcpus = 2;
	return c;
}

/* Counters start again for each test; the queue carries over, as a real run queue would (kept VMs stay in it). */
static int reset(void **state)
{
	(void)state;
	sim.release_calls = sim.release_rc = sim.load_rc = sim.freed = sim.freed_while_pinned = sim.errors_logged = 0;
	sim.last_error[0] = 0;
	return 0;
}

/* A load failure after pinning: the VM is released first, then freed; nothing is left queued. */
static void test_load_failure_releases_then_frees(void **state)
{
	struct vm_config c = config("bad-load");
	struct vm *vm = NULL;
	char err[160] = "";

	(void)state;
	sim.load_rc = -1;
	assert_int_equal(vm_create(&c, &vm, err, sizeof(err)), -1);
	assert_string_equal(err, "the image does not fit");
	assert_null(vm);
	assert_int_equal(sim.release_calls, 1);
	assert_int_equal(sim.freed, 1);
	assert_int_equal(sim.freed_while_pinned, 0);
	assert_int_equal(sim.pinned, 0);
	assert_int_equal(queue_slot(NULL), 0);
	assert_null(vm_lookup("bad-load"));
}

/* A release that times out: the VM is kept (its memory leaked and the leak logged), never freed under a CPU. */
static void test_release_timeout_keeps_the_vm(void **state)
{
	struct vm_config c = config("stuck");
	struct vm *vm = NULL;
	char err[160] = "";

	(void)state;
	sim.load_rc = -1;
	sim.release_rc = -1;
	assert_int_equal(vm_create(&c, &vm, err, sizeof(err)), -1);
	assert_int_equal(sim.release_calls, 1);
	assert_int_equal(sim.freed, 0);
	assert_int_equal(sim.freed_while_pinned, 0);
	assert_int_equal(sim.errors_logged, 1);
	assert_non_null(strstr(sim.last_error, "did not release its vCPUs in time"));
	assert_int_equal(sim.pinned, 1); /* still queued, so still allocated */
	assert_null(vm_lookup("stuck")); /* it never entered the table */
}

/*
 * VM_MAX VMs fill the table; the next one is refused with the limit in the
 * message, after its vCPUs were pinned: it must be released before it is freed.
 */
static void test_table_full(void **state)
{
	static struct vm *made[VM_MAX];
	struct vm_config c;
	struct vm *vm = NULL;
	char err[160] = "", name[32];

	(void)state;
	for (uint32_t i = 0; i < VM_MAX; i++) {
		snprintf(name, sizeof(name), "v%u", i);
		c = config(name);
		assert_int_equal(vm_create(&c, &made[i], err, sizeof(err)), 0);
	}
	assert_int_equal(sim.pinned, 1 + VM_MAX); /* the one kept by the test before, and these */
	c = config("one-too-many");
	assert_int_equal(vm_create(&c, &vm, err, sizeof(err)), -1);
	assert_string_equal(err, "too many VMs (at most 1024); destroy one first");
	assert_null(vm);
	assert_int_equal(sim.release_calls, 1);
	assert_int_equal(sim.freed, 1);
	assert_int_equal(sim.freed_while_pinned, 0);
	assert_int_equal(sim.pinned, 1 + VM_MAX); /* the refused VM left no vCPU behind */
	assert_null(vm_lookup("one-too-many"));

	/* The same refusal with a release that times out keeps the VM rather than freeing it. */
	sim.release_rc = -1;
	c = config("one-too-many");
	assert_int_equal(vm_create(&c, &vm, err, sizeof(err)), -1);
	assert_int_equal(sim.release_calls, 2);
	assert_int_equal(sim.freed, 1);
	assert_int_equal(sim.freed_while_pinned, 0);

	/* Destroying the VMs empties the table again (each released before it is freed). */
	sim.release_rc = 0;
	for (uint32_t i = 0; i < VM_MAX; i++)
		assert_int_equal(vm_request(made[i], VM_OP_DESTROY, err, sizeof(err)), 0);
	assert_int_equal(sim.freed, 1 + VM_MAX);
	assert_int_equal(sim.freed_while_pinned, 0);
	assert_null(vm_lookup("v0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_load_failure_releases_then_frees, reset),
		cmocka_unit_test_setup(test_release_timeout_keeps_the_vm, reset),
		cmocka_unit_test_setup(test_table_full, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
