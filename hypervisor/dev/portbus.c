/* The VM's I/O-port bus: port exits go to the device that claims the port; unclaimed ports float. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/dev/irq.h"
#include "hypervisor/dev/debug_exit.h"
#include "hypervisor/dev/pci_absent.h"
#include "hypervisor/dev/port_log.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/uart16550.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/vm.h"
#include "kernel/log.h"

struct port_device {
	uint16_t first, last;
	uint32_t (*read)(struct vm *vm, uint16_t offset, uint8_t size);
	void (*write)(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);
	bool (*present)(const struct vm *vm); /* NULL: every VM has it */
};

/* The 16550's interrupt line follows its IIR after every register access (and every received byte). */
static uint32_t com1_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint32_t v;

	(void)size; /* a wider access reads the one byte register, like the ISA bus does */
	v = uart_read(vm->uart, offset);
	vm_irq_set(vm, PLAT_IRQ_COM1, uart_irq_pending(vm->uart));
	return v;
}

static void com1_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)size;
	uart_write(vm->uart, offset, (uint8_t)value);
	vm_irq_set(vm, PLAT_IRQ_COM1, uart_irq_pending(vm->uart));
}

static bool has_debug_exit(const struct vm *vm)
{
	return vm->boot.debug_exit;
}

#define ROW(first, len, dev) { (first), (first) + (len) - 1, vplatform_##dev##_read, vplatform_##dev##_write, NULL }

/* One row per device, ports from hypervisor/dev/platform.h. */
static const struct port_device devices[] = {
	{ PLAT_PORT_COM1, PLAT_PORT_COM1 + 7, com1_read, com1_write, NULL },
	ROW(PLAT_PORT_PIC_MASTER, 2, pic),
	ROW(PLAT_PORT_PIC_SLAVE, 2, pic_slave),
	ROW(PLAT_PORT_ELCR, 2, elcr),
	ROW(PLAT_PORT_PIT, 4, pit),
	ROW(PLAT_PORT_SYSCTL_B, 1, port61),
	ROW(PLAT_PORT_KBC_DATA, 1, kbc_data),
	ROW(PLAT_PORT_KBC_CMD, 1, kbc_cmd),
	ROW(PLAT_PORT_RTC, 2, rtc),
	ROW(PLAT_PORT_POST, 1, post),
	ROW(PLAT_PORT_SYSCTL_A, 1, port92),
	ROW(PLAT_PORT_RESET, 1, cf9), /* before the PCI ports it sits among: byte accesses to 0xCF9 reset */
	{ PCI_ABSENT_PORT_FIRST, PCI_ABSENT_PORT_FIRST + PCI_ABSENT_PORTS - 1, pci_absent_read, pci_absent_write, NULL },
	ROW(PLAT_PORT_PM_BASE, PLAT_PM_BLOCK_LEN, pm),
	{ PLAT_PORT_DEBUG_EXIT, PLAT_PORT_DEBUG_EXIT + DEBUG_EXIT_PORTS - 1, debug_exit_read, debug_exit_write,
	  has_debug_exit },
};

static const struct port_device *find(const struct vm *vm, uint16_t port)
{
	for (unsigned i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (port >= devices[i].first && port <= devices[i].last && (!devices[i].present || devices[i].present(vm)))
			return &devices[i];
	return NULL;
}

static uint32_t size_mask(uint8_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* IN writes AL/AX/EAX; a 32-bit IN zero-extends into RAX (SDM Vol 1 3.4.1.1). */
static void set_in_result(struct vcpu *v, uint8_t size, uint32_t value)
{
	uint64_t mask = size_mask(size);
	if (size >= 4)
		v->regs.rax = value;
	else
		v->regs.rax = (v->regs.rax & ~mask) | (value & mask);
}

static void note_unassigned(struct vm *vm, const struct vm_exit *e)
{
	enum unassigned_log what = unassigned_log_next(&vm->unassigned_logged);

	if (what != UNASSIGNED_QUIET)
		log_warn("vm %s: %s of unassigned port %#x ignored%s", vm->name, e->u.io.in ? "read" : "write",
			 e->u.io.port, what == UNASSIGNED_LOG_LAST ? "; further ones this boot are not logged" : "");
}

enum exit_action exit_io(struct vcpu *v, const struct vm_exit *e)
{
	const struct port_device *d = find(v->vm, e->u.io.port);
	uint8_t size = e->u.io.size;

	if (e->u.io.string || (size != 1 && size != 2 && size != 4)) {
		vm_end(v->vm, VM_OP_CRASH, "string or malformed I/O to port %#x is not supported", e->u.io.port);
		return EXIT_CRASH_VM;
	}
	if (!d)
		note_unassigned(v->vm, e);
	if (e->u.io.in)
		set_in_result(v, size, d ? d->read(v->vm, e->u.io.port - d->first, size) : size_mask(size));
	else if (d)
		d->write(v->vm, e->u.io.port - d->first, size, (uint32_t)v->regs.rax & size_mask(size));
	v->regs.rip += e->inst_len;
	return v->vm->state == VM_RUNNING ? EXIT_RESUME : EXIT_STOP_VM; /* a device may have ended the VM */
}
