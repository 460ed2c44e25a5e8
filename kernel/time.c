/* Time since boot from the TSC, calibrated once against the PIT. */
/* SPDX-License-Identifier: MIT */

#include "kernel/time.h"
#include "kernel/arch/x86.h"

/* PIT (Intel 8254) channel 2, gated through port 0x61; input clock 1.193182 MHz. */
#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61

static uint64_t tsc_hz = 1000000000; /* until calibrated */
static uint64_t tsc_boot;

/* Counts TSC cycles over `ms` milliseconds of PIT time (mode 0, one shot). */
static uint64_t measure(uint32_t ms)
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint64_t start, end;
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (b & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);              /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	start = rdtsc();
	for (uint64_t spins = 0; !(inb(PORT_B) & 0x20); spins++)
		if (spins > 100000000)
			break; /* no PIT: keep the default rather than hang */
	end = rdtsc();
	outb(PORT_B, b);
	return end - start;
}

void time_init(void)
{
	uint64_t best = ~0ull;

	tsc_boot = rdtsc();
	for (int i = 0; i < 3; i++) {
		uint64_t c = measure(10);
		if (c && c < best)
			best = c;
	}
	if (best != ~0ull && best > 1000)
		tsc_hz = best * 100;
}

uint64_t time_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t time_ns(void)
{
	uint64_t d = rdtsc() - tsc_boot;
	return d / tsc_hz * 1000000000ull + (d % tsc_hz) * 1000000000ull / tsc_hz;
}

void time_delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * (tsc_hz / 1000000);
	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}
