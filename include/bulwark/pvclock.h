/* The paravirtual clock a guest can read: KVM's documented clock ABI, offered beside Bulwark's own leaves. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_PVCLOCK_H
#define BULWARK_PVCLOCK_H

#include <stdint.h>

/*
 * Why: a guest that calibrates its TSC against the PIT or the ACPI PM timer needs those reads to
 * take a few microseconds; behind a VM exit they may not (Linux gives up when one read of the PM
 * timer spans 50,000 TSC cycles, arch/x86/kernel/tsc.c). Linux, unmodified, also takes its TSC
 * frequency and a clock from the interface KVM documents (Documentation/virt/kvm/x86/cpuid.rst
 * and msr.rst in the kernel source), which any hypervisor may offer: Bulwark does, at the second
 * hypervisor CPUID range, the place Linux looks for it after the first (hypervisor_cpuid_base()
 * steps through 0x40000000.. by 0x100). Its own leaves stay at 0x40000000 (hypercall.h). Only the
 * clock, the I/O-delay hint and the EOI below are offered: no other paravirtual feature bit is set,
 * and KVM's hypercalls do not exist.
 *
 *   CPUID 0x40000100: EAX = 0x40000101, EBX ECX EDX = "KVMKVMKVM\0\0\0"
 *   CPUID 0x40000101: EAX = features (below), EDX = hints (0)
 *
 * MSR PV_MSR_SYSTEM_TIME (per vCPU): bit 0 enables, bits 63:1 are the guest-physical address of
 * a struct pv_time_info (4-byte aligned, inside the guest's RAM; anything else is #GP). The
 * hypervisor fills it when enabled; the guest's time in ns since the VM started is then
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift, or >> -tsc_shift) * tsc_to_system_mul) >> 32
 * MSR PV_MSR_WALL_CLOCK (per VM): a write of a guest-physical address (4-byte aligned, in RAM)
 * fills a struct pv_wall_clock there with the Unix time at which the guest's time was 0.
 * Both structures carry a version that is odd while the hypervisor writes them.
 *
 * MSR PV_MSR_EOI (per vCPU, msr.rst MSR_KVM_PV_EOI_EN): bit 0 enables, bit 1 is reserved (#GP),
 * bits 63:2 the guest-physical address of a 4-byte word in RAM. While the vCPU runs, bit 0 of that
 * word set means the guest may end its interrupt by clearing the bit instead of writing the APIC's
 * EOI register (one exit fewer per interrupt); the hypervisor sets and reads it only between the
 * vCPU's exits and entries (hypervisor/pv_eoi.c).
 */

#define PV_CPUID_BASE 0x40000100
#define PV_CPUID_FEATURES 0x40000101
#define PV_SIGNATURE_EBX 0x4b4d564b /* "KVMK" */
#define PV_SIGNATURE_ECX 0x564b4d56 /* "VMKV" */
#define PV_SIGNATURE_EDX 0x0000004d /* "M\0\0\0" */

#define PV_FEATURE_NOP_IO_DELAY (1u << 1)   /* port 0x80 delays are not needed */
#define PV_FEATURE_CLOCKSOURCE2 (1u << 3)   /* the two MSRs below */
#define PV_FEATURE_PV_EOI (1u << 6)         /* PV_MSR_EOI (cpuid.rst KVM_FEATURE_PV_EOI) */
#define PV_FEATURE_STABLE_BIT (1u << 24)    /* PV_TIME_TSC_STABLE may be set */

#define PV_MSR_WALL_CLOCK 0x4b564d00
#define PV_MSR_SYSTEM_TIME 0x4b564d01
#define PV_MSR_EOI 0x4b564d04
#define PV_EOI_ENABLE (1ull << 0)
#define PV_EOI_RESERVED (1ull << 1)
#define PV_EOI_SKIP (1u << 0)               /* in the guest's word: the EOI write may be skipped */

#define PV_TIME_TSC_STABLE (1u << 0)        /* every vCPU's structure gives the same time */

struct pv_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((packed));

struct pv_wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
} __attribute__((packed));

_Static_assert(sizeof(struct pv_time_info) == 32, "msr.rst: pvclock_vcpu_time_info is 32 bytes");
_Static_assert(sizeof(struct pv_wall_clock) == 12, "msr.rst: pvclock_wall_clock is 12 bytes");

#endif
