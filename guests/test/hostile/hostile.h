/* Test guest `hostile`: the attack list and the numbered try/result reporting they share. */
/* SPDX-License-Identifier: MIT */
#ifndef GUEST_HOSTILE_H
#define GUEST_HOSTILE_H

#include <stdint.h>
#include "runtime.h"

struct attack {
	const char *what;
	guarded_fn fn; /* returns the value it read (or read back), 0 when there is none */
	uint32_t arg;
};

/* Prints "hostile: try N: WHAT", runs fn(arg), prints "hostile: result N: OUTCOME". */
void attempt(guarded_fn fn, uint32_t arg, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void attempt_list(const struct attack *list, uint32_t count);

void attack_msrs(void);
void attack_virt_instructions(void);
void attack_ports(void);
void attack_apic(void);
void attack_hypercalls(void);
void attack_memory(uint32_t ram_bytes);
void attack_triple_fault(void);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
