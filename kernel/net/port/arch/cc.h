/* lwIP's compiler and platform definitions for the hypervisor (lwIP 2.1 doc/sys_arch.txt, "cc.h"). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_PORT_ARCH_CC_H
#define KERNEL_NET_PORT_ARCH_CC_H

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

/* newlib's ssize_t is long; without SSIZE_MAX lwIP's arch.h would declare it int. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* x86-64 is little-endian; newlib's <machine/endian.h> agrees. */
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

/* Diagnostics go to the kernel log; a failed lwIP assertion is a broken invariant: panic. */
void net_port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void net_port_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
#define LWIP_PLATFORM_DIAG(x) do { net_port_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_port_assert((x), __FILE__, __LINE__)

/* Random numbers for TCP initial sequence numbers, ports and DHCP transaction ids. */
uint32_t net_port_rand(void);
#define LWIP_RAND() net_port_rand()

#endif
