/* Fuzz harness of the SYN parser (kernel/net/tcp/tcp_seq.c): any bytes as a received IPv4 datagram.
 * What it accepts is a TCP SYN inside the bytes given, and parsing never reads past them. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/net/tcp/tcp_seq.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1); /* exactly `size` bytes: ASan sees any read past them */
	struct tcp_syn s;

	memcpy(copy, data, size);
	if (tcp_syn_parse(copy, size, &s)) {
		size_t ihl = (size_t)(copy[0] & 0x0f) * 4, total = (size_t)(copy[2] << 8 | copy[3]);
		FUZZ_CHECK(size >= 40 && (copy[0] >> 4) == 4 && copy[9] == 6);
		FUZZ_CHECK(ihl >= 20 && total >= ihl + 20 && total <= size);
		FUZZ_CHECK((copy[ihl + 13] & 0x17) == 0x02);
		FUZZ_CHECK(s.tuple.local_port == (uint16_t)(copy[ihl + 2] << 8 | copy[ihl + 3]));
		/* the rule's answer does not depend on anything but its arguments */
		FUZZ_CHECK(tcp_timewait_may_reopen(s.seq, s.seq, 1, 0) == false);
	}
	free(copy);
	return 0;
}
