/* Guest RAM for the virtio devices: every copy checked against the VM's RAM and split at pages. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/virtio/vram.h"

#define VRAM_PAGE 4096u

bool vram_contains(const struct vram *r, uint64_t gpa, uint64_t len)
{
	return gpa <= r->size && len <= r->size - gpa;
}

/* Calls back for each page-bounded piece of [gpa, gpa+len); -1 if one has no host pointer. */
static int each_piece(const struct vram *r, uint64_t gpa, uint8_t *buf, size_t len, bool to_guest)
{
	if (!vram_contains(r, gpa, len))
		return -1;
	while (len) {
		size_t chunk = VRAM_PAGE - (size_t)(gpa & (VRAM_PAGE - 1));
		uint8_t *p;
		if (chunk > len)
			chunk = len;
		p = r->hva(r->ctx, gpa, chunk);
		if (!p)
			return -1;
		if (to_guest)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int vram_read(const struct vram *r, uint64_t gpa, void *dst, size_t len)
{
	return each_piece(r, gpa, dst, len, false);
}

int vram_write(const struct vram *r, uint64_t gpa, const void *src, size_t len)
{
	return each_piece(r, gpa, (uint8_t *)(uintptr_t)src, len, true);
}
