/* One place computes what a VM's figures are, for `vm list`, `vm show`, `vm stats` and /metrics. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/vm_view.h"

#include <string.h>
#include "kernel/time.h"

void vm_totals_get(const struct vm *vm, struct vm_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		for (uint32_t c = 0; c < EXIT_CODE_COUNT; c++)
			t->by_code[c] += v->exits_by_code[c];
		t->exits += v->exits;
		t->guest_tsc += v->guest_tsc;
		t->host_tsc += v->host_tsc;
	}
}

uint64_t vm_tsc_to_ms(uint64_t tsc)
{
	uint64_t hz = time_tsc_hz();
	return tsc / hz * 1000 + (tsc % hz) * 1000 / hz;
}

uint64_t vm_uptime_ms(const struct vm *vm)
{
	return vm->state == VM_RUNNING || vm->state == VM_PAUSED ? (time_ns() - vm->started_ns) / 1000000 : 0;
}

uint64_t vm_total_exits(const struct vm *vm)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		n += vm->vcpus[i].exits;
	return n;
}

void vm_json_object(struct json *j, const struct vm *vm)
{
	json_object_begin(j, NULL);
	json_u64(j, "id", vm->id);
	json_string(j, "name", vm->name);
	json_string(j, "state", vm_state_name(vm->state));
	json_u64(j, "vcpus", vm->vcpu_count);
	json_u64(j, "mem_bytes", vm->mem_bytes);
	json_milli(j, "uptime_s", vm_uptime_ms(vm));
	json_u64(j, "exits", vm_total_exits(vm));
	json_string(j, "image", vm->image);
	json_string(j, "reason", vm->reason);
	if (vm->has_exit_status)
		json_u64(j, "exit_status", vm->exit_status);
	else
		json_null(j, "exit_status");
	json_object_end(j);
}
