/* The TCP echo service for benchmarks (`net echo=PORT`). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_ECHO_H
#define KERNEL_NET_ECHO_H

#include <stdint.h>

void echo_start(uint16_t port);

#endif
