/* Fuzz harness of the guest agent's tar lookup (guests/linux/agent/tarfind.c): any bytes as an
 * image layout tar on the images disk; the lookup stays inside them and inside its buffer. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* memmem */
#include <string.h>
#include "tarfind.h"
#include "tests/fuzz/fuzz.h"

struct mem {
	const uint8_t *data;
	size_t size;
};

static ssize_t rd(void *ctx, uint64_t off, void *buf, size_t n)
{
	const struct mem *m = ctx;

	if (off >= m->size)
		return 0;
	if (n > m->size - off)
		n = m->size - off;
	memcpy(buf, m->data + off, n);
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = { data, size };
	char out[256];
	ssize_t n = tar_find(rd, &m, "index.json", out, sizeof(out));

	FUZZ_CHECK(n >= -1 && n <= (ssize_t)sizeof(out));
	if (n >= 0) /* what it returns is a member's data, inside the input */
		FUZZ_CHECK(size >= 512 + (size_t)n && memmem(data, size, out, (size_t)n));
	return 0;
}
