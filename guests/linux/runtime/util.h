/* Shared helpers for bwrun: errors, cleanup attributes, small file utilities. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_UTIL_H
#define BWRUN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Every fallible function takes a `struct rt_err *` last and returns -1 on error. */
struct rt_err {
	int errnum;       /* errno of the underlying failure, 0 if none */
	char msg[1024];   /* human-readable, already includes strerror */
};

int rt_fail(struct rt_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints "bwrun: MSG" on stderr and hands MSG to rt_err_sink (the --log file) if set. */
void rt_err_print(const struct rt_err *e);
extern void (*rt_err_sink)(const char *msg);

/* Cleanup attributes (GCC): release on every path. */
void cleanup_freep(void *p);
void cleanup_closep(int *fd);
void cleanup_fclosep(FILE **f);
void cleanup_strvp(char ***v);
#define cleanup_free __attribute__((cleanup(cleanup_freep)))
#define cleanup_close __attribute__((cleanup(cleanup_closep)))
#define cleanup_fclose __attribute__((cleanup(cleanup_fclosep)))
#define cleanup_strv __attribute__((cleanup(cleanup_strvp)))

static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

static inline void *steal_ptr(void *pp)
{
	void **p = pp;
	void *r = *p;
	*p = NULL;
	return r;
}

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void strv_free(char **v);
size_t strv_len(char *const *v);

int read_file(const char *path, char **out, size_t *len, struct rt_err *e);
int write_file(const char *path, const char *data, size_t len, struct rt_err *e);
int write_file_str(const char *path, const char *s, struct rt_err *e);
int write_file_atomic(const char *path, const char *data, size_t len, struct rt_err *e);
int mkdir_p(const char *path, mode_t mode, struct rt_err *e);
int rm_rf(const char *path);
/* Removes NAME under DIRFD recursively, never following symlinks. */
int rm_rf_at(int dirfd, const char *name);
bool path_exists(const char *path);
ssize_t write_all(int fd, const void *buf, size_t len);
int64_t now_ns(void);
void iso8601_now(char *buf, size_t n);

#endif
