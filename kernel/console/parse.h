/* Pure parsing helpers for console commands: argv splitting, numbers with suffixes, options. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_PARSE_H
#define KERNEL_CONSOLE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARSE_ARGV_MAX 32
#define PARSE_ERR_MAX 128

/*
 * Splits `line` in place into at most `max` words. Words are separated by
 * spaces or tabs; "double quotes" group words and may hold \" and \\; outside
 * quotes a backslash takes the next character literally. Returns argc (0 for
 * a blank line), or -1 with a static message in *err (unterminated quote,
 * trailing backslash, too many words).
 */
int parse_split(char *line, char **argv, int max, const char **err);

/* Decimal, or hexadecimal with 0x. Returns 0, or -1 if `s` is not such a number or overflows. */
int parse_u64(const char *s, uint64_t *out);

/*
 * A size in bytes: a number optionally followed by K, M, G or T (binary
 * multiples; KiB/MiB/GiB/TiB and a lower-case letter are accepted too), e.g.
 * 4096, 64M, 1G. Returns 0, or -1 on a bad suffix, a bad number or overflow.
 */
int parse_size(const char *s, uint64_t *bytes);

/* One option a command accepts: a flag ("--json") or one with a number ("-n N", "-n=N"). */
struct parse_opt {
	const char *name;
	bool takes_number;
	bool seen;      /* set by parse_opts */
	uint64_t value; /* set by parse_opts when takes_number */
};

/*
 * Takes the options out of argv[1..*argc) and leaves the other words in
 * order, argv[0] kept; "--" ends the options. Returns 0, or -1 with a message
 * in `err` (an unknown option, a missing or bad number). The message quotes
 * operator input as typed; print it through an escaping function.
 */
int parse_opts(int *argc, char **argv, struct parse_opt *opts, size_t nopts, char *err, size_t errlen);

/* The option called `name` in `opts`, or NULL. */
struct parse_opt *parse_opt_find(struct parse_opt *opts, size_t nopts, const char *name);

#endif
