/* The kernel log: a ring of recent messages, mirrored to the serial console. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

#define LOG_TEXT_MAX 160

struct log_entry {
	uint64_t seq;     /* 0 for the first message since boot */
	uint64_t time_ns; /* since boot */
	uint32_t level;   /* enum log_level */
	char text[LOG_TEXT_MAX]; /* NUL-terminated, no trailing newline */
};

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)

/* Messages currently held in the ring (oldest first: index 0). */
size_t log_count(void);
/* Copies message `index` (0 = oldest held); returns 0, or -1 if index >= log_count(). */
int log_get(size_t index, struct log_entry *out);
const char *log_level_name(uint32_t level);

/* Whether new messages are echoed to the serial console as they arrive (on until the console starts). */
void log_set_echo(int on);
/* Echoes the messages that arrived since echo was turned off or since the last call. */
void log_echo_pending(void);

#endif
