/* Error reporting of the decode-then-invoke paths: a formatted message into the caller's buffer, and -1. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_ERRF_H
#define HYPERVISOR_ERRF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Writes the message into err[errlen] (always terminated when errlen > 0) and returns -1. */
static inline int errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#endif
