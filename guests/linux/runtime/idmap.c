/* User-namespace id mappings: validation, lookup and /proc/PID/{uid,gid}_map text. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "idmap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

int idmap_validate(const struct oci_idmap *m, size_t n, const char *what, struct rt_err *e)
{
	if (n > 340)
		return rt_fail(e, 0, "%s: at most 340 mappings are allowed", what);
	for (size_t i = 0; i < n; i++) {
		if (m[i].size == 0)
			return rt_fail(e, 0, "%s[%zu].size: must be at least 1", what, i);
		if ((uint64_t)m[i].container_id + m[i].size > 1ULL << 32 ||
		    (uint64_t)m[i].host_id + m[i].size > 1ULL << 32)
			return rt_fail(e, 0, "%s[%zu]: range overflows 32 bits", what, i);
		for (size_t j = 0; j < i; j++) {
			if (ranges_overlap(m[i].container_id, m[i].size, m[j].container_id,
					   m[j].size))
				return rt_fail(e, 0, "%s[%zu]: containerID range overlaps %s[%zu]",
					       what, i, what, j);
			if (ranges_overlap(m[i].host_id, m[i].size, m[j].host_id, m[j].size))
				return rt_fail(e, 0, "%s[%zu]: hostID range overlaps %s[%zu]",
					       what, i, what, j);
		}
	}
	return 0;
}

int idmap_format(const struct oci_idmap *m, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int r = snprintf(buf + off, len - off, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
				 m[i].container_id, m[i].host_id, m[i].size);

		if (r < 0 || (size_t)r >= len - off)
			return -1;
		off += (size_t)r;
	}
	return (int)off;
}

static int parse_u32(const char **s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (**s < '0' || **s > '9')
		return -1;
	errno = 0;
	v = strtoull(*s, &end, 10);
	if (errno || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	*s = end;
	return 0;
}

int idmap_parse(const char *s, struct oci_idmap *out, struct rt_err *e)
{
	const char *p = s;

	if (parse_u32(&p, &out->container_id) < 0 || *p++ != ':' ||
	    parse_u32(&p, &out->host_id) < 0 || *p++ != ':' ||
	    parse_u32(&p, &out->size) < 0 || *p)
		return rt_fail(e, 0, "id map \"%s\": expected CONTAINER:HOST:SIZE", s);
	return idmap_validate(out, 1, "id map", e);
}

int64_t idmap_to_host(const struct oci_idmap *m, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].container_id && (uint64_t)id < (uint64_t)m[i].container_id + m[i].size)
			return (int64_t)m[i].host_id + (id - m[i].container_id);
	return -1;
}

int idmap_write(pid_t pid, const char *file, const struct oci_idmap *m, size_t n,
		struct rt_err *e)
{
	char path[64], buf[340 * 36];
	int len = idmap_format(m, n, buf, sizeof(buf));

	if (len < 0)
		return rt_fail(e, 0, "%s: too many mappings", file);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return write_file(path, buf, (size_t)len, e);
}
