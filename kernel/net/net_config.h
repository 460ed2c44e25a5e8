/* The management network's settings from bulwark.cfg: `net ...` and `api ...` lines (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_NET_CONFIG_H
#define KERNEL_NET_NET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define API_TOKEN_MAX 128 /* characters, without the NUL */
#define API_TOKEN_MIN 16
#define API_DEFAULT_PORT 8080

/* Addresses in host byte order (10.0.2.15 is 0x0a00020f). */
struct net_config {
	bool dhcp;              /* no ip= given */
	uint32_t ip, mask, gw, dns;
	uint16_t echo_port;     /* a TCP echo service for benchmarks; 0 = off */
	bool api_enabled;       /* `api off` turns the listener off */
	uint16_t api_port;
	char token[API_TOKEN_MAX + 1]; /* "" = generate one at boot */
	bool metrics_open;      /* /metrics without a token (`api metrics=open`) */
};

void net_config_defaults(struct net_config *c);
/* A dotted quad "a.b.c.d", each part 0-255 without leading zeros. 0 or -1. */
int net_parse_ipv4(const char *s, uint32_t *out);
/*
 * Applies one line's words (words[0] is "net" or "api"):
 *   net [dhcp] [ip=A.B.C.D] [mask=A.B.C.D|/N] [gw=A.B.C.D] [dns=A.B.C.D] [echo=PORT]
 *   api [off] [port=N] [token=T] [metrics=open|token]
 * Returns 0, or -1 with `err` naming the bad word; `c` is unchanged then.
 */
int net_config_words(struct net_config *c, int n, char **words, char *err, size_t errlen);
/*
 * Reads every `net` and `api` line of a bulwark.cfg text (other lines are the VM
 * parser's), reporting bad ones to `bad` with their line number. Returns the count of bad lines.
 */
int net_config_parse_file(struct net_config *c, const char *text, size_t len,
			  void (*bad)(void *ctx, unsigned line, const char *why), void *ctx);

#endif
