/* Nested page table entries for the shared SLAT builder (APM Vol 2 15.25.5). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_NPT_H
#define HYPERVISOR_SVM_NPT_H

#include "hypervisor/slat.h"

/* Long-mode page-table entry bits used by nested tables (APM Vol 2 5.4.1, 15.25.5). */
#define NPT_P (1ull << 0)
#define NPT_RW (1ull << 1)
#define NPT_US (1ull << 2)   /* nested walks are user accesses: always set */
#define NPT_PS (1ull << 7)
#define NPT_NX (1ull << 63)
#define NPT_ADDR_MASK 0x000ffffffffff000ull

extern const struct slat_format npt_format;

#endif
