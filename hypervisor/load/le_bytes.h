/* Little-endian fields of the images and tables the loaders read and write, at any alignment. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_LE_BYTES_H
#define HYPERVISOR_LOAD_LE_BYTES_H

#include <stdint.h>

/* The n-byte (n <= 8) little-endian value at p. */
static inline uint64_t le_read(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Stores the low n bytes (n <= 8) of v at p, little-endian. */
static inline void le_write(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

#endif
