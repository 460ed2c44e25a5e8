/* Loading a guest ELF image (ELF32 or ELF64, x86) into guest-physical memory. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_ELF_H
#define HYPERVISOR_LOAD_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Writes into guest RAM: the loader has already checked [gpa, gpa+n) lies inside it. */
struct guest_writer {
	void (*copy)(void *ctx, uint64_t gpa, const void *src, size_t n);
	void (*zero)(void *ctx, uint64_t gpa, size_t n);
	void *ctx;
};

/*
 * Validates `img` completely first (header, class, machine, type, program
 * headers inside the file, every PT_LOAD inside the file and inside
 * [0, ram_size), entry inside an executable PT_LOAD), then loads each
 * PT_LOAD at its physical address. Returns 0 and the entry point, or -1 with
 * `err` saying what is wrong; nothing is written when validation fails.
 */
int elf_load_guest(const uint8_t *img, size_t len, uint64_t ram_size, const struct guest_writer *w,
		   uint64_t *entry, char *err, size_t errlen);

#endif
