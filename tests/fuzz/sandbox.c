/* A private mount namespace with every mount read-only but /tmp (a new tmpfs) and the fuzzer's output folders. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "tests/fuzz/sandbox.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define KEEP_MAX 16

static char keep[KEEP_MAX][PATH_MAX];
static int nkeep;

__attribute__((noreturn)) static void die(const char *what, const char *path)
{
	fprintf(stderr, "fuzz sandbox: %s %s: %s (the file-writing harnesses need root)\n", what,
		path ? path : "", strerror(errno));
	exit(1);
}

/* Makes the folder `path` a mount of its own, so it stays writable. */
static void keep_writable(const char *path)
{
	char real[PATH_MAX];

	if (nkeep == KEEP_MAX || !realpath(path, real))
		return;
	for (int i = 0; i < nkeep; i++)
		if (!strcmp(keep[i], real))
			return;
	if (!strncmp(real, "/tmp/", 5) || !strcmp(real, "/tmp")) {
		errno = EINVAL;
		die("fuzzer folders may not lie under /tmp (it becomes the workspace):", real);
	}
	if (mount(real, real, NULL, MS_BIND, NULL) < 0)
		die("bind", real);
	snprintf(keep[nkeep++], PATH_MAX, "%s", real);
}

static int kept(const char *mp)
{
	if (!strcmp(mp, "/tmp"))
		return 1;
	for (int i = 0; i < nkeep; i++)
		if (!strcmp(keep[i], mp))
			return 1;
	return 0;
}

/* mountinfo field 5 is the mount point, with space, tab, newline and backslash as octal escapes. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static void remount_all_readonly(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], mp[PATH_MAX];

	if (!f)
		die("open", "/proc/self/mountinfo");
	while (fgets(line, sizeof(line), f)) {
		struct statvfs sv;
		unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;

		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		unescape(mp);
		if (kept(mp) || statvfs(mp, &sv) < 0 || (sv.f_flag & ST_RDONLY))
			continue;
		flags |= (sv.f_flag & ST_NOSUID ? MS_NOSUID : 0) | (sv.f_flag & ST_NODEV ? MS_NODEV : 0) |
			 (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
		if (mount(NULL, mp, NULL, flags, NULL) < 0)
			die("remount read-only", mp);
	}
	fclose(f);
}

void fuzz_sandbox(int argc, char **argv)
{
	if (unshare(CLONE_NEWNS) < 0)
		die("unshare", "(mount namespace)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("make private", "/");
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (!strncmp(argv[i], "-artifact_prefix=", 17)) {
			/* A prefix is "DIR/" or "DIR/name-": crash files go into DIR. */
			char dir[PATH_MAX], *slash;
			snprintf(dir, sizeof(dir), "%s", argv[i] + 17);
			slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir] = '\0';
			keep_writable(slash ? dir : ".");
		} else if (argv[i][0] != '-' && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			keep_writable(argv[i]);
		}
	}
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777") < 0)
		die("mount tmpfs on", "/tmp");
	remount_all_readonly();
}
