/* The panic path: report, stop every CPU, halt. For broken invariants and failing hardware only. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>

struct trap_frame;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* An unexpected exception: prints it, every register and a backtrace. */
void panic_exception(struct trap_frame *tf) __attribute__((noreturn));
bool panic_in_progress(void);
void panic_stop_this_cpu(void) __attribute__((noreturn));

/* A broken internal invariant (never for bad guest or user input). */
#define ASSERT(cond) \
	do { \
		if (!(cond)) \
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
