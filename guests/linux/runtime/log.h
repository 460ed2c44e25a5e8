/* The --log file: errors, warnings and --debug lines as runc writes them (text or json). */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_LOG_H
#define BWRUN_LOG_H

#include <stdbool.h>

#include "util.h"

/* PATH NULL: no log file (stderr only). FORMAT "text" or "json" (NULL: text). */
int log_setup(const char *path, const char *format, bool debug, struct rt_err *e);
/* A warning: to stderr ("bwrun: warning: ...") and to the log file. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A --debug line: to the log file, or to stderr without one; nothing without --debug. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
