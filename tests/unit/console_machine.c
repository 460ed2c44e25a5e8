/* The pretend machine the console's host commands read in host builds (the console unit test and
 * fuzz harness): fixed CPU, memory, CPUs, log and clock; power-off and reboot counted. */
/* SPDX-License-Identifier: MIT */
#include "tests/unit/console_machine.h"

#include <stdio.h>
#include "drivers/acpi/acpi.h"
#include "drivers/rtc.h"
#include "hypervisor/virt.h"
#include "kernel/console/host_api.h"
#include "kernel/cpu.h"
#include "kernel/mm/pmm.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/tsc_check.h"

static struct acpi_info acpi = { .has_fadt = true, .pm1a_cnt = 0x604, .has_s5 = false };
int machine_poweroff_calls, machine_reboot_calls;
jmp_buf machine_reboot_jmp;
static struct cpu_info cpu = { .vendor = "GenuineIntel", .brand = "Test \"CPU\" @ 2.0GHz",
			       .family = 6, .model = 85, .stepping = 4, .has_vmx = true };
static struct virt_features virt = { .backend = VIRT_VMX, .available = true, .ept = true };
static const struct log_entry default_logs[] = {
	{ 0, 1000000, LOG_INFO, "boot" },
	{ 1, 2500000000ull, LOG_WARN, "quote \" backslash \\ esc \x1b[2J tab\t" },
	{ 2, 3000000000ull, LOG_ERROR, "last" },
};

const struct acpi_info *acpi_get(void) { return &acpi; }
void acpi_poweroff(void) { machine_poweroff_calls++; }
void acpi_reboot(void)
{
	machine_reboot_calls++;
	longjmp(machine_reboot_jmp, 1);
}
const struct cpu_info *cpu_info_get(void) { return &cpu; }
const struct virt_features *virt_features_get(void) { return &virt; }
const char *virt_backend_name(uint32_t backend) { return backend == VIRT_VMX ? "vmx" : "none"; }
void virt_describe(char *buf, unsigned len) { snprintf(buf, len, "VT-x (EPT, VPID)"); }
void pmm_get_stats(struct pmm_stats *o)
{
	*o = (struct pmm_stats){ .total_bytes = 1ull << 30, .usable_bytes = 1000ull << 20,
				 .free_bytes = 900ull << 20, .reserved_bytes = 24ull << 20 };
}
uint32_t smp_cpu_count(void) { return 2; }
uint32_t smp_online_count(void) { return 2; }
int smp_cpu_status(uint32_t index, struct cpu_status *o)
{
	if (index >= 2)
		return -1;
	*o = (struct cpu_status){ .index = index, .apic_id = index * 2, .state = CPU_ONLINE,
				  .bsp = index == 0, .timer_ticks = 100 + index, .ipis = index };
	return 0;
}
const char *cpu_state_name(uint32_t state) { return state == CPU_ONLINE ? "online" : "other"; }
uint32_t smp_ping_all(uint64_t timeout_us) { (void)timeout_us; return 1; }
uint64_t time_ns(void) { return 3723004000000ull; } /* 1 h 2 min 3.004 s */
uint64_t time_tsc_hz(void) { return 2006000000ull; }
int64_t rtc_wallclock_ns(void) { return 1796185807123456789ll; } /* 2026-12-02 04:30:07.123 UTC */
void tsc_check_get(struct tsc_check_result *o)
{
	*o = (struct tsc_check_result){ .verdict = TSC_SYNCHRONISED, .invariant = true, .cross = 1000 };
}
const struct log_entry *machine_logs = default_logs;
size_t machine_log_count = sizeof(default_logs) / sizeof(default_logs[0]);

size_t log_count(void) { return machine_log_count; }
int log_get(size_t index, struct log_entry *o)
{
	if (index >= log_count())
		return -1;
	*o = machine_logs[index];
	return 0;
}
const char *log_level_name(uint32_t level)
{
	static const char *const names[] = { "ERROR", "WARN", "INFO", "DEBUG" };
	return level < 4 ? names[level] : "?";
}
const char *kernel_boot_path_name(void) { return "UEFI"; }
const char *kernel_loader_name(void) { return "test \"loader\""; }
void kernel_heap_stats(struct kernel_heap_stats *o)
{
	*o = (struct kernel_heap_stats){ .size_bytes = 16u << 20, .arena_bytes = 1u << 20, .used_bytes = 4096 };
}
