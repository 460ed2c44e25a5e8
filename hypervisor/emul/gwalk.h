/* Guest-virtual to guest-physical translation through the guest's own page tables, for instruction fetches. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_EMUL_GWALK_H
#define HYPERVISOR_EMUL_GWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hypervisor/vcpu_regs.h"

/*
 * Guest RAM as the walker sees it: map(ctx, gpa, len) returns a host pointer
 * to guest-physical [gpa, gpa+len) when all of it is RAM of this VM, else
 * NULL. Every table entry and every fetched byte is read through it, so the
 * walker cannot touch memory outside the VM.
 */
struct gwalk_ram {
	const void *(*map)(void *ctx, uint64_t gpa, size_t len);
	void *ctx;
};

enum gwalk_err {
	GWALK_OK = 0,
	GWALK_NOT_PRESENT,    /* a table entry on the way has P = 0 */
	GWALK_OUTSIDE_RAM,    /* a table, or the final address, is not the VM's RAM */
	GWALK_NON_CANONICAL,  /* a 64-bit linear address with bits 63:47 not all equal */
	GWALK_UNSUPPORTED,    /* 5-level paging */
};

/* Where a walk stopped, for the log. */
struct gwalk_fault {
	int err;              /* enum gwalk_err */
	uint64_t linear;      /* the address being translated */
	int level;            /* 4 PML4, 3 PDPT, 2 PD, 1 PT; 0: the final address */
	uint64_t entry_gpa;   /* the entry read last (or the final address) */
	uint64_t entry;       /* its value */
};

const char *gwalk_err_name(int err);

/*
 * Translates linear address `la` with the paging mode of cr0/cr4/efer
 * (SDM Vol 3A 4.1: none, 32-bit, PAE, 4-level; 4 MiB, 2 MiB and 1 GiB pages).
 * Only present bits are checked: the instruction being emulated was already
 * fetched by the CPU, so its access rights held. 0, or -1 with *f filled.
 */
int gwalk_translate(const struct gwalk_ram *ram, const struct vcpu_regs *r, uint64_t la, uint64_t *gpa,
		    struct gwalk_fault *f);

/*
 * Copies up to `want` bytes at linear address `la` (the code at CS:RIP) into
 * buf, a page at a time: an instruction may run into a page that is not
 * mapped. Returns how many bytes it got, with *f filled when that is fewer
 * than `want`. `la_mask` wraps the address (0xffffffff outside 64-bit mode).
 */
size_t gwalk_fetch(const struct gwalk_ram *ram, const struct vcpu_regs *r, uint64_t la, uint64_t la_mask,
		   uint8_t *buf, size_t want, struct gwalk_fault *f);

#endif
