/* memset and memcpy: the compiler may emit calls to them even in freestanding code. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include "runtime.h"

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}
