/* The VM lifecycle state machine: which operation is legal in which state. */
/* SPDX-License-Identifier: MIT */

#include <ctype.h>
#include <string.h>
#include "hypervisor/vm.h"

static const char *const state_names[VM_STATE_COUNT] = {
	[VM_CREATED] = "created", [VM_RUNNING] = "running", [VM_PAUSED] = "paused",
	[VM_STOPPED] = "stopped", [VM_CRASHED] = "crashed",
};

static const char *const op_names[VM_OP_COUNT] = {
	[VM_OP_START] = "start", [VM_OP_PAUSE] = "pause", [VM_OP_RESUME] = "resume",
	[VM_OP_STOP] = "stop", [VM_OP_KILL] = "kill", [VM_OP_RESTART] = "restart",
	[VM_OP_DESTROY] = "destroy", [VM_OP_CRASH] = "crash",
};

#define X (-1)
#define GONE VM_GONE

/* next[op][state]: the state an operation leads to, X where it is refused. */
static const int next[VM_OP_COUNT][VM_STATE_COUNT] = {
	/*                created     running     paused      stopped     crashed */
	[VM_OP_START] = { VM_RUNNING, X, X, VM_RUNNING, VM_RUNNING },
	[VM_OP_PAUSE] = { X, VM_PAUSED, X, X, X },
	[VM_OP_RESUME] = { X, X, VM_RUNNING, X, X },
	[VM_OP_STOP] = { X, VM_STOPPED, VM_STOPPED, X, X },
	[VM_OP_KILL] = { X, VM_STOPPED, VM_STOPPED, X, X },
	[VM_OP_RESTART] = { X, VM_RUNNING, VM_RUNNING, VM_RUNNING, VM_RUNNING },
	[VM_OP_DESTROY] = { GONE, X, X, GONE, GONE },
	[VM_OP_CRASH] = { X, VM_CRASHED, VM_CRASHED, X, X },
};

const char *vm_state_name(uint32_t state)
{
	return state < VM_STATE_COUNT ? state_names[state] : "destroyed";
}

const char *vm_op_name(uint32_t op)
{
	return op < VM_OP_COUNT ? op_names[op] : "?";
}

int vm_transition(uint32_t state, uint32_t op)
{
	if (state >= VM_STATE_COUNT || op >= VM_OP_COUNT)
		return -1;
	return next[op][state];
}

int vm_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= VM_NAME_MAX || !isalnum((unsigned char)name[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return 0;
	return 1;
}
