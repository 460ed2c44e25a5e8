/* MSR and I/O bitmap setters (pure logic): layout from SDM Vol 3C 25.6.4 and 25.6.9. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/vmx/bitmap.h"

/* MSR bitmap quarters: read low, read high, write low, write high, 1 KiB each. */
#define MSR_LOW_END 0x2000u
#define MSR_HIGH_BASE 0xc0000000u
#define MSR_HIGH_END 0xc0002000u

void vmx_msr_bitmap_init(uint8_t *bm)
{
	memset(bm, 0xff, VMX_BITMAP_BYTES);
}

/* Byte offset of `msr`'s bit in the read quarter, or -1 when the MSR has no bit. */
static int msr_read_offset(uint32_t msr, uint32_t *bit)
{
	if (msr < MSR_LOW_END) {
		*bit = msr;
		return 0;
	}
	if (msr >= MSR_HIGH_BASE && msr < MSR_HIGH_END) {
		*bit = msr - MSR_HIGH_BASE;
		return 1024;
	}
	return -1;
}

int vmx_msr_bitmap_pass(uint8_t *bm, uint32_t msr, bool read, bool write)
{
	uint32_t bit;
	int off = msr_read_offset(msr, &bit);

	if (off < 0)
		return -1;
	if (read)
		bm[off + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	if (write)
		bm[2048 + off + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	return 0;
}

bool vmx_msr_bitmap_exits(const uint8_t *bm, uint32_t msr, bool write)
{
	uint32_t bit;
	int off = msr_read_offset(msr, &bit);

	if (off < 0)
		return true; /* SDM Vol 3C 26.1.3: MSRs outside both ranges always exit */
	return bm[(write ? 2048 : 0) + off + bit / 8] & (1u << (bit % 8));
}

void vmx_io_bitmap_init(uint8_t *a, uint8_t *b)
{
	memset(a, 0xff, VMX_BITMAP_BYTES);
	memset(b, 0xff, VMX_BITMAP_BYTES);
}

bool vmx_io_bitmap_exits(const uint8_t *a, const uint8_t *b, uint16_t port)
{
	const uint8_t *bm = port < 0x8000 ? a : b;
	uint16_t bit = port & 0x7fff;

	return bm[bit / 8] & (1u << (bit % 8));
}

/*
 * MSRs a guest reaches without an exit: FS/GS base and SYSENTER_CS/ESP/EIP
 * live in guest-state fields the CPU swaps on entry and exit (SDM Vol 3C
 * 25.4.1, 27.3.2.1, 28.5.1). KERNEL_GS_BASE, STAR, LSTAR, CSTAR and SFMASK are
 * not swapped by the VMCS, so they stay intercepted here; vmx.c passes them
 * through where vmx_local.c switches them between vCPUs.
 */
void vmx_msr_bitmap_build(uint8_t *bm)
{
	static const uint32_t pass[] = { 0xc0000100 /* FS_BASE */, 0xc0000101 /* GS_BASE */,
					 0x174 /* SYSENTER_CS */, 0x175 /* SYSENTER_ESP */, 0x176 /* SYSENTER_EIP */ };

	vmx_msr_bitmap_init(bm);
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++)
		vmx_msr_bitmap_pass(bm, pass[i], true, true);
}
