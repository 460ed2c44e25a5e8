/* SHA-256 (FIPS 180-4), to check image blobs against their digests. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_SHA256_H
#define BWRUN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into HEX. */
void sha256_hex(struct sha256 *s, char hex[65]);
int sha256_file(const char *path, char hex[65], struct rt_err *e);

#endif
