/* The QEMU-compatible debug-exit port: a guest write stops its VM with an exit status. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_DEBUG_EXIT_H
#define HYPERVISOR_DEV_DEBUG_EXIT_H

#include <stdint.h>

struct vm;

#define DEBUG_EXIT_PORTS 4 /* PLAT_PORT_DEBUG_EXIT..+3, like isa-debug-exit,iosize=4 */

/* The status QEMU's isa-debug-exit exits with for a written value: (value << 1) | 1. */
static inline uint64_t debug_exit_status(uint32_t value)
{
	return ((uint64_t)value << 1) | 1;
}

/* Port handlers for the VM's port bus; the port exists only when the VM was created with debug_exit=yes. */
uint32_t debug_exit_read(struct vm *vm, uint16_t offset, uint8_t size);
void debug_exit_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);

#endif
