/* What kind of guest image a file is, told from its bytes alone. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_IMAGE_KIND_H
#define HYPERVISOR_LOAD_IMAGE_KIND_H

#include <stddef.h>
#include <stdint.h>

enum image_kind { IMAGE_UNKNOWN = 0, IMAGE_ELF, IMAGE_MULTIBOOT, IMAGE_BZIMAGE };

/*
 * A Linux bzImage (boot flag and "HdrS" at their fixed offsets), else a
 * Multiboot kernel (a valid Multiboot header in the first 8 KiB, ELF or not:
 * the header is what GRUB and QEMU's -kernel go by), else an ELF, else
 * unknown. The file's name plays no part.
 */
enum image_kind image_kind_detect(const uint8_t *img, size_t len);
const char *image_kind_name(enum image_kind kind);

#endif
