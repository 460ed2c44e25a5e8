/* The kernel log ring: keeps the latest messages for the console's `log` command. */
/* SPDX-License-Identifier: MIT */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "kernel/log.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "drivers/serial.h"

#define LOG_RING_SIZE 256

static struct log_entry ring[LOG_RING_SIZE];
static uint64_t next_seq; /* sequence number of the next message */
static struct spinlock log_lock = SPINLOCK_INIT;
static int echo_on = 1;
static uint64_t echoed_seq; /* deferred mode: messages before this one were shown */

static const char *const level_names[] = { "error", "warn", "info", "debug" };

const char *log_level_name(uint32_t level)
{
	return level < 4 ? level_names[level] : "?";
}

void log_set_echo(int on)
{
	echoed_seq = next_seq;
	echo_on = on;
}

static void echo(const struct log_entry *e)
{
	char line[LOG_TEXT_MAX + 48];
	uint64_t ms = e->time_ns / 1000000;
	int n = snprintf(line, sizeof(line), "[%5llu.%03llu] %s%s%s\n", (unsigned long long)(ms / 1000),
			 (unsigned long long)(ms % 1000), e->level <= LOG_WARN ? log_level_name(e->level) : "",
			 e->level <= LOG_WARN ? ": " : "", e->text);
	if (n > 0)
		serial_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void log_echo_pending(void)
{
	struct log_entry e;

	if (echoed_seq < next_seq - log_count())
		echoed_seq = next_seq - log_count(); /* older ones were overwritten */
	while (echoed_seq < next_seq) {
		if (log_get(log_count() - (size_t)(next_seq - echoed_seq), &e))
			break;
		echo(&e);
		echoed_seq++;
	}
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	struct log_entry e;
	va_list ap;
	uint64_t flags;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(e.text, sizeof(e.text), fmt, ap);
	va_end(ap);
	len = strlen(e.text);
	while (len && (e.text[len - 1] == '\n' || e.text[len - 1] == '\r'))
		e.text[--len] = 0;
	e.level = level;
	e.time_ns = time_ns();
	flags = spin_lock_irqsave(&log_lock);
	e.seq = next_seq++;
	ring[e.seq % LOG_RING_SIZE] = e;
	spin_unlock_irqrestore(&log_lock, flags);
	if (echo_on)
		echo(&e);
}

size_t log_count(void)
{
	return next_seq < LOG_RING_SIZE ? next_seq : LOG_RING_SIZE;
}

int log_get(size_t index, struct log_entry *out)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);
	size_t held = log_count();
	int rc = -1;

	if (index < held) {
		*out = ring[(next_seq - held + index) % LOG_RING_SIZE];
		rc = 0;
	}
	spin_unlock_irqrestore(&log_lock, flags);
	return rc;
}
