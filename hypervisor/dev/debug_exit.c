/* Debug-exit port: stops the VM with the status QEMU's isa-debug-exit device would exit with. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/dev/debug_exit.h"
#include "hypervisor/vm.h"

uint32_t debug_exit_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	(void)vm, (void)offset, (void)size;
	return 0xffffffffu; /* write-only, reads float like an unclaimed port */
}

/*
 * Any write stops the VM, as in QEMU (hw/misc/debugexit.c): the value is
 * what the guest wrote, truncated to the access size by the port bus.
 */
void debug_exit_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	uint64_t status = debug_exit_status(value);

	(void)offset, (void)size;
	vm->exit_status = status;
	vm->has_exit_status = true;
	vm_end(vm, VM_OP_STOP, "guest wrote 0x%x to the debug-exit port: exit status %llu", value,
	       (unsigned long long)status);
}
