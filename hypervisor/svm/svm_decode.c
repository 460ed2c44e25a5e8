/* Decodes the few instructions AMD-V intercepts, from their bytes: TCG offers neither nRIP-save nor decode assists. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/svm/svm_decode.h"

static const struct {
	uint64_t exitcode;
	uint8_t len, op[3];
} opcodes[] = {
	{ 0x6f, 2, { 0x0f, 0x33 } },       /* RDPMC */
	{ 0x72, 2, { 0x0f, 0xa2 } },       /* CPUID */
	{ 0x76, 2, { 0x0f, 0x08 } },       /* INVD */
	{ 0x78, 1, { 0xf4 } },             /* HLT */
	{ 0x81, 3, { 0x0f, 0x01, 0xd9 } }, /* VMMCALL */
	{ 0x89, 2, { 0x0f, 0x09 } },       /* WBINVD */
	{ 0x8d, 3, { 0x0f, 0x01, 0xd1 } }, /* XSETBV */
};

size_t svm_exit_opcode(uint64_t exitcode, uint64_t exitinfo1, uint8_t op[3])
{
	if (exitcode == 0x7c) { /* MSR: RDMSR 0F 32, WRMSR 0F 30 */
		op[0] = 0x0f;
		op[1] = exitinfo1 & 1 ? 0x30 : 0x32;
		return 2;
	}
	for (size_t i = 0; i < sizeof(opcodes) / sizeof(opcodes[0]); i++)
		if (opcodes[i].exitcode == exitcode) {
			memcpy(op, opcodes[i].op, opcodes[i].len);
			return opcodes[i].len;
		}
	return 0;
}

/* Legacy prefixes, APM Vol 3 1.2: operand and address size, segment overrides, LOCK, REP/REPNE. */
static bool legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
	case 0xf0: case 0xf2: case 0xf3:
		return true;
	default:
		return false;
	}
}

/* Offset of the opcode after the prefixes; REX (40h-4Fh) counts only in 64-bit mode and right before it. */
static size_t skip_prefixes(const uint8_t *b, size_t n, bool long_mode, uint8_t *rex)
{
	size_t i = 0;

	*rex = 0;
	while (i < n && i < SVM_INSN_MAX && legacy_prefix(b[i]))
		i++;
	if (long_mode && i < n && (b[i] & 0xf0) == 0x40)
		*rex = b[i++];
	return i;
}

uint32_t svm_insn_length(const uint8_t *b, size_t n, bool long_mode, const uint8_t *op, size_t oplen)
{
	uint8_t rex;
	size_t i = skip_prefixes(b, n, long_mode, &rex);

	if (!oplen || i + oplen > n || i + oplen > SVM_INSN_MAX || memcmp(b + i, op, oplen))
		return 0;
	return (uint32_t)(i + oplen);
}

int svm_decode_mov_to_cr(const uint8_t *b, size_t n, bool long_mode, struct svm_mov_cr *out)
{
	uint8_t rex, modrm;
	size_t i = skip_prefixes(b, n, long_mode, &rex);

	if (i + 3 > n || i + 3 > SVM_INSN_MAX || b[i] != 0x0f || b[i + 1] != 0x22)
		return -1;
	modrm = b[i + 2]; /* mod is ignored: always a register operand */
	out->cr = (uint8_t)(((modrm >> 3) & 7) | (rex & 4 ? 8 : 0));
	out->gpr = (uint8_t)((modrm & 7) | (rex & 1 ? 8 : 0));
	out->len = (uint32_t)(i + 3);
	return 0;
}
