/* hostile, part 4: hypercalls with function numbers and arguments the ABI does not define. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "bulwark/hypercall.h"
#include "hostile.h"

/* The 32-bit result as the guest sees it: an HC_E* error shows as 0xffffffda and the like. */
static uint64_t call(uint32_t fn)
{
	return (uint32_t)hypercall(fn, 0x1234, 0xffffffffu, 0);
}

static uint64_t putchar_out_of_range(uint32_t unused)
{
	(void)unused;
	return (uint32_t)hypercall(HC_PUTCHAR, 0x1234, 0, 0);
}

static const struct attack hypercall_attacks[] = {
	{ "hypercall HC_VERSION (valid, for reference)", call, HC_VERSION },
	{ "hypercall 0xffff (unknown)", call, 0xffff },
	{ "hypercall 0x7fffffff (unknown)", call, 0x7fffffffu },
	{ "hypercall 0xffffffff (unknown)", call, 0xffffffffu },
	{ "hypercall HC_PUTCHAR with byte 0x1234", putchar_out_of_range, 0 },
};

void attack_hypercalls(void)
{
	attempt_list(hypercall_attacks, ARRAY_LEN(hypercall_attacks));
}
