/* Fuzz harness of the console command parser and dispatcher: each input line runs as typed, with the host commands. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include "drivers/acpi/acpi.h"
#include "hypervisor/virt.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/host_api.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm/pmm.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/tsc_check.h"
#include "tests/fuzz/fuzz.h"

/* ---- the kernel facilities the host commands read, as a fixed pretend machine ---- */

static struct acpi_info acpi = { .has_fadt = true, .pm1a_cnt = 0x604, .has_s5 = false };
static jmp_buf reboot_jmp;
static struct cpu_info cpu = { .vendor = "GenuineIntel", .brand = "Fuzz CPU @ 2.0GHz",
			       .family = 6, .model = 85, .stepping = 4, .has_vmx = true };
static struct virt_features virt = { .backend = VIRT_VMX, .available = true, .ept = true };
static const struct log_entry logs[] = {
	{ 0, 1000000, LOG_INFO, "boot" },
	{ 1, 2500000000ull, LOG_WARN, "guest wrote \x1b[2J and \x7f\xff" },
	{ 2, 3000000000ull, LOG_ERROR, "last" },
};

const struct acpi_info *acpi_get(void) { return &acpi; }
void acpi_poweroff(void) {}
void acpi_reboot(void) { longjmp(reboot_jmp, 1); }
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
	*o = (struct cpu_status){ .index = index, .apic_id = index * 2, .state = CPU_ONLINE, .bsp = index == 0 };
	return 0;
}
const char *cpu_state_name(uint32_t state) { return state == CPU_ONLINE ? "online" : "other"; }
uint32_t smp_ping_all(uint64_t timeout_us) { (void)timeout_us; return 1; }
uint64_t time_ns(void) { return 3723004000000ull; }
uint64_t time_tsc_hz(void) { return 2006000000ull; }
void tsc_check_get(struct tsc_check_result *o)
{
	*o = (struct tsc_check_result){ .verdict = TSC_WARPED, .warps = 3, .worst_warp = 1234 };
}
size_t log_count(void) { return sizeof(logs) / sizeof(logs[0]); }
int log_get(size_t index, struct log_entry *o)
{
	if (index >= log_count())
		return -1;
	*o = logs[index];
	return 0;
}
const char *log_level_name(uint32_t level)
{
	static const char *const names[] = { "ERROR", "WARN", "INFO", "DEBUG" };
	return level < 4 ? names[level] : "?";
}
const char *kernel_boot_path_name(void) { return "UEFI"; }
const char *kernel_loader_name(void) { return "fuzz"; }
void kernel_heap_stats(struct kernel_heap_stats *o)
{
	*o = (struct kernel_heap_stats){ .size_bytes = 16u << 20, .arena_bytes = 1u << 20, .used_bytes = 4096 };
}

/* ---- what the operator sees: never a raw control byte the input put there ---- */

static bool checking; /* from after the first prompt, which the editor draws with VT100 sequences */

static void out(const char *buf, size_t len)
{
	for (size_t i = 0; checking && i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		FUZZ_CHECK(c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f));
	}
}

/* Each line (split at LF) runs through commands_run_line() as the editor would hand it over. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char line[CONSOLE_LINE_MAX + 1];
	size_t start = 0;

	if (!ready) {
		console_init(out);
		FUZZ_CHECK(commands_duplicate() == NULL);
		ready = checking = true;
	}
	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size, n = end - start;
		if (n > CONSOLE_LINE_MAX)
			n = CONSOLE_LINE_MAX;
		memcpy(line, data + start, n);
		line[n] = '\0';
		if (setjmp(reboot_jmp) == 0) {
			int rc = commands_run_line(line);
			FUZZ_CHECK(rc == CMD_OK || rc == CMD_ERROR || rc == CMD_USAGE);
		}
		start = end + 1;
	}
	return 0;
}
