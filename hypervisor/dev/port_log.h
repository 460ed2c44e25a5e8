/* How many of a VM's accesses to unassigned ports are logged (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_PORT_LOG_H
#define HYPERVISOR_DEV_PORT_LOG_H

#include <stdint.h>

#define UNASSIGNED_LOG_MAX 16 /* lines per VM boot: enough to see what a guest probes */

enum unassigned_log {
	UNASSIGNED_LOG,       /* log this access */
	UNASSIGNED_LOG_LAST,  /* log it, and say that further ones are not logged */
	UNASSIGNED_QUIET,     /* past the limit */
};

/*
 * Counts one access in `*count`, the VM's own counter (struct vm, zeroed when the VM boots), and
 * says what to log. Safe when several vCPUs of the VM call it at once: each access gets its own
 * number, so exactly UNASSIGNED_LOG_MAX are logged and one of them is the last.
 */
enum unassigned_log unassigned_log_next(uint32_t *count);

#endif
