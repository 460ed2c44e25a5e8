/* Guest RAM as a virtio device sees it: bounds-checked copies in and out of guest-physical memory. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_VIRTIO_VRAM_H
#define HYPERVISOR_DEV_VIRTIO_VRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The VM's RAM is guest-physical [0, size). `hva` returns a host pointer for
 * [gpa, gpa+len) when that range lies inside one host-contiguous run, else
 * NULL; in the hypervisor it is gmem_hva (hypervisor/gmem.h), in the unit
 * tests and the fuzz harness a flat buffer. The copies below split at 4 KiB
 * pages (no run boundary falls inside a page), so nothing here depends on how
 * the RAM is laid out in host memory. Pure logic, built on the host too.
 */
struct vram {
	void *ctx;
	uint64_t size;
	void *(*hva)(void *ctx, uint64_t gpa, size_t len);
};

/* [gpa, gpa+len) is inside [0, size), with no wrap-around. len 0 is inside when gpa <= size. */
bool vram_contains(const struct vram *r, uint64_t gpa, uint64_t len);
/* Copies guest [gpa, gpa+len) to dst / src to guest [gpa, gpa+len). 0, or -1 if any byte is outside RAM (checked before the first byte moves). */
int vram_read(const struct vram *r, uint64_t gpa, void *dst, size_t len);
int vram_write(const struct vram *r, uint64_t gpa, const void *src, size_t len);

#endif
