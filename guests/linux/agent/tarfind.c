/* Finding one small file in a tar, to read an image layout's index.json without unpacking it.
 * Header fields as POSIX.1-2017 pax "ustar Interchange Format" defines them: name [0,100),
 * size [124,136) in octal, typeflag [156], prefix [345,500); 512-byte blocks; the archive ends
 * at a zero block. */
/* SPDX-License-Identifier: MIT */
#include "tarfind.h"

#include <stdio.h>
#include <string.h>

#define BLOCK 512

/* An octal field (NUL or space ended); -1 when it holds anything else or overflows. */
static int64_t octal(const unsigned char *f, size_t len)
{
	int64_t v = 0;
	size_t i = 0;

	while (i < len && f[i] == ' ')
		i++;
	if (i == len || f[i] < '0' || f[i] > '7')
		return -1;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (INT64_MAX >> 3))
			return -1;
		v = v * 8 + (f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return v;
}

/* The header's path: prefix "/" name, each field up to its NUL. */
static void path_of(const unsigned char *h, char *out, size_t size)
{
	char name[101], prefix[156];

	memcpy(name, h, 100);
	name[100] = '\0';
	memcpy(prefix, h + 345, 155);
	prefix[155] = '\0';
	if (!memcmp(h + 257, "ustar", 5) && prefix[0])
		snprintf(out, size, "%s/%s", prefix, name);
	else
		snprintf(out, size, "%s", name);
}

ssize_t tar_find(tar_read_fn rd, void *ctx, const char *name, char *out, size_t max)
{
	unsigned char h[BLOCK];
	uint64_t off = 0;
	char path[300], dotted[300];

	snprintf(dotted, sizeof(dotted), "./%s", name);
	for (int i = 0; i < TARFIND_MAX_ENTRIES; i++) {
		int64_t size;
		static const unsigned char zero[BLOCK];

		if (rd(ctx, off, h, BLOCK) != BLOCK || !memcmp(h, zero, BLOCK))
			return -1; /* the end (or a short read): not there */
		size = octal(h + 124, 12);
		if (size < 0 || (uint64_t)size > UINT64_MAX / 2 - off)
			return -1;
		path_of(h, path, sizeof(path));
		if ((h[156] == '0' || h[156] == '\0') && (!strcmp(path, name) || !strcmp(path, dotted))) {
			if ((uint64_t)size > max)
				return -1;
			return rd(ctx, off + BLOCK, out, (size_t)size) == size ? (ssize_t)size : -1;
		}
		off += BLOCK + ((uint64_t)size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return -1;
}
