/* The machine's CMOS real-time clock, read once at boot: the wall-clock time for guests' RTCs. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include <stdint.h>

/* Reads the CMOS clock (UTC, as PC firmware and Linux keep it); call once after time_init(). */
void rtc_init(void);
/* Nanoseconds since the Unix epoch now: the boot-time reading plus the monotonic time since. */
int64_t rtc_wallclock_ns(void);

#endif
