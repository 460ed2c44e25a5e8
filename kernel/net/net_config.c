/* Parsing the `net` and `api` lines of bulwark.cfg. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/net_config.h"

#include <stdio.h>
#include <string.h>
#include "kernel/console/parse.h"

#define LINE_MAX_BYTES 512

void net_config_defaults(struct net_config *c)
{
	memset(c, 0, sizeof(*c));
	c->dhcp = true;
	c->mask = 0xffffff00u;
	c->api_enabled = true;
	c->api_port = API_DEFAULT_PORT;
}

int net_parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			if (digits == 1 && n == 0)
				return -1; /* a leading zero: "010" could mean octal elsewhere */
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || n > 255)
			return -1;
		v = v << 8 | n;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*out = v;
	return 0;
}

static int parse_mask(const char *s, uint32_t *out)
{
	uint64_t bits;

	if (s[0] == '/') {
		if (parse_u64(s + 1, &bits) || bits > 32)
			return -1;
		*out = bits ? (uint32_t)(0xffffffffull << (32 - bits)) : 0;
		return 0;
	}
	if (net_parse_ipv4(s, out))
		return -1;
	return (~*out & (~*out + 1)) ? -1 : 0; /* ones then zeros only */
}

static bool token_char_ok(char ch)
{
	/* RFC 6750 2.1 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" (and trailing "=") */
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("-._~+/=", ch) != NULL;
}

static int set_token(struct net_config *c, const char *v, char *err, size_t errlen)
{
	size_t n = strlen(v);

	if (n < API_TOKEN_MIN || n > API_TOKEN_MAX)
		return snprintf(err, errlen, "token= needs %d to %d characters", API_TOKEN_MIN, API_TOKEN_MAX), -1;
	for (size_t i = 0; i < n; i++)
		if (!token_char_ok(v[i]))
			return snprintf(err, errlen, "token= may hold only letters, digits and -._~+/="), -1;
	memcpy(c->token, v, n + 1);
	return 0;
}

static int net_word(struct net_config *c, const char *w, char *err, size_t errlen)
{
	uint64_t port;
	const char *eq = strchr(w, '=');
	const char *v = eq ? eq + 1 : "";
	size_t k = eq ? (size_t)(eq - w) : strlen(w);

	if (!eq && !strcmp(w, "dhcp"))
		return c->dhcp = true, 0;
	if (k == 2 && !strncmp(w, "ip", 2) && !net_parse_ipv4(v, &c->ip))
		return c->dhcp = false, 0;
	if (k == 4 && !strncmp(w, "mask", 4) && !parse_mask(v, &c->mask))
		return 0;
	if (k == 2 && !strncmp(w, "gw", 2) && !net_parse_ipv4(v, &c->gw))
		return 0;
	if (k == 3 && !strncmp(w, "dns", 3) && !net_parse_ipv4(v, &c->dns))
		return 0;
	if (k == 4 && !strncmp(w, "echo", 4) && !parse_u64(v, &port) && port > 0 && port < 65536)
		return c->echo_port = (uint16_t)port, 0;
	return snprintf(err, errlen, "bad net setting '%.40s'; expected dhcp, ip=A.B.C.D, mask=A.B.C.D or /N, "
			"gw=A.B.C.D, dns=A.B.C.D, echo=PORT", w), -1;
}

static int api_word(struct net_config *c, const char *w, char *err, size_t errlen)
{
	uint64_t port;

	if (!strcmp(w, "off"))
		return c->api_enabled = false, 0;
	if (!strncmp(w, "port=", 5)) {
		if (parse_u64(w + 5, &port) || port == 0 || port > 65535)
			return snprintf(err, errlen, "port= needs a number from 1 to 65535"), -1;
		c->api_port = (uint16_t)port;
		return 0;
	}
	if (!strncmp(w, "token=", 6))
		return set_token(c, w + 6, err, errlen);
	if (!strcmp(w, "metrics=open"))
		return c->metrics_open = true, 0;
	if (!strcmp(w, "metrics=token"))
		return c->metrics_open = false, 0;
	return snprintf(err, errlen, "bad api setting '%.40s'; expected off, port=N, token=T, metrics=open|token", w), -1;
}

int net_config_words(struct net_config *c, int n, char **words, char *err, size_t errlen)
{
	struct net_config next = *c;
	bool is_net = n > 0 && !strcmp(words[0], "net");

	if (n <= 0 || (!is_net && strcmp(words[0], "api")))
		return snprintf(err, errlen, "expected a 'net' or 'api' line"), -1;
	for (int i = 1; i < n; i++)
		if ((is_net ? net_word : api_word)(&next, words[i], err, errlen))
			return -1;
	if (is_net && !next.dhcp && (next.gw & next.mask) != (next.ip & next.mask) && next.gw)
		return snprintf(err, errlen, "gw= is not in the ip=/mask= network"), -1;
	*c = next;
	return 0;
}

int net_config_parse_file(struct net_config *c, const char *text, size_t len,
			  void (*bad)(void *ctx, unsigned line, const char *why), void *ctx)
{
	char line[LINE_MAX_BYTES], err[160], *words[PARSE_ARGV_MAX];
	const char *why;
	unsigned no = 0;
	int errors = 0, n;

	for (size_t i = 0; i < len;) {
		size_t start = i;
		while (i < len && text[i] != '\n')
			i++;
		no++;
		if (i - start >= sizeof(line) || memchr(text + start, 0, i - start)) {
			i++;
			continue; /* the VM parser reports those */
		}
		memcpy(line, text + start, i - start);
		line[i - start] = 0;
		i++;
		line[strcspn(line, "#")] = 0;
		n = parse_split(line, words, PARSE_ARGV_MAX, &why);
		if (n <= 0 || (strcmp(words[0], "net") && strcmp(words[0], "api")))
			continue;
		if (net_config_words(c, n, words, err, sizeof(err))) {
			bad(ctx, no, err);
			errors++;
		}
	}
	return errors;
}
