/* The few system calls newlib needs, provided by the hypervisor itself. */
/* SPDX-License-Identifier: MIT */

#include <errno.h>
#include <reent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include "drivers/serial.h"
#include "kernel/arch/x86.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"

/* Prototypes: newlib declares some of these only for its own build. */
int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
off_t _lseek(int fd, off_t off, int whence);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);
int _gettimeofday(struct timeval *tv, void *tz);
int _open(const char *path, int flags, int mode);
void __malloc_lock(struct _reent *r);
void __malloc_unlock(struct _reent *r);

/* This newlib build calls the plain names; both spellings reach the same code. */
int write(int fd, const void *buf, size_t len) __attribute__((alias("_write")));
int read(int fd, void *buf, size_t len) __attribute__((alias("_read")));
int close(int fd) __attribute__((alias("_close")));
int fstat(int fd, struct stat *st) __attribute__((alias("_fstat")));
int isatty(int fd) __attribute__((alias("_isatty")));
off_t lseek(int fd, off_t off, int whence) __attribute__((alias("_lseek")));
int kill(int pid, int sig) __attribute__((alias("_kill")));
int getpid(void) __attribute__((alias("_getpid")));
int open(const char *path, int flags, int mode) __attribute__((alias("_open")));
int gettimeofday(struct timeval *tv, void *tz) __attribute__((alias("_gettimeofday")));

/* stdout and stderr go to the serial console; there is no file system. */
int _write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	serial_write(buf, len);
	return (int)len;
}

int _read(int fd, void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	errno = EBADF;
	return -1;
}

int _open(const char *path, int flags, int mode)
{
	(void)path, (void)flags, (void)mode;
	errno = ENOENT;
	return -1;
}

int _close(int fd)
{
	(void)fd;
	return 0;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return fd <= 2;
}

off_t _lseek(int fd, off_t off, int whence)
{
	(void)fd, (void)off, (void)whence;
	return 0;
}

void _exit(int status)
{
	panic("exit(%d) called inside the hypervisor", status);
}

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = EINVAL;
	return -1;
}

int _getpid(void)
{
	return 1;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = time_ns();
	(void)tz;
	tv->tv_sec = ns / 1000000000ull;
	tv->tv_usec = (ns % 1000000000ull) / 1000;
	return 0;
}

/* malloc may be entered again on the same CPU (newlib recurses), so the lock counts depth. */
static struct spinlock malloc_spin = SPINLOCK_INIT;
static volatile int32_t malloc_owner = -1;
static uint32_t malloc_depth;
static uint64_t malloc_flags;

static int32_t cpu_id_or_zero(void)
{
	uint64_t gs = rdmsr(MSR_GS_BASE);
	return gs ? (int32_t)((struct percpu *)gs)->index : 0;
}

void __malloc_lock(struct _reent *r)
{
	int32_t me = cpu_id_or_zero();
	uint64_t flags;
	(void)r;
	if (malloc_owner == me) {
		malloc_depth++;
		return;
	}
	flags = spin_lock_irqsave(&malloc_spin);
	malloc_owner = me;
	malloc_depth = 1;
	malloc_flags = flags;
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	if (--malloc_depth)
		return;
	malloc_owner = -1;
	spin_unlock_irqrestore(&malloc_spin, malloc_flags);
}
