/* The `vm` command group: create, list and drive the lifecycle of VMs, attach to their consoles. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"
#include "kernel/console/vm_view.h"
#include "hypervisor/dev/virtio/vport.h"
#include "hypervisor/config.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/byte_ring.h"
#include "hypervisor/vm.h"
#include "hypervisor/dev/irq.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/dev/uart16550.h"

#define DETACH_KEY 0x1d /* Ctrl-] */

static void vm_console_forget(const struct vm *vm);

static struct vm *find_vm(const char *name)
{
	struct vm *vm = vm_lookup(name);
	if (!vm)
		cmd_error("no VM named '%s'; 'vm list' shows them", name);
	return vm;
}

/* Parses "vm CMD [OPTIONS] NAME": options into `opts`, the VM into *out. CMD_OK or the code to return. */
static int parse_named_vm(int argc, char **argv, struct parse_opt *opts, size_t nopts, struct vm **out)
{
	if (cmd_parse_opts(&argc, argv, opts, nopts, 1))
		return CMD_USAGE;
	if (argc != 2)
		return cmd_usage_error("missing NAME");
	*out = find_vm(argv[1]);
	return *out ? CMD_OK : CMD_ERROR;
}

static void list_json(struct vm **vms, uint32_t n)
{
	struct json j;
	json_init(&j);
	json_array_begin(&j, NULL);
	for (uint32_t i = 0; i < n; i++)
		vm_json_object(&j, vms[i]);
	json_array_end(&j);
	json_end(&j);
}

static int cmd_vm_list(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	struct vm **vms;
	uint32_t n;

	if (cmd_parse_opts(&argc, argv, opts, 1, 0))
		return CMD_USAGE;
	if (!(vms = malloc(sizeof(*vms) * VM_MAX)))
		return cmd_error("out of hypervisor memory");
	n = vm_snapshot(vms, VM_MAX);
	if (opts[0].seen) {
		list_json(vms, n);
		free(vms);
		return CMD_OK;
	}
	console_printf("%-4s %-16s %-8s %5s %8s %10s %10s %6s\n", "ID", "NAME", "STATE", "VCPUS", "MEM", "UPTIME", "EXITS",
		       "STATUS");
	for (uint32_t i = 0; i < n; i++) {
		uint64_t ms = vm_uptime_ms(vms[i]);
		char status[24] = "-";
		if (vms[i]->has_exit_status)
			snprintf(status, sizeof(status), "%llu", (unsigned long long)vms[i]->exit_status);
		console_printf("%-4u %-16s %-8s %5u %6lluM %6llu.%03llu %10llu %6s\n", vms[i]->id, vms[i]->name,
			       vm_state_name(vms[i]->state), vms[i]->vcpu_count,
			       (unsigned long long)(vms[i]->mem_bytes >> 20), (unsigned long long)(ms / 1000),
			       (unsigned long long)(ms % 1000), (unsigned long long)vm_total_exits(vms[i]), status);
	}
	if (!n)
		console_printf("no VMs; create one with 'vm create NAME kernel=IMAGE mem=SIZE'\n");
	free(vms);
	return CMD_OK;
}

static int cmd_vm_create(int argc, char **argv)
{
	struct vm_config cfg;
	char err[256] = "";
	struct vm *vm;

	if (argc < 2)
		return cmd_usage_error("missing NAME");
	if (vm_config_from_words(argv[1], argc - 2, argv + 2, &cfg, err, sizeof(err)))
		return cmd_usage_error("%s", err);
	if (vm_create(&cfg, &vm, err, sizeof(err)))
		return cmd_error("%s", err);
	console_printf("created vm %u '%s' (%llu MiB, %u vCPUs); start it with 'vm start %s'\n", vm->id, vm->name,
		       (unsigned long long)(vm->mem_bytes >> 20), vm->vcpu_count, vm->name);
	return CMD_OK;
}

static int lifecycle(int argc, char **argv, uint32_t op)
{
	char err[160] = "";
	char name[VM_NAME_MAX];
	struct vm *vm;
	int rc = parse_named_vm(argc, argv, NULL, 0, &vm);

	if (rc != CMD_OK)
		return rc;
	snprintf(name, sizeof(name), "%s", vm->name);
	if (op == VM_OP_DESTROY && vm->state != VM_RUNNING && vm->state != VM_PAUSED)
		vm_console_forget(vm);
	if (vm_request(vm, op, err, sizeof(err)))
		return cmd_error("%s", err);
	if (op == VM_OP_DESTROY)
		console_printf("vm '%s' destroyed\n", name);
	else
		console_printf("vm '%s' is %s\n", name, vm_state_name(vm->state));
	return CMD_OK;
}

static int cmd_vm_start(int argc, char **argv) { return lifecycle(argc, argv, VM_OP_START); }
static int cmd_vm_pause(int argc, char **argv) { return lifecycle(argc, argv, VM_OP_PAUSE); }
static int cmd_vm_resume(int argc, char **argv) { return lifecycle(argc, argv, VM_OP_RESUME); }
/* A guest that listens to the ACPI power button gets a press and --timeout seconds; others stop at once. */
static int cmd_vm_stop(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--timeout", .takes_number = true } };
	uint64_t timeout = VM_STOP_TIMEOUT_S;
	char err[160] = "";
	struct vm *vm;
	int rc = parse_named_vm(argc, argv, opts, 1, &vm);

	if (rc != CMD_OK)
		return rc;
	if (opts[0].seen)
		timeout = opts[0].value;
	if (timeout < 1 || timeout > 3600)
		return cmd_usage_error("--timeout takes 1 to 3600 seconds, e.g. --timeout 60");
	rc = vm_stop(vm, (uint32_t)timeout, err, sizeof(err));
	if (rc < 0)
		return cmd_error("%s", err);
	if (rc > 0)
		console_printf("vm '%s': power button pressed; it is killed if still running in %llu s\n", vm->name,
			       (unsigned long long)timeout);
	else
		console_printf("vm '%s' is %s\n", vm->name, vm_state_name(vm->state));
	return CMD_OK;
}
static int cmd_vm_kill(int argc, char **argv) { return lifecycle(argc, argv, VM_OP_KILL); }
static int cmd_vm_restart(int argc, char **argv) { return lifecycle(argc, argv, VM_OP_RESTART); }
static int cmd_vm_destroy(int argc, char **argv) { return lifecycle(argc, argv, VM_OP_DESTROY); }

static void stats_json(const struct vm *vm, const struct vm_totals *t, const struct vplatform_counts *irq)
{
	struct json j;
	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "name", vm->name);
	json_string(&j, "state", vm_state_name(vm->state));
	json_u64(&j, "exits", t->exits);
	json_milli(&j, "guest_s", vm_tsc_to_ms(t->guest_tsc));
	json_milli(&j, "hypervisor_s", vm_tsc_to_ms(t->host_tsc));
	json_object_begin(&j, "exits_by_reason");
	for (uint32_t c = 0; c < EXIT_CODE_COUNT; c++)
		json_u64(&j, exit_code_name(c), t->by_code[c]);
	json_object_end(&j);
	json_object_begin(&j, "interrupts_refused");
	json_u64(&j, "undelivered", irq->undelivered);
	json_u64(&j, "illegal_vectors", irq->illegal_vectors);
	json_u64(&j, "to_disabled_apic", irq->disabled);
	json_u64(&j, "ioapic_bogus_vectors", irq->ioapic_bogus);
	json_object_end(&j);
	json_string(&j, "reason", vm->reason);
	json_object_end(&j);
	json_end(&j);
}

static int cmd_vm_stats(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	struct vm_totals t;
	struct vplatform_counts irq;
	struct vm *vm;
	int rc = parse_named_vm(argc, argv, opts, 1, &vm);

	if (rc != CMD_OK)
		return rc;
	vm_totals_get(vm, &t);
	vplatform_counts(vm, &irq);
	if (opts[0].seen) {
		stats_json(vm, &t, &irq);
		return CMD_OK;
	}
	console_printf("vm %s: %s%s%s\n", vm->name, vm_state_name(vm->state), vm->reason[0] ? ": " : "", vm->reason);
	console_printf("exits %llu; time in guest %llu ms, in the hypervisor %llu ms\n", (unsigned long long)t.exits,
		       (unsigned long long)vm_tsc_to_ms(t.guest_tsc), (unsigned long long)vm_tsc_to_ms(t.host_tsc));
	for (uint32_t c = 0; c < EXIT_CODE_COUNT; c++)
		if (t.by_code[c])
			console_printf("  %-14s %llu\n", exit_code_name(c), (unsigned long long)t.by_code[c]);
	console_printf("interrupts refused: %llu undelivered, %llu illegal vectors, %llu to a disabled APIC, "
		       "%llu bogus IOAPIC vectors\n", (unsigned long long)irq.undelivered,
		       (unsigned long long)irq.illegal_vectors, (unsigned long long)irq.disabled,
		       (unsigned long long)irq.ioapic_bogus);
	return CMD_OK;
}

static int cmd_vm_show(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	struct vm *vm;
	struct json j;
	int rc = parse_named_vm(argc, argv, opts, 1, &vm);

	if (rc != CMD_OK)
		return rc;
	if (opts[0].seen) {
		json_init(&j);
		vm_json_object(&j, vm);
		json_end(&j);
		return CMD_OK;
	}
	console_printf("vm %u '%s': %s%s%s\n", vm->id, vm->name, vm_state_name(vm->state), vm->reason[0] ? ": " : "",
		       vm->reason);
	console_printf("  image %s, %llu MiB, %u vCPUs, up %llu ms, %llu exits\n", vm->image,
		       (unsigned long long)(vm->mem_bytes >> 20), vm->vcpu_count, (unsigned long long)vm_uptime_ms(vm),
		       (unsigned long long)vm_total_exits(vm));
	return CMD_OK;
}

static int cmd_vm_output(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "-n", .takes_number = true } };
	uint8_t buf[256];
	uint64_t pos, want;
	struct vm *vm;
	size_t got;
	int rc = parse_named_vm(argc, argv, opts, 1, &vm);

	if (rc != CMD_OK)
		return rc;
	want = opts[0].seen ? opts[0].value : 1024;
	pos = byte_ring_written(vm->out);
	pos = pos > want ? pos - want : 0;
	while ((got = byte_ring_read(vm->out, &pos, buf, sizeof(buf))) > 0)
		console_write_neutralised(buf, got);
	console_printf("\n");
	return CMD_OK;
}

/*
 * Attach mode: operator bytes go to the guest's UART, or with --hvc to its
 * virtio-console port 0 (hvc0, hypervisor/dev/virtio/vport.h); guest output
 * is pumped by console_poll.
 */
static struct vm *attached;
static uint64_t attached_pos;
/*
 * What an attach shows of the guest's earlier output: enough for the last screenful, not the
 * whole 64 KiB ring, which at 115200 baud would hold the console for almost six seconds
 * (`vm output NAME -n BYTES` shows more).
 */
#define ATTACH_REPLAY 2048u
static bool attached_hvc;

/*
 * What the operator typed that the guest's UART has no room for yet. A terminal delivers a
 * pasted line or a script's command in one burst, far faster than 115200 baud; the 16-byte
 * receive FIFO takes what it can and the rest follows as the guest drains it (each console
 * poll), as a serial line with flow control would. Only beyond this backlog is input dropped.
 */
#define TYPED_BACKLOG 4096
static uint8_t typed[TYPED_BACKLOG];
static size_t typed_head, typed_count;

static void typed_feed(struct vm *vm)
{
	bool took = false;

	while (typed_count && uart_receive(vm->uart, typed[typed_head])) {
		typed_head = (typed_head + 1) % TYPED_BACKLOG;
		typed_count--;
		took = true;
	}
	if (took)
		vm_irq_set(vm, PLAT_IRQ_COM1, uart_irq_pending(vm->uart));
}

static void attach_input(void *ctx, const uint8_t *buf, size_t len)
{
	struct vm *vm = ctx;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == DETACH_KEY) {
			attached = NULL;
			console_printf("\r\n[detached from %s]\r\n", vm->name);
			console_detach();
			return;
		}
		if (attached_hvc) {
			vport_write(vm, VPORT_CONSOLE, &buf[i], 1); /* a full buffer drops the byte */
			continue;
		}
		if (typed_count < TYPED_BACKLOG) {
			typed[(typed_head + typed_count) % TYPED_BACKLOG] = buf[i];
			typed_count++;
		}
	}
	typed_feed(vm);
}

static int cmd_vm_console(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--hvc" } };
	struct vm *vm;
	int rc = parse_named_vm(argc, argv, opts, 1, &vm);

	if (rc != CMD_OK)
		return rc;
	console_printf("[attached to %s%s: Ctrl-] detaches]\r\n", vm->name, opts[0].seen ? " hvc0" : "");
	attached = vm;
	attached_pos = byte_ring_written(vm->out);
	attached_pos = attached_pos > ATTACH_REPLAY ? attached_pos - ATTACH_REPLAY : 0;
	attached_hvc = opts[0].seen;
	typed_head = typed_count = 0;
	console_attach(attach_input, vm);
	return CMD_OK;
}

/* Called from the console CPU's loop: streams the attached guest's output. */
void vm_console_pump(void)
{
	uint8_t buf[256];
	size_t got;

	if (!attached)
		return;
	if (attached_hvc) {
		while ((got = vport_read(attached, VPORT_CONSOLE, buf, sizeof(buf))) > 0)
			console_write((const char *)buf, got);
		return;
	}
	typed_feed(attached);
	while ((got = byte_ring_read(attached->out, &attached_pos, buf, sizeof(buf))) > 0)
		console_write((const char *)buf, got);
}

/* A VM that goes away while attached detaches the console first. */
static void vm_console_forget(const struct vm *vm)
{
	if (attached == vm) {
		attached = NULL;
		console_detach();
	}
}

static int cmd_vm_images(int argc, char **argv)
{
	const struct boot_info *bi = kernel_boot_info();
	(void)argv;
	if (argc != 1)
		return cmd_usage_error("too many words");
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		console_printf("%-24s %8llu bytes\n", bi->modules[i].name, (unsigned long long)bi->modules[i].size);
	if (!bi->module_count)
		console_printf("no images were loaded at boot (ESP folder bulwark/guests/, or GRUB module2 lines)\n");
	return CMD_OK;
}

static const struct console_cmd vm_cmds[] = {
	{ .name = "list", .usage = "vm list [--json]", .help = "every VM with its state", .handler = cmd_vm_list },
	{ .name = "create",
	  .usage = "vm create NAME kernel=FILE [initrd=FILE] [cmdline=\"...\"] [module=FILE]... [debug_exit=yes] "
		   "[mem=SIZE] [vcpus=N] [cpus=LIST]",
	  .help = "create a VM from a boot image (ELF, Multiboot or Linux bzImage)", .handler = cmd_vm_create },
	{ .name = "start", .usage = "vm start NAME", .help = "boot a created or stopped VM", .handler = cmd_vm_start },
	{ .name = "pause", .usage = "vm pause NAME", .help = "stop scheduling a running VM", .handler = cmd_vm_pause },
	{ .name = "resume", .usage = "vm resume NAME", .help = "continue a paused VM", .handler = cmd_vm_resume },
	{ .name = "stop", .usage = "vm stop NAME [--timeout S]",
	  .help = "power button for a guest that listens (killed after S s, default 30); others stop at once", .handler = cmd_vm_stop },
	{ .name = "kill", .usage = "vm kill NAME", .help = "stop a VM at once", .handler = cmd_vm_kill },
	{ .name = "restart", .usage = "vm restart NAME", .help = "boot a VM again from its image", .handler = cmd_vm_restart },
	{ .name = "destroy", .usage = "vm destroy NAME", .help = "free a VM that is not running", .handler = cmd_vm_destroy },
	{ .name = "console", .usage = "vm console NAME [--hvc]",
	  .help = "attach to a VM's serial port, or with --hvc its virtio console hvc0 (Ctrl-] detaches)",
	  .handler = cmd_vm_console },
	{ .name = "output", .usage = "vm output NAME [-n BYTES]", .help = "recent serial output, control bytes shown escaped",
	  .handler = cmd_vm_output },
	{ .name = "show", .usage = "vm show NAME [--json]", .help = "one VM: state, image, memory, vCPUs, uptime",
	  .handler = cmd_vm_show },
	{ .name = "stats", .usage = "vm stats NAME [--json]", .help = "exits by reason, guest and hypervisor time",
	  .handler = cmd_vm_stats },
	{ .name = "images", .usage = "vm images", .help = "guest images loaded at boot", .handler = cmd_vm_images },
};

CONSOLE_COMMAND(vm, .name = "vm", .usage = "vm <command> [ARGS]", .help = "create and control virtual machines",
		.subcmds = vm_cmds, .nsubcmds = CONSOLE_ARRAY_SIZE(vm_cmds));
