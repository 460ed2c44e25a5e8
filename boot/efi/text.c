/* Conversion of ESP file names and text files into boot_info strings: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "text.h"

static int text_name_char_ok(uint16_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '+';
}

int text_module_name(const uint16_t *src, char *dst, uint32_t dst_size)
{
	int result = TEXT_NAME_OK;
	uint32_t n = 0;

	if (dst == NULL || dst_size == 0)
		return TEXT_NAME_EMPTY;
	dst[0] = '\0';
	if (src == NULL || src[0] == 0)
		return TEXT_NAME_EMPTY;
	for (; src[n] != 0; n++) {
		if (n == dst_size - 1) {
			result = TEXT_NAME_CHANGED;
			break;
		}
		dst[n] = text_name_char_ok(src[n]) ? (char)src[n] : '_';
		if (dst[n] == '_' && src[n] != '_')
			result = TEXT_NAME_CHANGED;
	}
	dst[n] = '\0';
	return n == 0 ? TEXT_NAME_EMPTY : result;
}

static uint64_t text_skip_bom(const uint8_t *src, uint64_t size)
{
	if (size >= 3 && src[0] == 0xef && src[1] == 0xbb && src[2] == 0xbf)
		return 3;
	return 0;
}

int text_first_line(const uint8_t *src, uint64_t size, char *dst, uint32_t dst_size)
{
	uint32_t n = 0;
	int cut = 0;

	if (dst == NULL || dst_size == 0)
		return 0;
	for (uint64_t i = src == NULL ? size : text_skip_bom(src, size); i < size; i++) {
		uint8_t c = src[i];

		if (c == '\r' || c == '\n' || c == '\0')
			break;
		if (c == '\t')
			c = ' ';
		if (c < 0x20 || c > 0x7e)
			continue;
		if (n == dst_size - 1) {
			cut = 1;
			break;
		}
		dst[n++] = (char)c;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
	return cut;
}

void text_copy(char *dst, uint32_t dst_size, const char *src)
{
	uint32_t n = 0;

	if (dst == NULL || dst_size == 0)
		return;
	while (src != NULL && src[n] != '\0' && n < dst_size - 1) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}
