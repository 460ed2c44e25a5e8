/* The machine's CMOS real-time clock, read once at boot: the wall-clock time for guests' RTCs. */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include "drivers/rtc.h"
#include "kernel/arch/x86.h"
#include "kernel/civil_time.h"
#include "kernel/log.h"
#include "kernel/time.h"

/* MC146818A register set at ports 0x70/0x71 (see hypervisor/dev/rtc.c for the bits). */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define NMI_DISABLE 0x80
#define REG_A_UIP 0x80
#define REG_B_BINARY 0x04
#define REG_B_24H 0x02
#define HOUR_PM 0x80
#define CENTURY 0x32
#define READ_TRIES 1000

static int64_t boot_unix_ns;
static uint64_t boot_mono_ns;

static uint8_t cmos_read(uint8_t index)
{
	outb(CMOS_INDEX, NMI_DISABLE | index);
	return inb(CMOS_DATA);
}

struct cmos_time {
	uint8_t sec, min, hour, mday, mon, year, century, b;
};

static void read_raw(struct cmos_time *t)
{
	for (int i = 0; i < READ_TRIES && (cmos_read(0x0a) & REG_A_UIP); i++)
		time_delay_us(10); /* an update takes at most 2 ms */
	t->sec = cmos_read(0x00), t->min = cmos_read(0x02), t->hour = cmos_read(0x04);
	t->mday = cmos_read(0x07), t->mon = cmos_read(0x08), t->year = cmos_read(0x09);
	t->century = cmos_read(CENTURY), t->b = cmos_read(0x0b);
}

static bool same(const struct cmos_time *a, const struct cmos_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->mday == b->mday &&
	       a->mon == b->mon && a->year == b->year;
}

static unsigned field(const struct cmos_time *t, uint8_t v)
{
	return (t->b & REG_B_BINARY) ? v : bcd_decode(v);
}

static bool to_civil(const struct cmos_time *raw, struct civil_time *t)
{
	unsigned hour = field(raw, raw->hour & (uint8_t)~HOUR_PM), century = field(raw, raw->century);

	if (!(raw->b & REG_B_24H))
		hour = hour % 12 + ((raw->hour & HOUR_PM) ? 12 : 0);
	if (century < 19 || century > 99)
		century = 20; /* no century byte (0 or 0xFF): this century */
	*t = (struct civil_time){ .year = (int32_t)(century * 100 + field(raw, raw->year)),
				  .month = (uint8_t)field(raw, raw->mon), .day = (uint8_t)field(raw, raw->mday),
				  .hour = (uint8_t)hour, .minute = (uint8_t)field(raw, raw->min),
				  .second = (uint8_t)field(raw, raw->sec) };
	return civil_valid(t);
}

void rtc_init(void)
{
	struct cmos_time a, b;
	struct civil_time t;

	read_raw(&a);
	for (int i = 0; i < 5; i++) {
		read_raw(&b);
		if (same(&a, &b))
			break;
		a = b;
	}
	boot_mono_ns = time_ns();
	if (!to_civil(&a, &t)) {
		log_warn("rtc: the CMOS clock holds no valid date; guests' clocks start at 1970-01-01");
		return;
	}
	boot_unix_ns = civil_to_unix(&t) * 1000000000ll;
	log_info("rtc: %04d-%02u-%02u %02u:%02u:%02u UTC", (int)t.year, t.month, t.day, t.hour, t.minute, t.second);
}

int64_t rtc_wallclock_ns(void)
{
	return boot_unix_ns + (int64_t)(time_ns() - boot_mono_ns);
}
