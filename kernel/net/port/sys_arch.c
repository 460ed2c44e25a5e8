/* lwIP's platform hooks in NO_SYS mode: the clock, diagnostics, assertions, random numbers. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include "lwip/sys.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/random.h"
#include "kernel/time.h"

/* lwIP 2.1 doc/NO_SYS_SampleCode.c: sys_now() in milliseconds is all the timers need. */
u32_t sys_now(void)
{
	return (u32_t)(time_ns() / 1000000);
}

void net_port_diag(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_info("lwip: %s", buf);
}

void net_port_assert(const char *msg, const char *file, int line)
{
	panic("lwIP assertion failed: %s (%s:%d)", msg, file, line);
}

uint32_t net_port_rand(void)
{
	return (uint32_t)random_u64();
}
