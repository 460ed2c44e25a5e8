/* TCP sequence-number policy: RFC 6528 initial sequence numbers, RFC 1122 TIME-WAIT reopening. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/tcp/tcp_seq.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND()                                                                                 \
	do {                                                                                       \
		v0 += v1, v1 = ROTL(v1, 13), v1 ^= v0, v0 = ROTL(v0, 32);                          \
		v2 += v3, v3 = ROTL(v3, 16), v3 ^= v2;                                             \
		v0 += v3, v3 = ROTL(v3, 21), v3 ^= v0;                                             \
		v2 += v1, v1 = ROTL(v1, 17), v1 ^= v2, v2 = ROTL(v2, 32);                          \
	} while (0)

static uint64_t le64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint64_t siphash24(const uint64_t k[2], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t v0 = k[0] ^ 0x736f6d6570736575ull, v1 = k[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = k[0] ^ 0x6c7967656e657261ull, v3 = k[1] ^ 0x7465646279746573ull;
	uint64_t m;
	size_t left = len;

	for (; left >= 8; p += 8, left -= 8) {
		m = le64(p, 8);
		v3 ^= m;
		SIPROUND();
		SIPROUND();
		v0 ^= m;
	}
	m = le64(p, left) | ((uint64_t)(len & 0xff) << 56);
	v3 ^= m;
	SIPROUND();
	SIPROUND();
	v0 ^= m;
	v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		SIPROUND();
	return v0 ^ v1 ^ v2 ^ v3;
}

uint32_t tcp_isn(const uint64_t key[2], const struct tcp_tuple *t, uint64_t now_ns)
{
	uint8_t b[12];

	for (int i = 0; i < 4; i++) {
		b[i] = (uint8_t)(t->local_ip >> (8 * i));
		b[4 + i] = (uint8_t)(t->remote_ip >> (8 * i));
	}
	b[8] = (uint8_t)t->local_port, b[9] = (uint8_t)(t->local_port >> 8);
	b[10] = (uint8_t)t->remote_port, b[11] = (uint8_t)(t->remote_port >> 8);
	return (uint32_t)(now_ns / 4000) + (uint32_t)siphash24(key, b, sizeof(b));
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071: the ones' complement sum of 16-bit words; a header with its checksum sums to 0xffff. */
static bool ip_header_sum_ok(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

bool tcp_syn_parse(const uint8_t *ip, size_t len, struct tcp_syn *out)
{
	size_t ihl, total;
	const uint8_t *tcp;
	uint8_t flags;

	/* RFC 791 3.1: version 4, IHL in 32-bit words (at least 5), total length, no fragment */
	if (len < 20 || (ip[0] >> 4) != 4)
		return false;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = be16(ip + 2);
	if (ihl < 20 || total < ihl || total > len || ip[9] != 6 /* TCP */)
		return false;
	if ((be16(ip + 6) & 0x3fff) != 0) /* MF set or a fragment offset */
		return false;
	/* RFC 9293 3.1: data offset in 32-bit words, at least 5; flags in byte 13 */
	tcp = ip + ihl;
	if (total - ihl < 20 || (size_t)(tcp[12] >> 4) * 4 < 20 || (size_t)(tcp[12] >> 4) * 4 > total - ihl)
		return false;
	flags = tcp[13];
	if (!(flags & 0x02) || (flags & (0x10 | 0x04 | 0x01))) /* SYN; not ACK, RST or FIN */
		return false;
	/* summed last: every datagram passes through here, few are SYNs */
	if (!ip_header_sum_ok(ip, ihl))
		return false;
	out->tuple.remote_ip = be32(ip + 12);
	out->tuple.local_ip = be32(ip + 16);
	out->tuple.remote_port = be16(tcp);
	out->tuple.local_port = be16(tcp + 2);
	out->seq = be32(tcp + 4);
	return true;
}

static bool seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

bool tcp_timewait_may_reopen(uint32_t syn_seq, uint32_t tw_rcv_nxt, uint32_t new_isn, uint32_t tw_snd_nxt)
{
	return seq_after(syn_seq, tw_rcv_nxt) && seq_after(new_isn, tw_snd_nxt);
}
