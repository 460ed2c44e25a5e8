/* Unit tests of image kind detection: the bytes decide, with bzImage, then Multiboot, then ELF. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/load/image_kind.h"

static uint8_t img[12288];

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void multiboot_header_at(size_t off)
{
	put32(img + off, 0x1BADB002);
	put32(img + off + 4, 3);
	put32(img + off + 8, -(0x1BADB002u + 3));
}

static void test_kinds(void **state)
{
	(void)state;
	memset(img, 0, sizeof(img));
	assert_int_equal(image_kind_detect(img, sizeof(img)), IMAGE_UNKNOWN);
	assert_int_equal(image_kind_detect(NULL, 0), IMAGE_UNKNOWN);
	memcpy(img, "\x7f" "ELF", 4);
	assert_int_equal(image_kind_detect(img, sizeof(img)), IMAGE_ELF);
	multiboot_header_at(0x1000);
	assert_int_equal(image_kind_detect(img, sizeof(img)), IMAGE_MULTIBOOT); /* an ELF with the header */
	assert_int_equal(image_kind_detect(img, 0x100b), IMAGE_ELF);           /* header cut off */
	memset(img, 0, sizeof(img));
	multiboot_header_at(8192);                                              /* too far in */
	assert_int_equal(image_kind_detect(img, sizeof(img)), IMAGE_UNKNOWN);
	memset(img, 0, sizeof(img));
	img[0x1FE] = 0x55, img[0x1FF] = 0xAA;
	memcpy(img + 0x202, "HdrS", 4);
	assert_int_equal(image_kind_detect(img, sizeof(img)), IMAGE_BZIMAGE);
	assert_int_equal(image_kind_detect(img, 0x205), IMAGE_UNKNOWN);
	img[0x1FF] = 0;
	assert_int_equal(image_kind_detect(img, sizeof(img)), IMAGE_UNKNOWN);
	assert_string_equal(image_kind_name(IMAGE_BZIMAGE), "Linux bzImage");
	assert_string_equal(image_kind_name((enum image_kind)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_kinds) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
