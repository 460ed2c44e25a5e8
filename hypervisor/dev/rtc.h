/* The CMOS real-time clock (MC146818A register set) with its NVRAM, at ports 0x70 (index) and 0x71 (data). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_RTC_H
#define HYPERVISOR_DEV_RTC_H

#include <stdbool.h>
#include <stdint.h>

#define RTC_CMOS_BYTES 128

/*
 * Pure logic: the wall-clock time is passed in as nanoseconds since the Unix
 * epoch (the host's RTC plus the time since boot, see drivers/rtc.c). The
 * guest's setting of the clock is kept as an offset from the host's time.
 */
struct vrtc {
	uint8_t index;               /* 0x70 bits 6:0; bit 7 (NMI disable) is kept apart */
	bool nmi_disabled;
	uint8_t cmos[RTC_CMOS_BYTES]; /* status A/B, alarms and NVRAM; time bytes are computed */
	int64_t offset_s;            /* guest time - host time */
};

void vrtc_reset(struct vrtc *r);
/* `port` 0 (index) or 1 (data). */
uint8_t vrtc_read(struct vrtc *r, unsigned port, int64_t unix_ns);
void vrtc_write(struct vrtc *r, unsigned port, uint8_t value, int64_t unix_ns);

#endif
