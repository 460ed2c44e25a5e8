/* Host unit tests of the `net` and `api` lines of bulwark.cfg. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/net/net_config.h"

static void test_ipv4(void **state)
{
	uint32_t a;
	(void)state;
	assert_int_equal(net_parse_ipv4("10.0.2.15", &a), 0);
	assert_int_equal(a, 0x0a00020f);
	assert_int_equal(net_parse_ipv4("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffff);
	assert_int_equal(net_parse_ipv4("0.0.0.0", &a), 0);
	assert_int_equal(net_parse_ipv4("256.1.1.1", &a), -1);
	assert_int_equal(net_parse_ipv4("1.2.3", &a), -1);
	assert_int_equal(net_parse_ipv4("1.2.3.4.5", &a), -1);
	assert_int_equal(net_parse_ipv4("01.2.3.4", &a), -1);
	assert_int_equal(net_parse_ipv4("1..3.4", &a), -1);
	assert_int_equal(net_parse_ipv4("1.2.3.4 ", &a), -1);
	assert_int_equal(net_parse_ipv4("", &a), -1);
	assert_int_equal(net_parse_ipv4("11111.2.3.4", &a), -1);
}

struct bad_log {
	unsigned lines[8];
	int n;
};

static void bad(void *ctx, unsigned line, const char *why)
{
	struct bad_log *b = ctx;
	(void)why;
	if (b->n < 8)
		b->lines[b->n++] = line;
}

static void test_file(void **state)
{
	static const char text[] = "# comment\n"
				   "vm a image=hello.elf\n"
				   "net ip=192.168.1.20 mask=/24 gw=192.168.1.1 dns=9.9.9.9\n"
				   "api port=9000 token=abcdefghijklmnop0123 metrics=open\n"
				   "net ip=300.1.1.1\n"
				   "api port=0\n"
				   "api token=short\n"
				   "api token=has*star*in*it*here\n"
				   "net ip=10.0.0.5 gw=10.0.1.1\n"
				   "net echo=7\n"
				   "net echo=70000\n";
	struct net_config c;
	struct bad_log b = { 0 };

	(void)state;
	net_config_defaults(&c);
	assert_true(c.dhcp);
	assert_int_equal(c.api_port, 8080);
	assert_int_equal(net_config_parse_file(&c, text, strlen(text), bad, &b), 6);
	assert_int_equal(b.lines[0], 5);
	assert_int_equal(b.lines[1], 6);
	assert_int_equal(b.lines[2], 7);
	assert_int_equal(b.lines[3], 8);
	assert_int_equal(b.lines[4], 9); /* the gateway outside the /24 */
	/* the good lines applied, the bad ones changed nothing */
	assert_false(c.dhcp);
	assert_int_equal(c.ip, 0xc0a80114);
	assert_int_equal(c.mask, 0xffffff00);
	assert_int_equal(c.gw, 0xc0a80101);
	assert_int_equal(c.dns, 0x09090909);
	assert_int_equal(c.api_port, 9000);
	assert_string_equal(c.token, "abcdefghijklmnop0123");
	assert_true(c.metrics_open);
	assert_int_equal(c.echo_port, 7);
	assert_int_equal(b.lines[5], 11);
}

static void test_masks(void **state)
{
	struct net_config c;
	char err[160];
	char w0[] = "net", w1[] = "ip=10.1.2.3", w2[] = "mask=255.255.0.0", w3[] = "mask=255.0.255.0", w4[] = "mask=/33";
	char *ok[] = { w0, w1, w2 }, *holes[] = { w0, w3 }, *big[] = { w0, w4 };

	(void)state;
	net_config_defaults(&c);
	assert_int_equal(net_config_words(&c, 3, ok, err, sizeof(err)), 0);
	assert_int_equal(c.mask, 0xffff0000);
	assert_int_equal(net_config_words(&c, 2, holes, err, sizeof(err)), -1);
	assert_int_equal(net_config_words(&c, 2, big, err, sizeof(err)), -1);
	assert_int_equal(c.mask, 0xffff0000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_masks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
