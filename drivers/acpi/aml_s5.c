/* Finds the \_S5 sleep type values in DSDT AML without an interpreter. */
/* SPDX-License-Identifier: MIT */
#include "drivers/acpi/acpi.h"

/*
 * What firmware emits for Name (_S5, Package () { a, b, ... }), ACPI 6.5
 * section 20.2 (AML grammar):
 *   DefName    := NameOp(0x08) NameString DataRefObject        (20.2.5.1)
 *   NameString := [RootChar '\' | ParentPrefixChar '^'...] NameSeg  (20.2.2)
 *   DefPackage := PackageOp(0x12) PkgLength NumElements PackageElementList
 *   PkgLength  := lead byte; bits 7-6 count the 0-3 bytes that follow;
 *                 with none, bits 5-0 are the length, else bits 3-0 are
 *                 the low nibble and each following byte adds 8 bits (20.2.4)
 *   integers   := ZeroOp 0x00 | OneOp 0x01 | OnesOp 0xFF | BytePrefix 0x0A nn
 *                 | WordPrefix 0x0B | DWordPrefix 0x0C | QWordPrefix 0x0E (20.2.3)
 * Every read is checked against the end of the buffer and of the package.
 */

#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c
#define AML_PARENT_CHAR 0x5e

/* Whether the NameSeg at `i` is preceded by NameOp, allowing '\' or a run of '^'. */
static int aml_is_name_def(const uint8_t *aml, size_t i)
{
	if (i > 0 && aml[i - 1] == AML_ROOT_CHAR)
		i--;
	else
		while (i > 0 && aml[i - 1] == AML_PARENT_CHAR)
			i--;
	return i > 0 && aml[i - 1] == AML_NAME_OP;
}

/* Decodes a PkgLength at aml[*pos]; returns the length or 0 if malformed/out of bounds. */
static size_t aml_pkg_length(const uint8_t *aml, size_t len, size_t *pos)
{
	uint8_t lead;
	size_t follow, value;

	if (*pos >= len)
		return 0;
	lead = aml[(*pos)++];
	follow = lead >> 6;
	if (follow == 0)
		return lead & 0x3f;
	if (lead & 0x30) /* bits 5-4 must be zero when bytes follow */
		return 0;
	if (len - *pos < follow)
		return 0;
	value = lead & 0x0f;
	for (size_t k = 0; k < follow; k++)
		value |= (size_t)aml[(*pos)++] << (4 + 8 * k);
	return value;
}

/* Decodes one integer data object at aml[*pos] (< end); returns 0 on success. */
static int aml_integer(const uint8_t *aml, size_t end, size_t *pos, uint64_t *value)
{
	static const uint8_t width[] = { [0x0a] = 1, [0x0b] = 2, [0x0c] = 4, [0x0e] = 8 };
	uint8_t op;

	if (*pos >= end)
		return -1;
	op = aml[(*pos)++];
	if (op == 0x00 || op == 0x01) {
		*value = op;
		return 0;
	}
	if (op == 0xff) {
		*value = ~0ull;
		return 0;
	}
	if (op < 0x0a || op > 0x0e || width[op] == 0 || end - *pos < width[op])
		return -1;
	*value = 0;
	for (uint8_t k = 0; k < width[op]; k++)
		*value |= (uint64_t)aml[(*pos)++] << (8 * k);
	return 0;
}

/* Parses the package that follows "_S5_" at aml[pos]; returns 0 and the values if sane. */
static int aml_s5_package(const uint8_t *aml, size_t len, size_t pos, uint8_t *a, uint8_t *b)
{
	size_t start, pkg_len, end;
	uint64_t va, vb;
	uint8_t count;

	if (pos >= len || aml[pos++] != AML_PACKAGE_OP)
		return -1;
	start = pos;
	pkg_len = aml_pkg_length(aml, len, &pos);
	if (pkg_len == 0 || pkg_len > len - start)
		return -1;
	end = start + pkg_len; /* PkgLength counts itself and the package contents */
	if (pos >= end)
		return -1;
	count = aml[pos++];
	if (count == 0 || aml_integer(aml, end, &pos, &va) < 0)
		return -1;
	vb = va;
	if (count > 1 && aml_integer(aml, end, &pos, &vb) < 0)
		return -1;
	*a = (uint8_t)va;
	*b = (uint8_t)vb;
	return 0;
}

int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	uint8_t a, b;

	if (!aml || !slp_typa || !slp_typb)
		return -1;
	for (size_t i = 0; len >= 4 && i <= len - 4; i++) {
		if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] != '5' || aml[i + 3] != '_')
			continue;
		if (!aml_is_name_def(aml, i))
			continue;
		if (aml_s5_package(aml, len, i + 4, &a, &b) == 0) {
			*slp_typa = a;
			*slp_typb = b;
			return 0;
		}
	}
	return -1;
}
