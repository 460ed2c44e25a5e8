/* The I/O and MSR permission maps that decide which port and MSR accesses exit (APM Vol 2 15.10, 15.11). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_PERMMAP_H
#define HYPERVISOR_SVM_PERMMAP_H

#include <stdbool.h>
#include <stdint.h>

#define IOPM_BYTES (12u * 1024u)  /* three contiguous pages, APM Vol 2 15.10.1 */
#define MSRPM_BYTES (8u * 1024u)  /* two contiguous pages, APM Vol 2 15.11 */

/* Every port exits. */
void iopm_init(uint8_t *iopm);
bool iopm_intercepts(const uint8_t *iopm, uint16_t port);

/* Every MSR exits except the ones VMRUN/VMLOAD/VMSAVE switch through the VMCB (svm_msr_passthrough). */
void msrpm_init(uint8_t *msrpm);
/* Sets whether reads and writes of `msr` exit. -1 if the MSR is outside the map (it always exits). */
int msrpm_set(uint8_t *msrpm, uint32_t msr, bool read_exits, bool write_exits);
bool msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write);

extern const uint32_t svm_msr_passthrough[];
extern const unsigned svm_msr_passthrough_count;

#endif
