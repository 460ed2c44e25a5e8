/* Fills and queries the I/O and MSR permission maps (pure logic, APM Vol 2 15.10.1 and 15.11). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/svm/permmap.h"

/*
 * MSRs the guest may touch freely: each is part of the VMCB state-save area
 * and switched by VMLOAD/VMSAVE (APM Vol 2 15.5.2 and 15.5.3), so the guest's
 * values never reach the host.
 */
const uint32_t svm_msr_passthrough[] = {
	0xc0000100, /* FS_BASE */
	0xc0000101, /* GS_BASE */
	0xc0000102, /* KERNEL_GS_BASE */
	0xc0000081, /* STAR */
	0xc0000082, /* LSTAR */
	0xc0000083, /* CSTAR */
	0xc0000084, /* SFMASK */
	0x174,      /* SYSENTER_CS */
	0x175,      /* SYSENTER_ESP */
	0x176,      /* SYSENTER_EIP */
};
const unsigned svm_msr_passthrough_count = sizeof(svm_msr_passthrough) / sizeof(svm_msr_passthrough[0]);

void iopm_init(uint8_t *iopm)
{
	memset(iopm, 0xff, IOPM_BYTES);
}

/* One bit per port (APM Vol 2 15.10.1). */
bool iopm_intercepts(const uint8_t *iopm, uint16_t port)
{
	return iopm[port / 8] & (1u << (port % 8));
}

/*
 * Two bits per MSR, read then write (APM Vol 2 15.11 table 15-11):
 * 0000_0000h-0000_1FFFh at byte 000h, C000_0000h-C000_1FFFh at 800h,
 * C001_0000h-C001_1FFFh at 1000h. Other MSRs always exit.
 */
static int msrpm_bit(uint32_t msr, uint32_t *bit)
{
	static const uint32_t base[] = { 0x00000000u, 0xc0000000u, 0xc0010000u };

	for (uint32_t i = 0; i < 3; i++) {
		if (msr - base[i] < 0x2000u) {
			*bit = (i * 0x800u * 8u) + (msr - base[i]) * 2u;
			return 0;
		}
	}
	return -1;
}

int msrpm_set(uint8_t *msrpm, uint32_t msr, bool read_exits, bool write_exits)
{
	uint32_t bit;

	if (msrpm_bit(msr, &bit))
		return -1;
	msrpm[bit / 8] &= (uint8_t)~(3u << (bit % 8));
	msrpm[bit / 8] |= (uint8_t)(((read_exits ? 1u : 0u) | (write_exits ? 2u : 0u)) << (bit % 8));
	return 0;
}

bool msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write)
{
	uint32_t bit;

	if (msrpm_bit(msr, &bit))
		return true;
	bit += write ? 1u : 0u;
	return msrpm[bit / 8] & (1u << (bit % 8));
}

void msrpm_init(uint8_t *msrpm)
{
	memset(msrpm, 0xff, MSRPM_BYTES);
	for (unsigned i = 0; i < svm_msr_passthrough_count; i++)
		msrpm_set(msrpm, svm_msr_passthrough[i], false, false);
}
