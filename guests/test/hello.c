/* Test guest `hello`: prints a counter on COM1 about every 100 ms, forever, and names every key it receives. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "bulwark/hypercall.h"
#include "runtime.h"
#include "x86.h"

#define NAME "hello"
#define FALLBACK_SPIN 2000000u /* pause iterations when the TSC rate is unknown */
#define COM1_RBR 0x3f8
#define COM1_LSR 0x3fd
#define LSR_DR 0x01 /* data ready, PC16550D data sheet */

/* TSC ticks in 100 ms from HC_TSC_HZ, or 0 when not running on Bulwark. */
static uint32_t ticks_per_100ms(void)
{
	int32_t hz;

	if (!hc_present())
		return 0;
	hz = hypercall(HC_TSC_HZ, 0, 0, 0);
	if (hz < 0 && hz > -4096) /* an HC_E* error */
		return 0;
	return (uint32_t)hz / 10u;
}

/* Reports each byte typed at the guest's console (arrows and control keys included). */
static void echo_keys(void)
{
	while (inb(COM1_LSR) & LSR_DR)
		gprintf(NAME ": key 0x%02x\n", inb(COM1_RBR));
}

static void wait_100ms(uint32_t ticks)
{
	if (ticks == 0) {
		for (uint32_t i = 0; i < FALLBACK_SPIN; i++)
			cpu_pause();
		echo_keys();
		return;
	}
	for (uint64_t end = rdtsc() + ticks; rdtsc() < end;)
		cpu_pause();
	echo_keys();
}

void guest_main(uint32_t ram_bytes)
{
	uint32_t ticks = ticks_per_100ms();

	(void)ram_bytes;
	for (uint32_t n = 0;; n++) {
		gprintf("hello from " NAME ": %u\n", n);
		wait_100ms(ticks);
	}
}
