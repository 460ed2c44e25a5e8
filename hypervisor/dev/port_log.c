/* How many of a VM's accesses to unassigned ports are logged (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <stdbool.h>
#include "hypervisor/dev/port_log.h"

enum unassigned_log unassigned_log_next(uint32_t *count)
{
	uint32_t n = __atomic_load_n(count, __ATOMIC_RELAXED);

	/* Stop counting at the limit, so that a guest's billionth access does not wrap the counter. */
	do {
		if (n >= UNASSIGNED_LOG_MAX)
			return UNASSIGNED_QUIET;
	} while (!__atomic_compare_exchange_n(count, &n, n + 1, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return n + 1 == UNASSIGNED_LOG_MAX ? UNASSIGNED_LOG_LAST : UNASSIGNED_LOG;
}
