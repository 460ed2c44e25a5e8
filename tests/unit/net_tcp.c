/* Host unit tests of the TCP sequence-number policy (kernel/net/tcp/tcp_seq.c): SipHash-2-4, RFC 6528
 * initial sequence numbers, the SYN parser, and RFC 1122's rule for a SYN in TIME-WAIT. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/net/tcp/tcp_seq.h"

/* The key 00 01 .. 0f of the SipHash paper's test vectors, as two little-endian words. */
static const uint64_t ref_key[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };

static void test_siphash_vectors(void **state)
{
	uint8_t msg[64];
	(void)state;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	/* SipHash paper, appendix A, and the reference implementation's vectors.h */
	assert_true(siphash24(ref_key, msg, 0) == 0x726fdb47dd0e0e31ull);
	assert_true(siphash24(ref_key, msg, 1) == 0x74f839c593dc67fdull);
	assert_true(siphash24(ref_key, msg, 8) == 0x93f5f5799a932462ull);
	assert_true(siphash24(ref_key, msg, 15) == 0xa129ca6149be45e5ull);
	assert_true(siphash24(ref_key, msg, 63) == 0x958a324ceb064572ull);
}

static const struct tcp_tuple tup = { 0x0a00020f, 0x0a000202, 8080, 55696 };

static void test_isn_clock_and_key(void **state)
{
	const uint64_t other_key[2] = { 1, 2 };
	struct tcp_tuple t2 = tup;
	uint32_t a = tcp_isn(ref_key, &tup, 1000000000ull), b = tcp_isn(ref_key, &tup, 2000000000ull);
	(void)state;
	/* RFC 6528 3: M is a 4 us timer: one second later the same connection's ISN is 250,000 on */
	assert_int_equal((uint32_t)(b - a), 250000);
	assert_int_equal(tcp_isn(ref_key, &tup, 1000003999ull), a);
	assert_int_equal(tcp_isn(ref_key, &tup, 1000004000ull), a + 1);
	/* F depends on every field of the tuple and on the key */
	t2.remote_port++;
	assert_int_not_equal(tcp_isn(ref_key, &t2, 1000000000ull), a);
	t2 = tup, t2.local_port++;
	assert_int_not_equal(tcp_isn(ref_key, &t2, 1000000000ull), a);
	t2 = tup, t2.remote_ip ^= 1;
	assert_int_not_equal(tcp_isn(ref_key, &t2, 1000000000ull), a);
	t2 = tup, t2.local_ip ^= 0x100;
	assert_int_not_equal(tcp_isn(ref_key, &t2, 1000000000ull), a);
	assert_int_not_equal(tcp_isn(other_key, &tup, 1000000000ull), a);
	/* the clock part wraps modulo 2^32 */
	assert_int_equal((uint32_t)(tcp_isn(ref_key, &tup, 4000ull * 0x100000000ull) - tcp_isn(ref_key, &tup, 0)), 0);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16)), put16(p + 2, (uint16_t)v);
}

static void ip_sum(uint8_t *ip, size_t ihl)
{
	uint32_t sum = 0;
	put16(ip + 10, 0);
	for (size_t i = 0; i < ihl; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, (uint16_t)~sum);
}

/* A SYN from 10.0.2.2:55696 to 10.0.2.15:8080 with seq 5504001 and the MSS option (44 bytes). */
static size_t make_syn(uint8_t *b, uint8_t flags)
{
	memset(b, 0, 64);
	b[0] = 0x45, put16(b + 2, 44), put16(b + 6, 0x4000 /* DF */), b[8] = 64, b[9] = 6;
	put32(b + 12, 0x0a000202), put32(b + 16, 0x0a00020f);
	put16(b + 20, 55696), put16(b + 22, 8080), put32(b + 24, 5504001);
	b[32] = 6 << 4, b[33] = flags, put16(b + 34, 65535);
	b[40] = 2, b[41] = 4, put16(b + 42, 1460);
	ip_sum(b, 20);
	return 44;
}

static void test_syn_parse(void **state)
{
	uint8_t b[64];
	struct tcp_syn s;
	size_t n = make_syn(b, 0x02);
	(void)state;
	assert_true(tcp_syn_parse(b, n, &s));
	assert_int_equal(s.tuple.remote_ip, 0x0a000202);
	assert_int_equal(s.tuple.local_ip, 0x0a00020f);
	assert_int_equal(s.tuple.remote_port, 55696);
	assert_int_equal(s.tuple.local_port, 8080);
	assert_int_equal(s.seq, 5504001);
	assert_true(tcp_syn_parse(b, 60, &s)); /* Ethernet padding after the datagram */
	make_syn(b, 0x02 | 0x08);              /* PSH with the SYN is still a SYN */
	assert_true(tcp_syn_parse(b, n, &s));
}

static void test_syn_parse_refuses(void **state)
{
	static const uint8_t not_syn[] = { 0x12 /* SYN-ACK */, 0x10, 0x04, 0x06 /* SYN-RST */, 0x03 /* SYN-FIN */, 0x00 };
	uint8_t b[64];
	struct tcp_syn s;
	size_t n;
	(void)state;
	for (size_t i = 0; i < sizeof(not_syn); i++) {
		n = make_syn(b, not_syn[i]);
		assert_false(tcp_syn_parse(b, n, &s));
	}
	n = make_syn(b, 0x02);
	for (size_t cut = 0; cut < n; cut++) /* every truncation */
		assert_false(tcp_syn_parse(b, cut, &s));
	make_syn(b, 0x02), b[0] = 0x65, ip_sum(b, 20); /* IPv6's version */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), b[0] = 0x44, ip_sum(b, 16); /* IHL below 5 */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), b[0] = 0x4f, ip_sum(b, 20); /* IHL past the datagram */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), b[9] = 17, ip_sum(b, 20); /* UDP */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), put16(b + 6, 0x2000), ip_sum(b, 20); /* more fragments */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), put16(b + 6, 0x0001), ip_sum(b, 20); /* a fragment offset */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), put16(b + 2, 64), ip_sum(b, 20); /* total length past the buffer */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), put16(b + 2, 36), ip_sum(b, 20); /* TCP header cut by the total length */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), b[32] = 4 << 4; /* data offset below 5 */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), b[32] = 7 << 4; /* data offset past the segment */
	assert_false(tcp_syn_parse(b, n, &s));
	make_syn(b, 0x02), b[15] ^= 1; /* a bad header checksum */
	assert_false(tcp_syn_parse(b, n, &s));
}

static void test_timewait_reopen(void **state)
{
	(void)state;
	/* RFC 1122 4.2.2.13: both the peer's SYN and our new ISN must be past the old connection */
	assert_true(tcp_timewait_may_reopen(5504001, 1792189, 900000, 7000));
	assert_false(tcp_timewait_may_reopen(1792189, 1792189, 900000, 7000)); /* not after */
	assert_false(tcp_timewait_may_reopen(1792000, 1792189, 900000, 7000)); /* before: an old duplicate */
	assert_false(tcp_timewait_may_reopen(5504001, 1792189, 7000, 7000));   /* our ISN not past what we sent */
	assert_false(tcp_timewait_may_reopen(5504001, 1792189, 6000, 7000));
	/* modulo 2^32 */
	assert_true(tcp_timewait_may_reopen(10, 0xfffffff0u, 5, 0xffffff00u));
	assert_false(tcp_timewait_may_reopen(0xfffffff0u, 10, 5, 0xffffff00u));
	assert_false(tcp_timewait_may_reopen(0x80000000u + 5, 5, 900000, 7000)); /* half the space away */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),  cmocka_unit_test(test_isn_clock_and_key),
		cmocka_unit_test(test_syn_parse),        cmocka_unit_test(test_syn_parse_refuses),
		cmocka_unit_test(test_timewait_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
