/* Calendar arithmetic: proleptic Gregorian dates to and from days since 1970-01-01, and BCD bytes. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CIVIL_TIME_H
#define KERNEL_CIVIL_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct civil_time {
	int32_t year;       /* e.g. 2026 */
	uint8_t month;      /* 1-12 */
	uint8_t day;        /* 1-31 */
	uint8_t hour, minute, second;
	uint8_t weekday;    /* 0 = Sunday */
};

/* Days from 1970-01-01 to the given date (negative before). */
int64_t civil_days_from_date(int32_t year, unsigned month, unsigned day);
/* Breaks seconds since the Unix epoch into a date and time of day (UTC). */
void civil_from_unix(int64_t seconds, struct civil_time *out);
/* Seconds since the Unix epoch of `t` (weekday ignored). */
int64_t civil_to_unix(const struct civil_time *t);
/* Whether `t` names a real date and time (day within its month, hour < 24, ...). */
bool civil_valid(const struct civil_time *t);

static inline uint8_t bcd_encode(unsigned v)
{
	return (uint8_t)(((v / 10) % 10) << 4 | (v % 10));
}

static inline unsigned bcd_decode(uint8_t b)
{
	return (b >> 4) * 10u + (b & 0xfu);
}

#endif
