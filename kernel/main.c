/* kernel_main: brings the machine up in order and hands the bootstrap CPU to the console. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>
#include "kernel/kernel.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/smp_internal.h"
#include "kernel/time.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/x86.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/memmap.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/console/console.h"
#include "kernel/console/host_api.h"
#include "kernel/net/net.h"
#include "kernel/sched.h"
#include "hypervisor/config.h"
#include "hypervisor/vm.h"
#include "drivers/rtc.h"
#include "drivers/acpi/acpi.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/serial.h"
#include "hypervisor/virt.h"

#define MMAP_CAP (BOOT_MMAP_MAX + 64)
#define EFER_NXE (1ull << 11)

static struct boot_info boot;
static struct boot_mmap_entry mmap[MMAP_CAP];
static int mmap_count;
static uint64_t trampoline_page;

const struct boot_info *kernel_boot_info(void)
{
	return &boot;
}

const char *kernel_boot_path_name(void)
{
	return boot.boot_path == BOOT_PATH_UEFI ? "UEFI" : "Multiboot2";
}

const char *kernel_loader_name(void)
{
	return boot.loader_name;
}

const struct boot_module *kernel_find_module(const char *name)
{
	for (uint32_t i = 0; i < boot.module_count && i < BOOT_MODULES_MAX; i++)
		if (!strcmp(boot.modules[i].name, name))
			return &boot.modules[i];
	return NULL;
}

static void early_fail(const char *msg) __attribute__((noreturn));
static void early_fail(const char *msg)
{
	serial_write(msg, strlen(msg));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The AP start-up code needs a free page below 1 MiB; take the highest one. */
static void reserve_trampoline_page(void)
{
	for (int i = mmap_count - 1; i >= 0; i--) {
		const struct boot_mmap_entry *e = &mmap[i];
		uint64_t end = e->base + e->length < 0x100000 ? e->base + e->length : 0x100000;
		if (e->type != BOOT_MEM_USABLE || end < 0x2000 || end <= e->base + PAGE_SIZE)
			continue;
		trampoline_page = end - PAGE_SIZE;
		mmap_count = memmap_reserve(mmap, mmap_count, MMAP_CAP, trampoline_page, PAGE_SIZE, BOOT_MEM_RESERVED);
		return;
	}
}

static void memory_init(void)
{
	uint64_t usable;

	memcpy(mmap, boot.mmap, sizeof(boot.mmap[0]) * boot.mmap_count);
	mmap_count = memmap_sanitize(mmap, boot.mmap_count, MMAP_CAP);
	if (mmap_count <= 0)
		early_fail("bulwark: the firmware memory map is unusable; halting\n");
	reserve_trampoline_page();
	if (mmap_count <= 0)
		early_fail("bulwark: cannot reserve the AP start-up page; halting\n");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	paging_init(&boot);
	if (pmm_init(mmap, (size_t)mmap_count, phys_to_virt))
		early_fail("bulwark: no usable RAM in the memory map; halting\n");
	usable = memmap_total(mmap, mmap_count, BOOT_MEM_USABLE);
	/* The heap: 1/16 of RAM, between 8 and 64 MiB. */
	usable /= 16;
	if (usable < (8u << 20))
		usable = 8u << 20;
	if (usable > (64u << 20))
		usable = 64u << 20;
	if (heap_init(usable))
		early_fail("bulwark: not enough RAM for the kernel heap; halting\n");
}

static const void *acpi_map(uint64_t phys, size_t len)
{
	(void)len;
	return phys_to_virt(phys);
}

/* BIOS machines: the RSDP sits on a 16-byte boundary in 0xE0000-0xFFFFF (ACPI 6.5 5.2.5.1). */
static uint64_t scan_rsdp(void)
{
	for (uint64_t a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp(phys_to_virt(a), "RSD PTR ", 8))
			return a;
	return 0;
}

static const struct acpi_info *acpi_init(void)
{
	struct acpi_info *a = acpi_info_storage();
	uint64_t rsdp = boot.acpi_rsdp ? boot.acpi_rsdp : scan_rsdp();
	char err[160] = "";

	if (!rsdp) {
		log_warn("acpi: no RSDP found; one CPU, no power-off");
		return NULL;
	}
	if (acpi_parse(rsdp, acpi_map, a, err, sizeof(err))) {
		log_warn("acpi: %s; one CPU, no power-off", err);
		return NULL;
	}
	if (err[0])
		log_warn("acpi: %s", err);
	return a;
}

static uint32_t madt_enabled_cpus(const struct acpi_info *a)
{
	uint32_t n = 0;
	for (uint32_t i = 0; a && i < a->cpu_count; i++)
		n += a->cpus[i].enabled;
	return a ? n : 1;
}

static void banner(const struct acpi_info *acpi, uint32_t online)
{
	const struct cpu_info *cpu = cpu_info_get();
	struct pmm_stats ms;
	char virt[200];

	pmm_get_stats(&ms);
	virt_describe(virt, sizeof(virt));
	printf("\nBulwark %s, booted via %s (loader: %s)\n", BULWARK_VERSION, kernel_boot_path_name(),
	       boot.loader_name[0] ? boot.loader_name : "unknown");
	printf("cpu: %s family %u model %u stepping %u%s%s%s\n", cpu->vendor, cpu->family, cpu->model,
	       cpu->stepping, cpu->brand[0] ? " (" : "", cpu->brand, cpu->brand[0] ? ")" : "");
	printf("virt: %s\n", virt);
	printf("mem: %llu MiB usable, %llu MiB free\n", (unsigned long long)(ms.usable_bytes >> 20),
	       (unsigned long long)(ms.free_bytes >> 20));
	printf("cpus: %u in ACPI MADT, %u online\n", madt_enabled_cpus(acpi), online);
	printf("type 'help' for commands\n");
	fflush(stdout);
}

static void console_out(const char *buf, size_t len)
{
	serial_write_raw(buf, len);
}

/* Called by the console CPU between guest slices: operator input, then attached guest output. */
void console_poll(void)
{
	uint8_t buf[64];
	size_t n;

	do {
		n = 0;
		while (n < sizeof(buf) && serial_read_byte(&buf[n]))
			n++;
		if (n)
			console_input(buf, n);
	} while (n == sizeof(buf));
	vm_console_pump();
	ct_console_pump();
	net_poll();
}

static int config_add(void *ctx, const struct vm_config *cfg, char *err, size_t errlen)
{
	char why[256] = "";
	struct vm *vm;

	(void)ctx;
	if (vm_create(cfg, &vm, why, sizeof(why)) || (cfg->autostart && vm_request(vm, VM_OP_START, why, sizeof(why)))) {
		snprintf(err, errlen, "vm %s: %s", cfg->name, why);
		return -1;
	}
	return 0;
}

static void config_bad(void *ctx, unsigned line, const char *why)
{
	(void)ctx;
	log_error("bulwark.cfg:%u: %s", line, why);
}

/* The boot configuration (a file on the ESP, a module from GRUB); bad lines are reported and skipped. */
static struct net_config net_cfg;

static void apply_boot_config(void)
{
	const struct boot_module *m = kernel_find_module("bulwark.cfg");
	int bad;

	if (!m)
		return;
	bad = config_parse_file(phys_to_virt(m->base), m->size, config_add, config_bad, NULL);
	bad += net_config_parse_file(&net_cfg, phys_to_virt(m->base), m->size, config_bad, NULL);
	log_info("bulwark.cfg: %llu bytes read, %d bad line%s", (unsigned long long)m->size, bad, bad == 1 ? "" : "s");
}

static void serial_irq(struct trap_frame *tf)
{
	(void)tf;
	this_cpu()->console_irqs++;
	lapic_eoi();
}

/* Operator input wakes the console CPU from HLT at once, rather than at its next host tick
 * (the line is polled between slices either way). Without an I/O APIC route it is polled. */
static void console_input_irq(const struct acpi_info *acpi)
{
	const char *why = "";

	irq_register(VEC_SERIAL, serial_irq);
	if (ioapic_route_isa(acpi, COM1_IRQ, VEC_SERIAL, lapic_id(), &why) < 0) {
		log_info("console: COM1's interrupt is not routed (%s); input is polled at the %u Hz host tick",
			 why, SMP_TIMER_HZ);
		return;
	}
	serial_rx_irq_enable();
}

void kernel_main(const struct boot_info *bi)
{
	const struct acpi_info *acpi;
	uint32_t online;

	serial_init(COM1_PORT);
	if (!bi || bi->magic != BOOT_INFO_MAGIC)
		early_fail("bulwark: no valid boot information from the loader; halting\n");
	memcpy(&boot, bi, sizeof(boot));
	time_init();
	memory_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	pic_disable();
	idt_init();
	acpi = acpi_init();
	rtc_init();
	smp_init_bsp(acpi, trampoline_page);
	console_input_irq(acpi);
	irq_enable();
	online = smp_start_aps();
	virt_probe();
	log_info("boot: %u CPUs online, TSC %llu MHz", online, (unsigned long long)(time_tsc_hz() / 1000000));
	banner(acpi, online);
	if (cmdline_has(boot.cmdline, "selftest=panic")) {
		log_warn("selftest=panic: executing an undefined instruction on purpose");
		__builtin_trap(); /* UD2: the panic path must report it and stop every CPU */
	}
	sched_open();
	sched_enable_this_cpu();
	net_config_defaults(&net_cfg);
	apply_boot_config();
	net_init(&net_cfg, acpi ? acpi->mcfg_address : 0);
	log_set_echo(0);
	console_set_notice_hook(log_echo_pending);
	console_init(console_out);
	sched_cpu_loop(true);
}
