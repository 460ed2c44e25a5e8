/* Layer paths: cleaning tar member names and recognising OCI whiteouts. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "whiteout.h"

#include <stdio.h>
#include <string.h>

#define WH_PREFIX ".wh."
#define WH_OPQ ".wh..wh..opq"

int layer_path_clean(const char *in, char *out, size_t n)
{
	size_t o = 0;
	const char *p = in;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == 2 && !strncmp(p, "..", 2))
			return -1;
		if (len && !(len == 1 && p[0] == '.')) {
			if (o + len + 2 > n)
				return -1;
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	if (!n)
		return -1;
	out[o] = '\0';
	return 0;
}

void path_split(const char *path, char *dir, size_t n, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, n, "%s", "");
		*base = path;
		return;
	}
	snprintf(dir, n, "%.*s", (int)(slash - path), path);
	*base = slash + 1;
}

enum wh_kind whiteout_classify(const char *path, char *target, size_t n)
{
	char dir[4096];
	const char *base;

	path_split(path, dir, sizeof(dir), &base);
	if (!strcmp(base, WH_OPQ)) {
		snprintf(target, n, "%s", dir);
		return WH_OPAQUE;
	}
	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) || !base[strlen(WH_PREFIX)])
		return WH_NONE;
	base += strlen(WH_PREFIX);
	if (!strcmp(base, ".") || !strcmp(base, ".."))
		return WH_NONE;
	if (dir[0])
		snprintf(target, n, "%s/%s", dir, base);
	else
		snprintf(target, n, "%s", base);
	return WH_FILE;
}
