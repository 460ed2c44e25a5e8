/* How loaders write into guest RAM: copy and zero callbacks, so the loaders stay pure logic. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_GUEST_WRITER_H
#define HYPERVISOR_LOAD_GUEST_WRITER_H

#include <stddef.h>
#include <stdint.h>

/* Writes into guest RAM: the loader has already checked [gpa, gpa+n) lies inside it. */
struct guest_writer {
	void (*copy)(void *ctx, uint64_t gpa, const void *src, size_t n);
	void (*zero)(void *ctx, uint64_t gpa, size_t n);
	void *ctx;
};

#endif
