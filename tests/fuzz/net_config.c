/* Fuzz harness of the `net` and `api` lines of bulwark.cfg: any bytes as the file; what is accepted is in range. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/net/net_config.h"
#include "tests/fuzz/fuzz.h"

static unsigned lines, last_bad;

static void bad(void *ctx, unsigned line, const char *why)
{
	(void)ctx;
	FUZZ_CHECK(line >= 1 && line <= lines && line > last_bad);
	FUZZ_CHECK(why && why[0]);
	last_bad = line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_config c;
	size_t tok;

	lines = last_bad = 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	lines += size && data[size - 1] != '\n';
	net_config_defaults(&c);
	FUZZ_CHECK(net_config_parse_file(&c, (const char *)data, size, bad, NULL) >= 0);
	tok = strnlen(c.token, sizeof(c.token));
	FUZZ_CHECK(tok < sizeof(c.token) && (tok == 0 || tok >= API_TOKEN_MIN));
	FUZZ_CHECK(c.api_port != 0);
	FUZZ_CHECK(c.dhcp || (c.gw == 0 || (c.gw & c.mask) == (c.ip & c.mask)));
	FUZZ_CHECK(((~c.mask) & (~c.mask + 1)) == 0); /* a mask is ones then zeros */
	return 0;
}
