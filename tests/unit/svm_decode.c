/* Unit tests of instruction lengths and MOV-to-CR decoding from guest bytes (APM Vol 3 1.2, appendix A). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/svm/svm_decode.h"

static uint32_t len_of(uint64_t exitcode, uint64_t info1, const uint8_t *b, size_t n, bool lm)
{
	uint8_t op[3];
	size_t oplen = svm_exit_opcode(exitcode, info1, op);
	return svm_insn_length(b, n, lm, op, oplen);
}

static void test_plain_and_prefixed(void **state)
{
	static const uint8_t cpuid[] = { 0x0f, 0xa2 }, cpuid_ds[] = { 0x3e, 0x0f, 0xa2 },
			     cpuid_many[] = { 0x2e, 0x3e, 0x66, 0x67, 0x0f, 0xa2 }, hlt_rep[] = { 0xf3, 0xf4 },
			     rdmsr[] = { 0x3e, 0x0f, 0x32 }, wrmsr[] = { 0x0f, 0x30 },
			     vmmcall[] = { 0x26, 0x0f, 0x01, 0xd9 }, rex_cpuid[] = { 0x48, 0x0f, 0xa2 };
	(void)state;
	assert_int_equal(len_of(0x72, 0, cpuid, sizeof(cpuid), false), 2);
	assert_int_equal(len_of(0x72, 0, cpuid_ds, sizeof(cpuid_ds), false), 3);
	assert_int_equal(len_of(0x72, 0, cpuid_many, sizeof(cpuid_many), false), 6);
	assert_int_equal(len_of(0x78, 0, hlt_rep, sizeof(hlt_rep), false), 2);
	assert_int_equal(len_of(0x7c, 0, rdmsr, sizeof(rdmsr), false), 3);
	assert_int_equal(len_of(0x7c, 1, wrmsr, sizeof(wrmsr), false), 2);
	assert_int_equal(len_of(0x7c, 0, wrmsr, sizeof(wrmsr), false), 0); /* RDMSR exit but WRMSR bytes */
	assert_int_equal(len_of(0x81, 0, vmmcall, sizeof(vmmcall), false), 4);
	assert_int_equal(len_of(0x72, 0, rex_cpuid, sizeof(rex_cpuid), true), 3);
	assert_int_equal(len_of(0x72, 0, rex_cpuid, sizeof(rex_cpuid), false), 0); /* 48h is DEC EAX outside 64-bit mode */
}

static void test_too_long_or_wrong(void **state)
{
	uint8_t b[16];
	(void)state;
	memset(b, 0x3e, sizeof(b));
	b[13] = 0x0f, b[14] = 0xa2; /* 13 prefixes + 2 = 15: the longest legal */
	assert_int_equal(len_of(0x72, 0, b, 15, false), 15);
	b[13] = 0x3e, b[14] = 0x0f, b[15] = 0xa2; /* 16 bytes: #GP on hardware, never a length */
	assert_int_equal(len_of(0x72, 0, b, 16, false), 0);
	assert_int_equal(len_of(0x72, 0, b, 0, false), 0);
	assert_int_equal(len_of(0x7b, 0, b, 16, false), 0); /* IOIO: length from EXITINFO2, not decoded */
}

/* MOV CR4, reg is 0F 22 /r with ModRM.reg = 4 (APM Vol 3 "MOV CRn"); REX.B extends the GPR, REX.R the CR. */
static void test_mov_to_cr(void **state)
{
	static const uint8_t eax[] = { 0x0f, 0x22, 0xe0 }, r9[] = { 0x49, 0x0f, 0x22, 0xe1 },
			     cr0[] = { 0x0f, 0x22, 0xc0 }, cr12[] = { 0x44, 0x0f, 0x22, 0xe0 }, other[] = { 0x0f, 0x20, 0xe0 };
	struct svm_mov_cr mc;
	(void)state;
	assert_int_equal(svm_decode_mov_to_cr(eax, sizeof(eax), false, &mc), 0);
	assert_int_equal(mc.cr, 4);
	assert_int_equal(mc.gpr, 0);
	assert_int_equal(mc.len, 3);
	assert_int_equal(svm_decode_mov_to_cr(r9, sizeof(r9), true, &mc), 0);
	assert_int_equal(mc.cr, 4);
	assert_int_equal(mc.gpr, 9);
	assert_int_equal(mc.len, 4);
	assert_int_equal(svm_decode_mov_to_cr(cr0, sizeof(cr0), false, &mc), 0);
	assert_int_equal(mc.cr, 0);
	assert_int_equal(svm_decode_mov_to_cr(cr12, sizeof(cr12), true, &mc), 0);
	assert_int_equal(mc.cr, 12);
	assert_int_equal(svm_decode_mov_to_cr(other, sizeof(other), false, &mc), -1); /* MOV from CR */
	assert_int_equal(svm_decode_mov_to_cr(eax, 2, false, &mc), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_prefixed),
		cmocka_unit_test(test_too_long_or_wrong),
		cmocka_unit_test(test_mov_to_cr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
