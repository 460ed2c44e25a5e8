/* Calendar arithmetic: proleptic Gregorian dates to and from days since 1970-01-01, and BCD bytes. */
/* SPDX-License-Identifier: MIT */
#include "kernel/civil_time.h"

/*
 * The Gregorian calendar counted in 400-year eras of 146097 days, with the
 * year starting on March 1 so that the leap day is the last day of a year
 * (the method of H. Hinnant's "chrono-Compatible Low-Level Date Algorithms").
 */
int64_t civil_days_from_date(int32_t year, unsigned month, unsigned day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                        /* [0, 399] */
	int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                /* [0, 146096] */

	return era * 146097 + doe - 719468;
}

void civil_from_unix(int64_t seconds, struct civil_time *out)
{
	int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
	int64_t sod = seconds - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	unsigned month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);

	out->year = (int32_t)(yoe + era * 400 + (month <= 2));
	out->month = (uint8_t)month;
	out->day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1);
	out->hour = (uint8_t)(sod / 3600);
	out->minute = (uint8_t)(sod / 60 % 60);
	out->second = (uint8_t)(sod % 60);
	out->weekday = (uint8_t)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}

int64_t civil_to_unix(const struct civil_time *t)
{
	return civil_days_from_date(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

static unsigned days_in_month(int32_t year, unsigned month)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

bool civil_valid(const struct civil_time *t)
{
	return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= days_in_month(t->year, t->month) &&
	       t->hour < 24 && t->minute < 60 && t->second < 60;
}
