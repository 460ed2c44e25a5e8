/* The container's filesystem: config mounts, /dev, pivot_root, masked and read-only paths. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

static const struct {
	const char *name;
	bool clear;
	unsigned long flag;
} flag_opts[] = {
	{ "ro", false, MS_RDONLY },          { "rw", true, MS_RDONLY },
	{ "nosuid", false, MS_NOSUID },      { "suid", true, MS_NOSUID },
	{ "nodev", false, MS_NODEV },        { "dev", true, MS_NODEV },
	{ "noexec", false, MS_NOEXEC },      { "exec", true, MS_NOEXEC },
	{ "sync", false, MS_SYNCHRONOUS },   { "async", true, MS_SYNCHRONOUS },
	{ "noatime", false, MS_NOATIME },    { "atime", true, MS_NOATIME },
	{ "nodiratime", false, MS_NODIRATIME }, { "diratime", true, MS_NODIRATIME },
	{ "relatime", false, MS_RELATIME },  { "norelatime", true, MS_RELATIME },
	{ "strictatime", false, MS_STRICTATIME }, { "dirsync", false, MS_DIRSYNC },
	{ "remount", false, MS_REMOUNT },    { "bind", false, MS_BIND },
	{ "rbind", false, MS_BIND | MS_REC }, { "defaults", false, 0 },
};

static const struct {
	const char *name;
	unsigned long flag;
} prop_opts[] = {
	{ "private", MS_PRIVATE },   { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },     { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },       { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

static bool match_flag(const char *o, struct mount_opts *out)
{
	for (size_t i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++) {
		if (strcmp(o, flag_opts[i].name))
			continue;
		if (flag_opts[i].clear) {
			out->flags &= ~flag_opts[i].flag;
			out->clear |= flag_opts[i].flag;
		} else {
			out->flags |= flag_opts[i].flag;
		}
		return true;
	}
	for (size_t i = 0; i < sizeof(prop_opts) / sizeof(prop_opts[0]); i++) {
		if (!strcmp(o, prop_opts[i].name)) {
			out->propagation = prop_opts[i].flag;
			return true;
		}
	}
	return false;
}

void mount_option_names(struct json_object *a)
{
	for (size_t i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++)
		json_object_array_add(a, json_object_new_string(flag_opts[i].name));
	for (size_t i = 0; i < sizeof(prop_opts) / sizeof(prop_opts[0]); i++)
		json_object_array_add(a, json_object_new_string(prop_opts[i].name));
}

int mount_parse_options(char *const *options, struct mount_opts *out, struct rt_err *e)
{
	size_t used = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; options && options[i]; i++) {
		size_t n = strlen(options[i]);

		if (match_flag(options[i], out))
			continue;
		if (used + n + 2 > sizeof(out->data))
			return rt_fail(e, 0, "mount options too long");
		if (used)
			out->data[used++] = ',';
		memcpy(out->data + used, options[i], n + 1);
		used += n;
	}
	return 0;
}

/* Joins ROOT and DEST, refusing results that leave ROOT through symlinks. */
static char *in_root(const char *root, const char *dest, struct rt_err *e)
{
	char *p = xasprintf("%s%s", root, dest);
	char real[PATH_MAX];

	if (realpath(p, real) && strncmp(real, root, strlen(root))) {
		rt_fail(e, 0, "mount destination %s resolves outside the rootfs", dest);
		free(p);
		return NULL;
	}
	return p;
}

static int make_target(const char *path, bool dir, struct rt_err *e)
{
	cleanup_free char *parent = xstrdup(path);
	int fd;

	if (dir)
		return mkdir_p(path, 0755, e);
	*strrchr(parent, '/') = '\0';
	if (mkdir_p(parent, 0755, e) < 0)
		return -1;
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0 && errno != EISDIR)
		return rt_fail(e, errno, "create mount point %s", path);
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Remounting a bind keeps the locked flags of the source, or the kernel refuses. */
static unsigned long locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	return f;
}

static int bind_mount(const char *src, const char *dst, const struct mount_opts *o,
		      struct rt_err *e)
{
	unsigned long rec = o->flags & MS_REC;
	unsigned long extra = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

	if (mount(src, dst, NULL, MS_BIND | rec, NULL) < 0)
		return rt_fail(e, errno, "bind mount %s on %s", src, dst);
	if (extra && mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | extra | locked_flags(dst),
			   NULL) < 0)
		return rt_fail(e, errno, "remount %s with its options", dst);
	return 0;
}

static int fallback_bind(const char *src, const char *dst, struct rt_err *e)
{
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rt_fail(e, errno, "bind mount %s on %s", src, dst);
	return 0;
}

static int mount_one(const struct oci_mount *m, const char *rootfs, const char *cgroup_dir,
		     struct rt_err *e)
{
	struct mount_opts o;
	const char *type = m->type ? m->type : "none";
	cleanup_free char *dst = NULL;
	struct stat st;
	bool is_bind;

	if (mount_parse_options(m->options, &o, e) < 0)
		return -1;
	is_bind = (o.flags & MS_BIND) || !strcmp(type, "bind");
	dst = in_root(rootfs, m->destination, e);
	if (!dst)
		return -1;
	if (make_target(dst, !is_bind || !m->source || stat(m->source, &st) < 0 ||
			      S_ISDIR(st.st_mode), e) < 0)
		return -1;
	if (is_bind) {
		o.flags |= MS_BIND;
		if (bind_mount(m->source, dst, &o, e) < 0)
			return -1;
	} else if (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2")) {
		if (mount("cgroup2", dst, "cgroup2", o.flags, NULL) < 0 &&
		    (!cgroup_dir || fallback_bind(cgroup_dir, dst, e) < 0))
			return rt_fail(e, errno, "mount cgroup2 on %s", m->destination);
	} else if (mount(m->source ? m->source : type, dst, type, o.flags,
			 o.data[0] ? o.data : NULL) < 0) {
		int err = errno;

		if (err == EPERM && !strcmp(type, "sysfs"))
			return fallback_bind("/sys", dst, e);
		if (err == EPERM && !strcmp(type, "mqueue"))
			return fallback_bind("/dev/mqueue", dst, e);
		return rt_fail(e, err, "mount %s (%s) on %s", m->source ? m->source : type, type,
			       m->destination);
	}
	if (o.propagation && mount(NULL, dst, NULL, o.propagation, NULL) < 0)
		return rt_fail(e, errno, "set propagation of %s", m->destination);
	return 0;
}

static const struct {
	const char *name;
	unsigned maj, min;
} default_devices[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static int create_device(const char *dev, const char *name, unsigned maj, unsigned min,
			 bool userns, struct rt_err *e)
{
	cleanup_free char *path = xasprintf("%s/%s", dev, name);
	cleanup_free char *host = xasprintf("/dev/%s", name);
	int fd;

	if (!userns && mknod(path, S_IFCHR | 0666, makedev(maj, min)) == 0) {
		chmod(path, 0666);
		return 0;
	}
	if (!userns && errno == EEXIST)
		return 0;
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
	if (fd >= 0)
		close(fd);
	if (mount(host, path, NULL, MS_BIND, NULL) < 0)
		return rt_fail(e, errno, "bind device %s", host);
	return 0;
}

static int setup_dev(const char *rootfs, bool userns, struct rt_err *e)
{
	cleanup_free char *dev = xasprintf("%s/dev", rootfs);
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" },      { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};

	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
		if (create_device(dev, default_devices[i].name, default_devices[i].maj,
				  default_devices[i].min, userns, e) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		cleanup_free char *p = xasprintf("%s/%s", dev, links[i][1]);

		if (symlink(links[i][0], p) < 0 && errno != EEXIST)
			return rt_fail(e, errno, "symlink %s", p);
	}
	return 0;
}

/* linux.devices[]: mknod with the type, numbers, mode and owner the config gives; where
 * mknod is not allowed (a user namespace) the host's node at the same path is bound
 * instead, as runc does. An existing node is left as it is. */
static int create_config_device(const struct oci_device *d, size_t i, const char *rootfs,
				bool userns, struct rt_err *e)
{
	mode_t type = d->type == 'p' ? S_IFIFO : d->type == 'b' ? S_IFBLK : S_IFCHR;
	cleanup_free char *path = in_root(rootfs, d->path, e);

	if (!path || make_target(path, false, e) < 0)
		return -1;
	unlink(path); /* make_target left an empty file; a node replaces it */
	if (userns || mknod(path, type | (d->mode & 07777), makedev(d->major, d->minor)) < 0) {
		int err = errno;
		int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
		if (!userns && err != EPERM)
			return rt_fail(e, err, "linux.devices[%zu]: mknod %s", i, d->path);
		if (mount(d->path, path, NULL, MS_BIND, NULL) < 0)
			return rt_fail(e, errno, "linux.devices[%zu]: bind the host's %s", i, d->path);
		return 0;
	}
	if (chown(path, d->uid, d->gid) < 0 || chmod(path, d->mode & 07777) < 0)
		return rt_fail(e, errno, "linux.devices[%zu]: set owner and mode of %s", i, d->path);
	return 0;
}

static bool dev_is_mounted(const struct oci_config *c)
{
	for (size_t i = 0; i < c->n_mounts; i++)
		if (!strcmp(c->mounts[i].destination, "/dev"))
			return true;
	return false;
}

int rootfs_prepare(const struct oci_config *c, const char *rootfs, bool userns,
		   const char *cgroup_dir, struct rt_err *e)
{
	/* Without a mount namespace of its own the container shares ours: leave our
	 * propagation alone; everything below hangs off the rootfs bind, which
	 * rootfs_release() detaches when the container goes. */
	if (config_has_namespace(c, CLONE_NEWNS) &&
	    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return rt_fail(e, errno, "make / a slave mount");
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rt_fail(e, errno, "bind mount the rootfs %s", rootfs);
	for (size_t i = 0; i < c->n_mounts; i++)
		if (mount_one(&c->mounts[i], rootfs, cgroup_dir, e) < 0)
			return -1;
	if (dev_is_mounted(c) && setup_dev(rootfs, userns, e) < 0)
		return -1;
	for (size_t i = 0; i < c->n_devices; i++)
		if (create_config_device(&c->devices[i], i, rootfs, userns, e) < 0)
			return -1;
	return 0;
}

/* runc's msMoveRoot: the rootfs moved over / and a chroot, for roots where pivot_root is
 * refused (an initramfs). */
static int move_root(const char *rootfs, struct rt_err *e)
{
	if (chdir(rootfs) < 0)
		return rt_fail(e, errno, "chdir %s", rootfs);
	if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
		return rt_fail(e, errno, "--no-pivot: move %s onto /", rootfs);
	if (chroot(".") < 0 || chdir("/") < 0)
		return rt_fail(e, errno, "--no-pivot: chroot");
	return 0;
}

int rootfs_enter(const struct oci_config *c, const char *rootfs, bool no_pivot,
		 struct rt_err *e)
{
	if (config_has_namespace(c, CLONE_NEWNS))
		return no_pivot ? move_root(rootfs, e) : rootfs_pivot(rootfs, e);
	/* No mount namespace: pivot_root would move the host's root; chroot as runc does. */
	if (chdir(rootfs) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return rt_fail(e, errno, "chroot %s", rootfs);
	return 0;
}

void rootfs_release(const struct oci_config *c, const char *rootfs)
{
	if (c && rootfs && rootfs[0] && !config_has_namespace(c, CLONE_NEWNS))
		umount2(rootfs, MNT_DETACH);
}

int rootfs_pivot(const char *rootfs, struct rt_err *e)
{
	cleanup_close int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);

	if (chdir(rootfs) < 0)
		return rt_fail(e, errno, "chdir %s", rootfs);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return rt_fail(e, errno, "pivot_root %s", rootfs);
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return rt_fail(e, errno, "make the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		return rt_fail(e, errno, "detach the old root");
	if (chdir("/") < 0)
		return rt_fail(e, errno, "chdir /");
	return 0;
}

static int mask_path(const char *p, struct rt_err *e)
{
	struct stat st;

	if (stat(p, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL) < 0)
			return rt_fail(e, errno, "mask %s", p);
	} else if (mount("/dev/null", p, NULL, MS_BIND, NULL) < 0) {
		return rt_fail(e, errno, "mask %s", p);
	}
	return 0;
}

static int readonly_path(const char *p, struct rt_err *e)
{
	if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : rt_fail(e, errno, "bind %s", p);
	if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(p), NULL) < 0)
		return rt_fail(e, errno, "make %s read-only", p);
	return 0;
}

int rootfs_finish(const struct oci_config *c, struct rt_err *e)
{
	const char *prop = c->rootfs_propagation;

	if (prop && prop[0] && config_has_namespace(c, CLONE_NEWNS)) {
		const char *opts[] = { prop, NULL };
		struct mount_opts o;

		if (mount_parse_options((char *const *)opts, &o, e) < 0 ||
		    mount(NULL, "/", NULL, o.propagation, NULL) < 0)
			return rt_fail(e, errno, "linux.rootfsPropagation %s", prop);
	}
	for (size_t i = 0; c->masked_paths && c->masked_paths[i]; i++)
		if (mask_path(c->masked_paths[i], e) < 0)
			return -1;
	for (size_t i = 0; c->readonly_paths && c->readonly_paths[i]; i++)
		if (readonly_path(c->readonly_paths[i], e) < 0)
			return -1;
	if (c->root_readonly &&
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags("/"), NULL) < 0)
		return rt_fail(e, errno, "make the rootfs read-only");
	return 0;
}
