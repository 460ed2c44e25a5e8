/* A byte ring that keeps the newest bytes, addressed by stream position: guest serial output. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include "kernel/byte_ring.h"

/*
 * Byte number p of the stream lives at buf[p & (size - 1)] while
 * written - size <= p < written. Writers and readers both take the lock
 * with interrupts off, so a CPU's interrupt handler may write too.
 */

void byte_ring_init(struct byte_ring *r, uint8_t *buf, size_t size)
{
	if (!r)
		return;
	r->buf = buf;
	/* A size that is not a power of two would break the masking: hold nothing instead. */
	r->size = (buf && size && (size & (size - 1)) == 0) ? size : 0;
	r->written = 0;
	r->lock.locked = 0;
}

static void ring_put(struct byte_ring *r, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		r->buf[(r->written + i) & (r->size - 1)] = src[i];
	r->written += len;
}

void byte_ring_write(struct byte_ring *r, const void *data, size_t len)
{
	const uint8_t *src = data;
	uint64_t flags;

	if (!r || !data || len == 0)
		return;
	flags = spin_lock_irqsave(&r->lock);
	if (r->size == 0) {
		r->written += len;
	} else {
		/* Only the last `size` bytes of a long write can survive: skip the rest. */
		size_t skip = len > r->size ? len - r->size : 0;

		r->written += skip;
		ring_put(r, src + skip, len - skip);
	}
	spin_unlock_irqrestore(&r->lock, flags);
}

static uint64_t ring_oldest(const struct byte_ring *r)
{
	return r->written > r->size ? r->written - r->size : 0;
}

size_t byte_ring_read(struct byte_ring *r, uint64_t *pos, void *out, size_t len)
{
	uint8_t *dst = out;
	uint64_t flags, p;
	size_t n = 0;

	if (!r || !pos || (!out && len))
		return 0;
	flags = spin_lock_irqsave(&r->lock);
	p = *pos;
	if (p < ring_oldest(r))
		p = ring_oldest(r);
	if (p > r->written)
		p = r->written;
	while (n < len && p < r->written) {
		dst[n++] = r->buf[p & (r->size - 1)];
		p++;
	}
	*pos = p;
	spin_unlock_irqrestore(&r->lock, flags);
	return n;
}

uint64_t byte_ring_written(struct byte_ring *r)
{
	uint64_t flags, w;

	if (!r)
		return 0;
	flags = spin_lock_irqsave(&r->lock);
	w = r->written;
	spin_unlock_irqrestore(&r->lock, flags);
	return w;
}
