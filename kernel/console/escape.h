/* Making untrusted text safe to show: on the operator's terminal and inside JSON strings. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_ESCAPE_H
#define KERNEL_CONSOLE_ESCAPE_H

#include <stddef.h>

/*
 * Copies `in` to `out` (always NUL-terminated when outlen > 0) with every byte
 * outside printable ASCII written as \xNN, so no escape sequence or control
 * byte reaches the terminal. Truncates at a whole character. Returns `out`.
 */
char *escape_text(const char *in, char *out, size_t outlen);

/*
 * Writes `in` as the body of a JSON string (no quotes): " and \ escaped,
 * bytes below 0x20 and from 0x7f up as \u00XX, so the result is ASCII and
 * always valid JSON. Same truncation and return as escape_text().
 */
char *escape_json(const char *in, char *out, size_t outlen);

#endif
