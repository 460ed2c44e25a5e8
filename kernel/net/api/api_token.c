/* The API's bearer-token check, in constant time. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/api_token.h"

#include <string.h>

bool api_token_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	/* Every byte of b is compared against a (cycled), so the time depends only on blen. */
	volatile uint8_t diff = (uint8_t)(alen != blen);

	for (size_t i = 0; i < blen; i++)
		diff |= (uint8_t)(b[i] ^ (alen ? a[i % alen] : 0));
	return alen > 0 && diff == 0;
}

bool api_token_check(const char *expected, const char *field)
{
	static const char scheme[] = "bearer ";
	size_t i;

	if (!expected || !*expected || !field)
		return false;
	for (i = 0; i < sizeof(scheme) - 1; i++) {
		char c = field[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != scheme[i])
			return false;
	}
	while (field[i] == ' ')
		i++;
	return api_token_equal(field + i, strlen(field + i), expected, strlen(expected));
}

void api_token_hex(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = 0;
}
