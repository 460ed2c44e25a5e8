/* Figures about one VM as the console and the API show them: totals over its vCPUs, uptime, its JSON form. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_VM_VIEW_H
#define KERNEL_CONSOLE_VM_VIEW_H

#include <stdint.h>
#include "hypervisor/vm.h"
#include "kernel/console/json.h"

struct vm_totals {
	uint64_t by_code[EXIT_CODE_COUNT];
	uint64_t exits, guest_tsc, host_tsc;
};

/* Sums the exit counters and time of every vCPU of `vm`. */
void vm_totals_get(const struct vm *vm, struct vm_totals *t);
/* TSC cycles in milliseconds. */
uint64_t vm_tsc_to_ms(uint64_t tsc);
/* Time since the VM started, 0 unless running or paused. */
uint64_t vm_uptime_ms(const struct vm *vm);
uint64_t vm_total_exits(const struct vm *vm);
/* The VM as one JSON object: what `vm list --json` lists and `vm show --json` prints. */
void vm_json_object(struct json *j, const struct vm *vm);

#endif
