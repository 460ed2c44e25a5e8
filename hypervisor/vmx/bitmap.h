/* MSR and I/O bitmaps: which MSR accesses and ports exit (SDM Vol 3C 25.6.4, 25.6.9). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_BITMAP_H
#define HYPERVISOR_VMX_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#define VMX_BITMAP_BYTES 4096u

/* Every MSR access exits. */
void vmx_msr_bitmap_init(uint8_t *bm);
/*
 * Lets reads and/or writes of `msr` through without an exit. Only MSRs in
 * 0-0x1fff and 0xc0000000-0xc0001fff have bits; others return -1 (they always exit).
 */
int vmx_msr_bitmap_pass(uint8_t *bm, uint32_t msr, bool read, bool write);
bool vmx_msr_bitmap_exits(const uint8_t *bm, uint32_t msr, bool write);
/* The bitmap every vCPU uses: all MSRs exit except the ones the VMCS switches itself. */
void vmx_msr_bitmap_build(uint8_t *bm);

/* Every port exits: bitmap A covers ports 0-0x7fff, B 0x8000-0xffff. */
void vmx_io_bitmap_init(uint8_t *a, uint8_t *b);
bool vmx_io_bitmap_exits(const uint8_t *a, const uint8_t *b, uint16_t port);

#endif
