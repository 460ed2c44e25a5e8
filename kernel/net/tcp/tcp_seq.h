/* TCP sequence-number policy of the management network, pure logic (host-tested):
 * initial sequence numbers as RFC 6528 gives them, and the rule of RFC 1122 4.2.2.13 for a SYN
 * that arrives for a connection in TIME-WAIT. lwIP's own glue is kernel/net/port/lwip_hooks.c. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_TCP_TCP_SEQ_H
#define KERNEL_NET_TCP_TCP_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_tuple {
	uint32_t local_ip, remote_ip; /* host byte order */
	uint16_t local_port, remote_port;
};

/* What tcp_syn_parse() takes from a segment that opens a connection. */
struct tcp_syn {
	struct tcp_tuple tuple; /* as seen by the receiver: local = destination */
	uint32_t seq;
};

/* SipHash-2-4 of `len` bytes under the 128-bit key k[0], k[1] (the reference's byte order). */
uint64_t siphash24(const uint64_t k[2], const void *data, size_t len);

/*
 * RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 us clock
 * (`now_ns` / 4000) and F a keyed hash. A connection's ISN is not guessable from another's, and
 * for one address pair it grows 250,000 a second, so a new incarnation starts above what the
 * last one sent unless that was more than 250 KB in each second between them.
 */
uint32_t tcp_isn(const uint64_t key[2], const struct tcp_tuple *t, uint64_t now_ns);

/*
 * An IPv4 datagram (`len` bytes from its header) that is a TCP SYN without ACK or RST, not a
 * fragment, with consistent header lengths: true, and *out filled. Anything else: false.
 */
bool tcp_syn_parse(const uint8_t *ip, size_t len, struct tcp_syn *out);

/*
 * RFC 1122 4.2.2.13: a SYN for a connection in TIME-WAIT may reopen it when its sequence number
 * is beyond what the old connection received (`tw_rcv_nxt`) and the new incarnation's ISN is
 * beyond what the old one sent (`tw_snd_nxt`), comparisons modulo 2^32 (RFC 793 3.3).
 */
bool tcp_timewait_may_reopen(uint32_t syn_seq, uint32_t tw_rcv_nxt, uint32_t new_isn, uint32_t tw_snd_nxt);

#endif
