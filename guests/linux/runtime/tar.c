/* A streaming tar reader (ustar, GNU long names, pax) over zlib, gzip or plain. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "tar.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

struct tar_reader {
	gzFile gz;
	uint64_t left;       /* data bytes left in the current entry */
	uint64_t pad;        /* padding after it */
	char long_path[4096];
	char long_link[4096];
	char pax_path[4096];
	char pax_link[4096];
	int64_t pax_size;
};

struct tar_reader *tar_open(const char *path, struct rt_err *e)
{
	struct tar_reader *t = xcalloc(1, sizeof(*t));

	t->gz = gzopen(path, "rb");
	if (!t->gz) {
		free(t);
		rt_fail(e, errno, "open %s", path);
		return NULL;
	}
	gzbuffer(t->gz, 128 * 1024);
	t->pax_size = -1;
	return t;
}

void tar_close(struct tar_reader *t)
{
	if (!t)
		return;
	gzclose(t->gz);
	free(t);
}

static int read_exact(struct tar_reader *t, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		int r = gzread(t->gz, (char *)buf + done, (unsigned)(n - done));

		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static int skip(struct tar_reader *t, uint64_t n)
{
	char buf[8192];

	while (n) {
		size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		if (read_exact(t, buf, k) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

static uint64_t octal(const char *p, size_t n)
{
	uint64_t v = 0;

	if ((unsigned char)p[0] & 0x80) { /* base-256 for large values */
		for (size_t i = 1; i < n; i++)
			v = (v << 8) | (unsigned char)p[i];
		return v;
	}
	for (size_t i = 0; i < n && p[i]; i++) {
		if (p[i] == ' ')
			continue;
		if (p[i] < '0' || p[i] > '7')
			break;
		v = v * 8 + (uint64_t)(p[i] - '0');
	}
	return v;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want = octal((const char *)h + 148, 8), sum = 0;

	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

/* Reads one header block: 1, 0 at a clean end of the archive, -1 when the archive
 * (or its gzip stream) ends inside the block, so a cut-off layer is never taken whole. */
static int read_block(struct tar_reader *t, unsigned char *h)
{
	size_t done = 0;
	int err = Z_OK;

	while (done < 512) {
		int r = gzread(t->gz, h + done, (unsigned)(512 - done));

		if (r < 0)
			return -1;
		if (r == 0) {
			gzerror(t->gz, &err);
			return done == 0 && err == Z_OK ? 0 : -1;
		}
		done += (size_t)r;
	}
	return 1;
}

/* Reads an entry body of at most CAP-1 bytes into BUF (long names, pax records). */
static int read_body(struct tar_reader *t, uint64_t size, char *buf, size_t cap)
{
	uint64_t padded = (size + 511) & ~511ULL;

	if (size >= cap)
		return -1;
	if (read_exact(t, buf, (size_t)size) < 0 || skip(t, padded - size) < 0)
		return -1;
	buf[size] = '\0';
	return 0;
}

static void pax_apply(struct tar_reader *t, char *rec, size_t len)
{
	char *p = rec, *end = rec + len;

	while (p < end) {
		char *sp = memchr(p, ' ', (size_t)(end - p));
		long n = strtol(p, NULL, 10);
		char *kv, *eq;

		if (!sp || n <= 0 || p + n > end)
			return;
		kv = sp + 1;
		p[n - 1] = '\0'; /* the record's newline */
		eq = strchr(kv, '=');
		if (eq) {
			*eq = '\0';
			if (!strcmp(kv, "path"))
				snprintf(t->pax_path, sizeof(t->pax_path), "%s", eq + 1);
			else if (!strcmp(kv, "linkpath"))
				snprintf(t->pax_link, sizeof(t->pax_link), "%s", eq + 1);
			else if (!strcmp(kv, "size"))
				t->pax_size = strtoll(eq + 1, NULL, 10);
		}
		p += n;
	}
}

static void fill_entry(struct tar_reader *t, const char *h, struct tar_entry *ent)
{
	memset(ent, 0, sizeof(*ent));
	if (t->pax_path[0])
		snprintf(ent->path, sizeof(ent->path), "%s", t->pax_path);
	else if (t->long_path[0])
		snprintf(ent->path, sizeof(ent->path), "%s", t->long_path);
	else if (!memcmp(h + 257, "ustar", 5) && h[345])
		snprintf(ent->path, sizeof(ent->path), "%.155s/%.100s", h + 345, h);
	else
		snprintf(ent->path, sizeof(ent->path), "%.100s", h);
	if (t->pax_link[0])
		snprintf(ent->link, sizeof(ent->link), "%s", t->pax_link);
	else if (t->long_link[0])
		snprintf(ent->link, sizeof(ent->link), "%s", t->long_link);
	else
		snprintf(ent->link, sizeof(ent->link), "%.100s", h + 157);
	ent->type = h[156] ? h[156] : '0';
	if (ent->type == '7')
		ent->type = '0';
	ent->mode = (mode_t)octal(h + 100, 8) & 07777;
	ent->uid = (uid_t)octal(h + 108, 8);
	ent->gid = (gid_t)octal(h + 116, 8);
	ent->size = t->pax_size >= 0 ? (uint64_t)t->pax_size : octal(h + 124, 12);
	ent->mtime = (int64_t)octal(h + 136, 12);
	ent->dev_major = (unsigned)octal(h + 329, 8);
	ent->dev_minor = (unsigned)octal(h + 337, 8);
	t->long_path[0] = t->long_link[0] = t->pax_path[0] = t->pax_link[0] = '\0';
	t->pax_size = -1;
}

int tar_next(struct tar_reader *t, struct tar_entry *ent, struct rt_err *e)
{
	static char pax[65536];
	unsigned char h[512];

	if (skip(t, t->left + t->pad) < 0)
		return rt_fail(e, 0, "tar: truncated archive");
	t->left = t->pad = 0;
	for (;;) {
		uint64_t size;
		int r;

		r = read_block(t, h);
		if (r == 0)
			return 0; /* a clean end without the two zero blocks: accepted */
		if (r < 0)
			return rt_fail(e, 0, "tar: truncated archive (it ends inside a header)");
		if (h[0] == '\0')
			return 0;
		if (!checksum_ok(h))
			return rt_fail(e, 0, "tar: bad header checksum");
		size = octal((char *)h + 124, 12);
		switch (h[156]) {
		case 'L':
			if (read_body(t, size, t->long_path, sizeof(t->long_path)) < 0)
				return rt_fail(e, 0, "tar: bad GNU long name");
			continue;
		case 'K':
			if (read_body(t, size, t->long_link, sizeof(t->long_link)) < 0)
				return rt_fail(e, 0, "tar: bad GNU long link");
			continue;
		case 'x':
			if (read_body(t, size, pax, sizeof(pax)) < 0)
				return rt_fail(e, 0, "tar: bad pax header");
			pax_apply(t, pax, (size_t)size);
			continue;
		case 'g':
			if (skip(t, (size + 511) & ~511ULL) < 0)
				return rt_fail(e, 0, "tar: truncated archive");
			continue;
		}
		fill_entry(t, (char *)h, ent);
		if (ent->type == '0') {
			t->left = ent->size;
			t->pad = ((ent->size + 511) & ~511ULL) - ent->size;
		} else {
			t->pad = (size + 511) & ~511ULL; /* bodies of other types are skipped */
		}
		return 1;
	}
}

ssize_t tar_read(struct tar_reader *t, void *buf, size_t n)
{
	int r;

	if (!t->left)
		return 0;
	if (n > t->left)
		n = (size_t)t->left;
	if (n > 1 << 30)
		n = 1 << 30;
	r = gzread(t->gz, buf, (unsigned)n);
	if (r <= 0)
		return -1;
	t->left -= (uint64_t)r;
	return r;
}
