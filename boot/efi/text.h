/* Conversion of ESP file names and text files into boot_info strings: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_EFI_TEXT_H
#define BULWARK_EFI_TEXT_H

#include <stdint.h>

/* Outcome of text_module_name(). */
enum text_name_result {
	TEXT_NAME_OK = 0,
	TEXT_NAME_CHANGED = 1, /* characters replaced by '_' or the name truncated */
	TEXT_NAME_EMPTY = -1,  /* nothing usable: the file is skipped */
};

/*
 * Turns a NUL-terminated UCS-2 file name (SRC) into a module name in DST
 * (DST_SIZE bytes, NUL-terminated): letters, digits and ". _ - +" kept, any
 * other character becomes '_', and the name is cut to DST_SIZE - 1 bytes.
 */
int text_module_name(const uint16_t *src, char *dst, uint32_t dst_size);

/*
 * Copies the first line of SRC (SIZE bytes, not necessarily terminated) into
 * DST (DST_SIZE bytes, NUL-terminated): a UTF-8 byte-order mark is skipped,
 * the line ends at CR, LF or NUL, tabs become spaces, other control bytes and
 * bytes above 0x7e are dropped, and trailing spaces are removed.
 * Returns 1 when the line was cut to fit, else 0.
 */
int text_first_line(const uint8_t *src, uint64_t size, char *dst, uint32_t dst_size);

/* Copies the NUL-terminated ASCII string SRC into DST (DST_SIZE bytes), cut to fit. */
void text_copy(char *dst, uint32_t dst_size, const char *src);

#endif
