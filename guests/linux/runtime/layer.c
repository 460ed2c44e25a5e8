/* Applying one image layer (a tar, maybe gzipped) onto a rootfs, whiteouts included. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "layer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "tar.h"
#include "whiteout.h"

static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };

	if (!path[0])
		path = ".";
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Opens directory DIR inside the root, creating missing parts (mode 0755). */
static int open_dir(int rootfd, const char *dir, struct rt_err *e)
{
	char prefix[4096];
	int fd = open_in_root(rootfd, dir, O_RDONLY | O_DIRECTORY);

	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : rt_fail(e, errno, "layer: open %s", dir);
	for (const char *p = dir;; p++) {
		if (*p && *p != '/')
			continue;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(p - dir), dir);
		fd = open_in_root(rootfd, prefix, O_RDONLY | O_DIRECTORY);
		if (fd < 0 && errno == ENOENT) {
			char parent[4096];
			const char *base;
			int pfd;

			path_split(prefix, parent, sizeof(parent), &base);
			pfd = open_in_root(rootfd, parent, O_RDONLY | O_DIRECTORY);
			if (pfd < 0 || (mkdirat(pfd, base, 0755) < 0 && errno != EEXIST)) {
				if (pfd >= 0)
					close(pfd);
				return rt_fail(e, errno, "layer: mkdir %s", prefix);
			}
			close(pfd);
			fd = open_in_root(rootfd, prefix, O_RDONLY | O_DIRECTORY);
		}
		if (fd < 0)
			return rt_fail(e, errno, "layer: open %s", prefix);
		if (!*p)
			return fd;
		close(fd);
	}
}

static int clear_dir(int dirfd)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_rf_at(dirfd, de->d_name);
	closedir(d);
	return 0;
}

static int apply_whiteout(int rootfd, enum wh_kind kind, const char *target, struct rt_err *e)
{
	char dir[4096];
	const char *base;
	cleanup_close int fd = -1;

	if (kind == WH_OPAQUE) {
		fd = open_in_root(rootfd, target, O_RDONLY | O_DIRECTORY);
		return fd < 0 ? 0 : clear_dir(fd);
	}
	path_split(target, dir, sizeof(dir), &base);
	fd = open_in_root(rootfd, dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0 && rm_rf_at(fd, base) < 0 && errno != ENOENT)
		return rt_fail(e, errno, "layer: whiteout %s", target);
	return 0;
}

static int write_data(struct tar_reader *t, int fd, const char *path, struct rt_err *e)
{
	static char buf[128 * 1024];
	ssize_t n;

	while ((n = tar_read(t, buf, sizeof(buf))) > 0)
		if (write_all(fd, buf, (size_t)n) < 0)
			return rt_fail(e, errno, "layer: write %s", path);
	return n < 0 ? rt_fail(e, 0, "layer: truncated data for %s", path) : 0;
}

static int make_hardlink(int rootfd, int pfd, const char *base, const char *link,
			 struct rt_err *e)
{
	char clean[4096], dir[4096];
	const char *tbase;
	cleanup_close int tfd = -1;

	if (layer_path_clean(link, clean, sizeof(clean)) < 0)
		return rt_fail(e, 0, "layer: hard link target %s leaves the rootfs", link);
	path_split(clean, dir, sizeof(dir), &tbase);
	tfd = open_in_root(rootfd, dir, O_RDONLY | O_DIRECTORY);
	if (tfd < 0 || linkat(tfd, tbase, pfd, base, 0) < 0)
		return rt_fail(e, errno, "layer: hard link to %s", link);
	return 0;
}

static int create_entry(struct tar_reader *t, int rootfd, int pfd, const char *base,
			const struct tar_entry *en, struct rt_err *e)
{
	struct stat st;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !(en->type == '5' && S_ISDIR(st.st_mode)))
		rm_rf_at(pfd, base);
	switch (en->type) {
	case '5':
		if (mkdirat(pfd, base, 0700) < 0 && errno != EEXIST)
			return rt_fail(e, errno, "layer: mkdir %s", en->path);
		return 0;
	case '2':
		if (symlinkat(en->link, pfd, base) < 0)
			return rt_fail(e, errno, "layer: symlink %s", en->path);
		return 0;
	case '1':
		return make_hardlink(rootfd, pfd, base, en->link, e);
	case '3': case '4': case '6': {
		mode_t kind = en->type == '3' ? S_IFCHR : en->type == '4' ? S_IFBLK : S_IFIFO;

		if (mknodat(pfd, base, kind | en->mode, makedev(en->dev_major, en->dev_minor)) < 0)
			return rt_fail(e, errno, "layer: mknod %s", en->path);
		return 0;
	}
	default: {
		cleanup_close int fd = openat(pfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW |
						  O_CLOEXEC, 0600);

		if (fd < 0)
			return rt_fail(e, errno, "layer: create %s", en->path);
		return write_data(t, fd, en->path, e);
	}
	}
}

static void set_attrs(int pfd, const char *base, const struct tar_entry *en)
{
	struct timespec ts[2] = { { en->mtime, 0 }, { en->mtime, 0 } };

	if (fchownat(pfd, base, en->uid, en->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (en->type != '2' && en->type != '1')
		fchmodat(pfd, base, en->mode, 0);
	if (en->type != '1')
		utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
}

static int extract_one(struct tar_reader *t, int rootfd, const struct tar_entry *en,
		       const char *clean, struct rt_err *e)
{
	char dir[4096];
	const char *base;
	cleanup_close int pfd = -1;

	if (!clean[0])
		return 0; /* the root directory itself */
	path_split(clean, dir, sizeof(dir), &base);
	pfd = open_dir(rootfd, dir, e);
	if (pfd < 0)
		return -1;
	if (create_entry(t, rootfd, pfd, base, en, e) < 0)
		return -1;
	set_attrs(pfd, base, en);
	return 0;
}

/* One pass over the tar: whiteouts (PASS 0, against the lower layers) or the rest. */
static int layer_pass(const char *tar_path, int rootfd, int pass, bool whiteouts,
		      struct rt_err *e)
{
	struct tar_reader *t = tar_open(tar_path, e);
	struct tar_entry en;
	char clean[4096], target[4096];
	int r;

	if (!t)
		return -1;
	while ((r = tar_next(t, &en, e)) > 0) {
		enum wh_kind kind;

		if (layer_path_clean(en.path, clean, sizeof(clean)) < 0) {
			r = rt_fail(e, 0, "layer: member \"%s\" leaves the rootfs", en.path);
			break;
		}
		kind = whiteouts ? whiteout_classify(clean, target, sizeof(target)) : WH_NONE;
		if (pass == 0 && kind != WH_NONE)
			r = apply_whiteout(rootfd, kind, target, e);
		else if (pass == 1 && kind == WH_NONE)
			r = extract_one(t, rootfd, &en, clean, e);
		if (r < 0)
			break;
	}
	tar_close(t);
	return r < 0 ? -1 : 0;
}

int layer_apply(const char *tar_path, const char *rootfs, bool whiteouts, struct rt_err *e)
{
	cleanup_close int rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return rt_fail(e, errno, "open %s", rootfs);
	if (whiteouts && layer_pass(tar_path, rootfd, 0, true, e) < 0)
		return -1;
	return layer_pass(tar_path, rootfd, 1, whiteouts, e);
}
