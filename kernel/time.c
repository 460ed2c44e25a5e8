/* Time since boot from the TSC, calibrated once against the PIT (paired readings, median of three). */
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

/*
 * The PIT's channel 2 counting down (mode 0 from 0xFFFF, gate on through port 0x61) read
 * together with the TSC. A read is three port accesses; whatever delays one of them (an SMI,
 * or the host of a virtual machine descheduling it) shows as a long TSC interval around it, so
 * each reading is the best of several: the one with the shortest interval, timed at its middle.
 * Two readings ~42 ms apart give the rate; a delay between them costs nothing, since both
 * clocks run on meanwhile.
 */
struct pit_reading {
	uint64_t tsc;
	uint16_t count;
};

static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, 0x80); /* latch channel 2 */
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (uint16_t)(lo | hi << 8);
}

static struct pit_reading pit_read(void)
{
	struct pit_reading best = { 0, 0 };
	uint64_t best_span = ~0ull;

	for (int i = 0; i < 8; i++) {
		uint64_t t0 = rdtsc();
		uint16_t c = pit_count();
		uint64_t t1 = rdtsc();

		if (t1 - t0 < best_span) {
			best_span = t1 - t0;
			best = (struct pit_reading){ t0 + (t1 - t0) / 2, c };
		}
	}
	return best;
}

/* TSC cycles per second from one ~42 ms span of PIT time; 0 if the PIT does not count. */
static uint64_t measure(void)
{
	const uint16_t span = 50000; /* PIT ticks: 41.9 ms, less than one pass of the counter */
	struct pit_reading a, b;
	uint8_t port_b = inb(PORT_B);
	uint64_t spins = 0;

	outb(PORT_B, (port_b & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                   /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	a = pit_read();
	do {
		b = pit_read();
	} while ((uint16_t)(a.count - b.count) < span && b.count <= a.count && ++spins < 200000);
	outb(PORT_B, port_b);
	if (b.count >= a.count || b.tsc <= a.tsc)
		return 0; /* no PIT, or it wrapped: keep the default rather than guess */
	return (b.tsc - a.tsc) * PIT_HZ / (uint64_t)(a.count - b.count);
}

void time_init(void)
{
	uint64_t got[3];
	int n = 0;

	tsc_boot = rdtsc();
	for (int i = 0; i < 3; i++) {
		uint64_t hz = measure();
		if (hz > 1000000)
			got[n++] = hz;
	}
	if (!n)
		return;
	/* The median of three: one span disturbed anyway does not decide. */
	if (n == 3) {
		uint64_t lo = got[0] < got[1] ? got[0] : got[1], hi = got[0] < got[1] ? got[1] : got[0];
		tsc_hz = got[2] < lo ? lo : got[2] > hi ? hi : got[2];
	} else {
		tsc_hz = got[0];
	}
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
