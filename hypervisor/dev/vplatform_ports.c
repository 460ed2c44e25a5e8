/* The virtual PC's I/O ports: each handler takes the platform's lock around its model and acts after it. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/dev/irq_route.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/vm.h"
#include "drivers/rtc.h"
#include "kernel/log.h"
#include "kernel/time.h"

/* Byte-wide devices: a wider access reaches the byte at its first port, as on the ISA bus; the other bytes float. */
static uint32_t byte_result(uint8_t value, uint8_t size)
{
	return size >= 4 ? 0xffffff00u | value : ((0xffffffffu << 8) & ((1u << (8 * size)) - 1)) | value;
}

#define LOCKED(p, stmt)                                               \
	do {                                                          \
		uint64_t flags_ = spin_lock_irqsave(&(p)->lock);      \
		stmt;                                                 \
		spin_unlock_irqrestore(&(p)->lock, flags_);           \
	} while (0)

static void guest_reset(struct vm *vm, const char *how)
{
	vm_guest_reset(vm, how);
}

/* 8259 pair. */
static uint32_t pic_read(struct vm *vm, unsigned chip, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	LOCKED(vm->plat, v = vpic_read(&vm->plat->pic, chip, offset));
	return byte_result(v, size);
}

static void pic_write(struct vm *vm, unsigned chip, uint16_t offset, uint32_t value)
{
	LOCKED(vm->plat, vpic_write(&vm->plat->pic, chip, offset, (uint8_t)value));
}

uint32_t vplatform_pic_read(struct vm *vm, uint16_t offset, uint8_t size) { return pic_read(vm, 0, offset, size); }
void vplatform_pic_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)size;
	pic_write(vm, 0, offset, value);
}
uint32_t vplatform_pic_slave_read(struct vm *vm, uint16_t offset, uint8_t size) { return pic_read(vm, 1, offset, size); }
void vplatform_pic_slave_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)size;
	pic_write(vm, 1, offset, value);
}

uint32_t vplatform_elcr_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	LOCKED(vm->plat, v = vpic_elcr_read(&vm->plat->pic, offset));
	return byte_result(v, size);
}

void vplatform_elcr_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)size;
	LOCKED(vm->plat, vpic_elcr_write(&vm->plat->pic, offset, (uint8_t)value));
}

/* PIT and port 0x61. */
uint32_t vplatform_pit_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	LOCKED(vm->plat, v = vpit_read(&vm->plat->pit, offset, time_ns()));
	return byte_result(v, size);
}

void vplatform_pit_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)size;
	LOCKED(vm->plat, vpit_write(&vm->plat->pit, offset, (uint8_t)value, time_ns()));
}

uint32_t vplatform_port61_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	(void)offset;
	LOCKED(vm->plat, v = vpit_port61_read(&vm->plat->pit, time_ns()));
	return byte_result(v, size);
}

void vplatform_port61_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)offset, (void)size;
	LOCKED(vm->plat, vpit_port61_write(&vm->plat->pit, (uint8_t)value, time_ns()));
}

/* Keyboard controller: 0x60 data, 0x64 status (read) and command (write). */
uint32_t vplatform_kbc_data_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	(void)offset;
	return byte_result(vreset_kbc_data(&vm->plat->reset), size);
}

void vplatform_kbc_data_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)vm, (void)offset, (void)size, (void)value; /* bytes for a keyboard: nobody listens */
}

uint32_t vplatform_kbc_cmd_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	(void)offset;
	return byte_result(vreset_kbc_status(&vm->plat->reset), size);
}

void vplatform_kbc_cmd_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	bool reset = false;

	(void)offset, (void)size;
	LOCKED(vm->plat, reset = vreset_kbc_command(&vm->plat->reset, (uint8_t)value));
	if (reset)
		guest_reset(vm, "keyboard controller command 0xfe");
}

/* CMOS RTC. */
uint32_t vplatform_rtc_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	LOCKED(vm->plat, v = vrtc_read(&vm->plat->rtc, offset, rtc_wallclock_ns()));
	return byte_result(v, size);
}

void vplatform_rtc_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)size;
	LOCKED(vm->plat, vrtc_write(&vm->plat->rtc, offset, (uint8_t)value, rtc_wallclock_ns()));
}

/* POST codes and the classic I/O delay port. */
uint32_t vplatform_post_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	(void)vm, (void)offset;
	return byte_result(0xff, size);
}

void vplatform_post_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)offset, (void)size;
	vreset_post_write(&vm->plat->reset, (uint8_t)value);
}

/* System control port A. */
uint32_t vplatform_port92_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	(void)offset;
	LOCKED(vm->plat, v = vreset_port92_read(&vm->plat->reset));
	return byte_result(v, size);
}

void vplatform_port92_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	bool reset = false;

	(void)offset, (void)size;
	LOCKED(vm->plat, reset = vreset_port92_write(&vm->plat->reset, (uint8_t)value));
	if (reset)
		guest_reset(vm, "fast reset through port 0x92");
}

/* Reset control register. */
uint32_t vplatform_cf9_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint8_t v = 0xff;

	(void)offset;
	LOCKED(vm->plat, v = vreset_cf9_read(&vm->plat->reset));
	return byte_result(v, size);
}

void vplatform_cf9_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	bool reset = false;

	(void)offset, (void)size;
	LOCKED(vm->plat, reset = vreset_cf9_write(&vm->plat->reset, (uint8_t)value));
	if (reset)
		guest_reset(vm, "reset through port 0xcf9");
}

/* ACPI PM block. */
static uint32_t refused_logged;

uint32_t vplatform_pm_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	uint32_t v = 0xffffffffu;

	LOCKED(vm->plat, v = acpi_pm_read(&vm->plat->pm, offset, size, time_ns()));
	return v;
}

void vplatform_pm_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	struct vplatform *p = vm->plat;
	enum acpi_pm_action act = ACPI_PM_NONE;
	uint64_t flags = spin_lock_irqsave(&p->lock), now = time_ns();

	act = acpi_pm_write(&p->pm, offset, size, value, now);
	irq_route_locked(p, PLAT_IRQ_SCI, acpi_pm_sci(&p->pm, now)); /* clearing a status bit lowers the SCI */
	spin_unlock_irqrestore(&p->lock, flags);
	if (act == ACPI_PM_POWER_OFF)
		vm_end(vm, VM_OP_STOP, "guest powered off");
	else if (act == ACPI_PM_SLEEP_REFUSED && refused_logged++ < 8)
		log_warn("vm %s: the guest asked for a sleep state other than S5 (not offered); ignored", vm->name);
}
