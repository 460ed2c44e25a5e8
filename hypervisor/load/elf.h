/* Loading a guest ELF image (ELF32 or ELF64, x86) into guest-physical memory. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_ELF_H
#define HYPERVISOR_LOAD_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hypervisor/load/guest_writer.h"

/* True when `img` starts with the ELF magic (the kind of image; elf_load_guest checks the rest). */
bool elf_detect(const uint8_t *img, size_t len);

/*
 * Validates `img` completely first (header, class, machine, type, program
 * headers inside the file, every PT_LOAD inside the file and inside
 * [0, ram_size), entry inside an executable PT_LOAD), then loads each
 * PT_LOAD at its physical address. Returns 0 and the entry point, or -1 with
 * `err` saying what is wrong; nothing is written when validation fails.
 */
int elf_load_guest(const uint8_t *img, size_t len, uint64_t ram_size, const struct guest_writer *w,
		   uint64_t *entry, char *err, size_t errlen);

/*
 * The same validation without loading: [*lo, *hi) covers every PT_LOAD
 * (memory size included) and *entry is the entry point. 0, or -1 with `err`.
 */
int elf_guest_span(const uint8_t *img, size_t len, uint64_t ram_size, uint64_t *lo, uint64_t *hi, uint64_t *entry,
		   char *err, size_t errlen);

#endif
