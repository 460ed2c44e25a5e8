/* Telling bzImage, Multiboot and ELF images apart by their signatures. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/load/image_kind.h"
#include "hypervisor/load/bzimage.h"
#include "hypervisor/load/elf.h"
#include "hypervisor/load/multiboot.h"

enum image_kind image_kind_detect(const uint8_t *img, size_t len)
{
	if (bzimage_detect(img, len))
		return IMAGE_BZIMAGE;
	if (multiboot_find_header(img, len) >= 0)
		return IMAGE_MULTIBOOT;
	if (elf_detect(img, len))
		return IMAGE_ELF;
	return IMAGE_UNKNOWN;
}

const char *image_kind_name(enum image_kind kind)
{
	static const char *const names[] = {
		[IMAGE_UNKNOWN] = "unknown", [IMAGE_ELF] = "ELF", [IMAGE_MULTIBOOT] = "Multiboot", [IMAGE_BZIMAGE] = "Linux bzImage",
	};
	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}
