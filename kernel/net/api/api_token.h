/* Bearer tokens for the management API: the Authorization check and token text (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_API_TOKEN_H
#define KERNEL_NET_API_API_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether the Authorization field value `field` is "Bearer TOKEN" (RFC 6750 2.1; the
 * scheme is case-insensitive, RFC 9110 11.1) with TOKEN equal to `expected`. The
 * comparison takes the same time whatever the position of the first difference and
 * whatever the presented length, so it tells an attacker nothing about the token.
 */
bool api_token_check(const char *expected, const char *field);
/* Equality of a[0..alen) and b[0..blen) in time depending only on blen. */
bool api_token_equal(const char *a, size_t alen, const char *b, size_t blen);
/* `n` random bytes as 2n lower-case hex digits and a NUL into `out` (2n + 1 bytes). */
void api_token_hex(const uint8_t *bytes, size_t n, char *out);

#endif
