/* The CMOS real-time clock (MC146818A register set) with its NVRAM, at ports 0x70 (index) and 0x71 (data). */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/rtc.h"
#include "kernel/civil_time.h"

/*
 * Motorola MC146818A data sheet: registers 0-9 time, calendar and alarms,
 * A-D status, 14-127 user RAM; register B bit 2 (DM) picks binary over BCD,
 * bit 1 24-hour mode; in 12-hour mode bit 7 of the hours byte is PM. UIP
 * (register A bit 7) is set for the 244 us before each update (tBUC), the
 * window in which a reader must not trust the time bytes. The periodic,
 * alarm and update-ended interrupts (IRQ 8) are not modelled: register C
 * reads 0 and nothing raises IRQ 8. Register 0x32 holds the century (the
 * FADT's CENTURY field names it, see PLAT_RTC_CENTURY).
 */
#define REG_SEC 0x00
#define REG_MIN 0x02
#define REG_HOUR 0x04
#define REG_WDAY 0x06
#define REG_MDAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d
#define A_UIP 0x80
#define B_SET 0x80          /* updates halted: the time bytes are plain registers until cleared */
#define B_DM_BINARY 0x04
#define B_24H 0x02
#define D_VRT 0x80          /* valid RAM and time */
#define HOUR_PM 0x80
#define UIP_WINDOW_NS 244000 /* tBUC */

void vrtc_reset(struct vrtc *r)
{
	memset(r, 0, sizeof(*r));
	r->cmos[REG_A] = 0x26;  /* 32.768 kHz time base, 1024 Hz periodic rate: what firmware leaves */
	r->cmos[REG_B] = B_24H; /* 24-hour, BCD */
}

static bool binary(const struct vrtc *r)
{
	return r->cmos[REG_B] & B_DM_BINARY;
}

static uint8_t encode(const struct vrtc *r, unsigned v)
{
	return binary(r) ? (uint8_t)v : bcd_encode(v);
}

/* Decodes a data byte; -1 if it is not a valid BCD number in BCD mode. */
static int decode(const struct vrtc *r, uint8_t b)
{
	if (binary(r))
		return b;
	if ((b & 0xf) > 9 || (b >> 4) > 9)
		return -1;
	return (int)bcd_decode(b);
}

static uint8_t encode_hour(const struct vrtc *r, unsigned h)
{
	unsigned h12;

	if (r->cmos[REG_B] & B_24H)
		return encode(r, h);
	h12 = h % 12 ? h % 12 : 12;
	return (uint8_t)(encode(r, h12) | (h >= 12 ? HOUR_PM : 0));
}

static int decode_hour(const struct vrtc *r, uint8_t b)
{
	int h;

	if (r->cmos[REG_B] & B_24H)
		return decode(r, b);
	h = decode(r, b & (uint8_t)~HOUR_PM);
	if (h < 1 || h > 12)
		return -1;
	return (h % 12) + ((b & HOUR_PM) ? 12 : 0);
}

static void now(const struct vrtc *r, int64_t unix_ns, struct civil_time *t)
{
	int64_t s = unix_ns >= 0 ? unix_ns / 1000000000 : -((-unix_ns + 999999999) / 1000000000);
	civil_from_unix(s + r->offset_s, t);
}

static bool in_update(int64_t unix_ns)
{
	int64_t frac = unix_ns % 1000000000;

	if (frac < 0)
		frac += 1000000000;
	return frac >= 1000000000 - UIP_WINDOW_NS;
}

static bool time_reg(uint8_t idx)
{
	return idx == REG_SEC || idx == REG_MIN || idx == REG_HOUR || idx == REG_WDAY || idx == REG_MDAY ||
	       idx == REG_MONTH || idx == REG_YEAR || idx == PLAT_RTC_CENTURY;
}

static uint8_t read_reg(const struct vrtc *r, uint8_t idx, int64_t unix_ns)
{
	struct civil_time t;

	if ((r->cmos[REG_B] & B_SET) && time_reg(idx))
		return r->cmos[idx];
	now(r, unix_ns, &t);
	switch (idx) {
	case REG_SEC: return encode(r, t.second);
	case REG_MIN: return encode(r, t.minute);
	case REG_HOUR: return encode_hour(r, t.hour);
	case REG_WDAY: return encode(r, t.weekday + 1u); /* 1 = Sunday */
	case REG_MDAY: return encode(r, t.day);
	case REG_MONTH: return encode(r, t.month);
	case REG_YEAR: return encode(r, (unsigned)(t.year % 100));
	case PLAT_RTC_CENTURY: return encode(r, (unsigned)(t.year / 100));
	case REG_A: return (uint8_t)((r->cmos[REG_A] & 0x7f) | (in_update(unix_ns) ? A_UIP : 0));
	case REG_C: return 0;
	case REG_D: return D_VRT;
	default: return r->cmos[idx];
	}
}

/* A write of one time field: the new date must be real, else nothing changes. */
static void write_time(struct vrtc *r, uint8_t idx, uint8_t value, int64_t unix_ns)
{
	struct civil_time t;
	int v = idx == REG_HOUR ? decode_hour(r, value) : decode(r, value);
	int64_t host_s = unix_ns / 1000000000;

	if (v < 0)
		return;
	now(r, unix_ns, &t);
	switch (idx) {
	case REG_SEC: t.second = (uint8_t)v; break;
	case REG_MIN: t.minute = (uint8_t)v; break;
	case REG_HOUR: t.hour = (uint8_t)v; break;
	case REG_MDAY: t.day = (uint8_t)v; break;
	case REG_MONTH: t.month = (uint8_t)v; break;
	case REG_YEAR: t.year = t.year / 100 * 100 + v % 100; break;
	case PLAT_RTC_CENTURY: t.year = v * 100 + t.year % 100; break;
	default: return; /* the day of the week follows from the date */
	}
	if (v > 99 || !civil_valid(&t))
		return;
	r->offset_s = civil_to_unix(&t) - host_s;
}

/* SET raised: the time bytes freeze at the current time and take the guest's writes. */
static void freeze_time(struct vrtc *r, int64_t unix_ns)
{
	static const uint8_t regs[] = { REG_SEC, REG_MIN, REG_HOUR, REG_WDAY, REG_MDAY, REG_MONTH, REG_YEAR,
					PLAT_RTC_CENTURY };

	for (unsigned i = 0; i < sizeof(regs); i++)
		r->cmos[regs[i]] = read_reg(r, regs[i], unix_ns);
}

/* SET cleared: the clock runs from the date written, if it is a real one. */
static void thaw_time(struct vrtc *r, int64_t unix_ns)
{
	int sec = decode(r, r->cmos[REG_SEC]), min = decode(r, r->cmos[REG_MIN]);
	int hour = decode_hour(r, r->cmos[REG_HOUR]), mday = decode(r, r->cmos[REG_MDAY]);
	int mon = decode(r, r->cmos[REG_MONTH]), year = decode(r, r->cmos[REG_YEAR]);
	int cent = decode(r, r->cmos[PLAT_RTC_CENTURY]);
	struct civil_time t;

	if (sec < 0 || min < 0 || hour < 0 || mday < 0 || mon < 0 || year < 0 || year > 99 || cent < 0 || cent > 99)
		return;
	t = (struct civil_time){ .year = cent * 100 + year, .month = (uint8_t)mon, .day = (uint8_t)mday,
				 .hour = (uint8_t)hour, .minute = (uint8_t)min, .second = (uint8_t)sec };
	if (civil_valid(&t))
		r->offset_s = civil_to_unix(&t) - unix_ns / 1000000000;
}

static void write_b(struct vrtc *r, uint8_t value, int64_t unix_ns)
{
	uint8_t old = r->cmos[REG_B];

	if (!(old & B_SET) && (value & B_SET))
		freeze_time(r, unix_ns);
	r->cmos[REG_B] = value;
	if ((old & B_SET) && !(value & B_SET)) {
		r->cmos[REG_B] = old; /* decode the bytes in the format they were written in */
		thaw_time(r, unix_ns);
		r->cmos[REG_B] = value;
	}
}

static void write_reg(struct vrtc *r, uint8_t idx, uint8_t value, int64_t unix_ns)
{
	if ((r->cmos[REG_B] & B_SET) && time_reg(idx)) {
		r->cmos[idx] = value;
		return;
	}
	switch (idx) {
	case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY: case REG_MDAY: case REG_MONTH: case REG_YEAR:
	case PLAT_RTC_CENTURY:
		write_time(r, idx, value, unix_ns);
		break;
	case REG_A: r->cmos[REG_A] = value & 0x7f; break; /* UIP is read-only */
	case REG_B: write_b(r, value, unix_ns); break;
	case REG_C: case REG_D: break;                    /* read-only */
	default: r->cmos[idx] = value; break;             /* alarms, NVRAM */
	}
}

uint8_t vrtc_read(struct vrtc *r, unsigned port, int64_t unix_ns)
{
	if (port == 0)
		return 0xff; /* the index register is write-only on the PC */
	if (port != 1)
		return 0xff;
	return read_reg(r, r->index, unix_ns);
}

void vrtc_write(struct vrtc *r, unsigned port, uint8_t value, int64_t unix_ns)
{
	if (port == 0) {
		r->index = value & 0x7f;
		r->nmi_disabled = value & 0x80;
	} else if (port == 1) {
		write_reg(r, r->index, value, unix_ns);
	}
}
