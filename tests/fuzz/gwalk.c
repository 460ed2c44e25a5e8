/* Fuzz harness of the guest page walk: any bytes as guest RAM and as the control registers and address. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/emul/gwalk.h"
#include "tests/fuzz/fuzz.h"

/*
 * Input: 8 bytes each of CR0, CR3, CR4, EFER and the linear address, then
 * guest RAM (at most 64 KiB). The walk may read only what map() hands out,
 * which is RAM and nothing else; a fetch never returns more than asked.
 */
#define HDR 40
#define RAM_MAX 0x10000u

static const uint8_t *ram;
static size_t ram_len;

static const void *map(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(len >= 1 && len <= 0x1000);
	if (gpa >= ram_len || len > ram_len - gpa)
		return NULL;
	return ram + gpa;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct gwalk_ram g = { map, NULL };
	struct vcpu_regs r = { 0 };
	struct gwalk_fault f;
	uint64_t la, gpa;
	uint8_t buf[15];
	size_t n;

	if (size < HDR)
		return 0;
	memcpy(&r.cr0, data, 8);
	memcpy(&r.cr3, data + 8, 8);
	memcpy(&r.cr4, data + 16, 8);
	memcpy(&r.efer, data + 24, 8);
	memcpy(&la, data + 32, 8);
	ram = data + HDR;
	ram_len = size - HDR > RAM_MAX ? RAM_MAX : size - HDR;
	if (gwalk_translate(&g, &r, la, &gpa, &f) != 0)
		FUZZ_CHECK(f.err != GWALK_OK && gwalk_err_name(f.err)[0] != '?');
	n = gwalk_fetch(&g, &r, la, (data[0] & 1) ? ~0ull : 0xffffffffull, buf, sizeof(buf), &f);
	FUZZ_CHECK(n <= sizeof(buf));
	return 0;
}
