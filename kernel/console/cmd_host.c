/* Console commands about the host machine: `info`, `cpus`, `mem`, `uptime`. */
/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdbool.h>

#include "drivers/rtc.h"
#include "hypervisor/virt.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/escape.h"
#include "kernel/console/host_api.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"
#include "kernel/civil_time.h"
#include "kernel/cpu.h"
#include "kernel/mm/pmm.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/tsc_check.h"

#define PING_TIMEOUT_US 100000u
#define KIB 1024u
#define MIB (1024u * 1024u)

#ifndef BULWARK_VERSION
#define BULWARK_VERSION "unknown"
#endif

/* Decodes the only option these listings take; *json says whether it was given. */
static int decode_json_only(int argc, char **argv, bool *json)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	int rc = cmd_parse_opts(&argc, argv, opts, CONSOLE_ARRAY_SIZE(opts), 0);

	*json = opts[0].seen;
	return rc;
}

/* ---- info ---- */

static void info_text(const struct cpu_info *ci, const char *virt, const struct pmm_stats *ps)
{
	char brand[sizeof(ci->brand) * 4], loader[256];
	struct tsc_check_result tc;

	console_printf("version:  Bulwark %s\n", BULWARK_VERSION);
	console_printf("boot:     %s (loader: %s)\n", kernel_boot_path_name(),
		       escape_text(kernel_loader_name(), loader, sizeof(loader)));
	console_printf("cpu:      %s family %" PRIu32 " model %" PRIu32 " stepping %" PRIu32 "\n",
		       ci->vendor, ci->family, ci->model, ci->stepping);
	console_printf("brand:    %s\n", escape_text(ci->brand, brand, sizeof(brand)));
	console_printf("virt:     %s\n", virt);
	console_printf("memory:   %" PRIu64 " MiB usable, %" PRIu64 " MiB free\n",
		       ps->usable_bytes / MIB, ps->free_bytes / MIB);
	console_printf("cpus:     %" PRIu32 " found, %" PRIu32 " online\n", smp_cpu_count(),
		       smp_online_count());
	console_printf("tsc:      %" PRIu64 ".%03" PRIu64 " MHz (what guests read from the paravirtual clock)\n",
		       time_tsc_hz() / 1000000, time_tsc_hz() / 1000 % 1000);
	tsc_check_get(&tc);
	console_printf("tsc:      %s (%" PRIu64 " comparisons between CPUs, %" PRIu64 " warps; invariant: %s)\n",
		       tsc_verdict_name(tc.verdict), tc.cross, tc.warps, tc.invariant ? "yes" : "no");
}

static void info_json_cpu(struct json *j, const struct cpu_info *ci)
{
	json_object_begin(j, "cpu");
	json_string(j, "vendor", ci->vendor);
	json_u64(j, "family", ci->family);
	json_u64(j, "model", ci->model);
	json_u64(j, "stepping", ci->stepping);
	json_string(j, "brand", ci->brand);
	json_bool(j, "vmx", ci->has_vmx);
	json_bool(j, "svm", ci->has_svm);
	json_bool(j, "under_hypervisor", ci->hypervisor);
	json_object_end(j);
}

static void info_json(const struct cpu_info *ci, const char *virt, const struct pmm_stats *ps)
{
	const struct virt_features *vf = virt_features_get();
	struct tsc_check_result tc;
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "version", BULWARK_VERSION);
	json_string(&j, "boot_path", kernel_boot_path_name());
	json_string(&j, "loader", kernel_loader_name());
	info_json_cpu(&j, ci);
	json_string(&j, "virt_backend", virt_backend_name(vf ? vf->backend : VIRT_NONE));
	json_bool(&j, "virt_available", vf && vf->available);
	json_string(&j, "virt", virt);
	json_u64(&j, "usable_bytes", ps->usable_bytes);
	json_u64(&j, "free_bytes", ps->free_bytes);
	json_u64(&j, "cpus_found", smp_cpu_count());
	json_u64(&j, "cpus_online", smp_online_count());
	json_u64(&j, "tsc_hz", time_tsc_hz());
	tsc_check_get(&tc);
	json_object_begin(&j, "tsc");
	json_bool(&j, "synchronised", tsc_verdict_synchronised(tc.verdict));
	json_string(&j, "verdict", tsc_verdict_name(tc.verdict));
	json_u64(&j, "comparisons", tc.cross);
	json_u64(&j, "warps", tc.warps);
	json_u64(&j, "worst_warp_ticks", tc.worst_warp);
	json_bool(&j, "invariant", tc.invariant);
	json_object_end(&j);
	json_object_end(&j);
	json_end(&j);
}

static int cmd_info(int argc, char **argv)
{
	static const struct cpu_info none = { .vendor = "unknown" };
	const struct cpu_info *ci = cpu_info_get();
	struct pmm_stats ps;
	char virt[160];
	bool json;
	int rc = decode_json_only(argc, argv, &json);

	if (rc != CMD_OK)
		return rc;
	virt_describe(virt, sizeof(virt));
	pmm_get_stats(&ps);
	(json ? info_json : info_text)(ci ? ci : &none, virt, &ps);
	return CMD_OK;
}

/* ---- cpus ---- */

static void cpus_text(uint32_t answered, uint32_t others)
{
	struct cpu_status st;

	console_printf("CPU  APIC  STATE     BSP  TIMER-TICKS  IPIS  NMIS  GDTR-LIMIT  IDTR-LIMIT  CR0         STACK-USED\n");
	for (uint32_t i = 0; smp_cpu_status(i, &st) == 0; i++)
		console_printf("%3" PRIu32 "  %4" PRIu32 "  %-8s  %-3s  %11" PRIu64 "  %4" PRIu64 "  %4" PRIu64
			       "      0x%04x      0x%04x  0x%08" PRIx64 "  %" PRIu64 "/%" PRIu64 " KiB\n",
			       st.index, st.apic_id, cpu_state_name(st.state), st.bsp ? "yes" : "no",
			       st.timer_ticks, st.ipis, st.nmis, st.gdtr_limit, st.idtr_limit, st.cr0,
			       (st.stack_used_bytes + 1023) / 1024, st.stack_bytes / 1024);
	console_printf("%" PRIu32 " of %" PRIu32 " other online CPUs answered a test IPI\n", answered,
		       others);
}

static void cpus_json(uint32_t answered, uint32_t others)
{
	struct cpu_status st;
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "cpus");
	for (uint32_t i = 0; smp_cpu_status(i, &st) == 0; i++) {
		json_object_begin(&j, NULL);
		json_u64(&j, "index", st.index);
		json_u64(&j, "apic_id", st.apic_id);
		json_string(&j, "state", cpu_state_name(st.state));
		json_bool(&j, "bsp", st.bsp);
		json_u64(&j, "timer_ticks", st.timer_ticks);
		json_u64(&j, "ipis", st.ipis);
		json_u64(&j, "console_irqs", st.console_irqs);
		json_u64(&j, "nmis", st.nmis);
		json_u64(&j, "gdtr_limit", st.gdtr_limit);
		json_u64(&j, "idtr_limit", st.idtr_limit);
		json_u64(&j, "cr0", st.cr0);
		json_u64(&j, "stack_bytes", st.stack_bytes);
		json_u64(&j, "stack_used_bytes", st.stack_used_bytes);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_u64(&j, "ping_sent", others);
	json_u64(&j, "ping_answered", answered);
	json_object_end(&j);
	json_end(&j);
}

static int cmd_cpus(int argc, char **argv)
{
	uint32_t online, answered;
	bool json;
	int rc = decode_json_only(argc, argv, &json);

	if (rc != CMD_OK)
		return rc;
	online = smp_online_count();
	answered = smp_ping_all(PING_TIMEOUT_US);
	(json ? cpus_json : cpus_text)(answered, online ? online - 1 : 0);
	return CMD_OK;
}

/* ---- mem ---- */

static void mem_row(const char *what, uint64_t bytes)
{
	console_printf("%-9s %12" PRIu64 " KiB %8" PRIu64 " MiB\n", what, bytes / KIB, bytes / MIB);
}

static void mem_text(const struct pmm_stats *ps, const struct kernel_heap_stats *hs)
{
	mem_row("total", ps->total_bytes);
	mem_row("usable", ps->usable_bytes);
	mem_row("free", ps->free_bytes);
	mem_row("used", ps->usable_bytes - ps->free_bytes);
	mem_row("reserved", ps->reserved_bytes);
	console_printf("heap      %" PRIu64 " KiB in use, %" PRIu64 " KiB taken of a %" PRIu64
		       " KiB region\n", hs->used_bytes / KIB, hs->arena_bytes / KIB, hs->size_bytes / KIB);
}

static void mem_json(const struct pmm_stats *ps, const struct kernel_heap_stats *hs)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_u64(&j, "total_bytes", ps->total_bytes);
	json_u64(&j, "usable_bytes", ps->usable_bytes);
	json_u64(&j, "free_bytes", ps->free_bytes);
	json_u64(&j, "used_bytes", ps->usable_bytes - ps->free_bytes);
	json_u64(&j, "reserved_bytes", ps->reserved_bytes);
	json_object_begin(&j, "heap");
	json_u64(&j, "used_bytes", hs->used_bytes);
	json_u64(&j, "arena_bytes", hs->arena_bytes);
	json_u64(&j, "size_bytes", hs->size_bytes);
	json_object_end(&j);
	json_object_end(&j);
	json_end(&j);
}

static int cmd_mem(int argc, char **argv)
{
	struct pmm_stats ps;
	struct kernel_heap_stats hs = { 0 };
	bool json;
	int rc = decode_json_only(argc, argv, &json);

	if (rc != CMD_OK)
		return rc;
	pmm_get_stats(&ps);
	kernel_heap_stats(&hs);
	(json ? mem_json : mem_text)(&ps, &hs);
	return CMD_OK;
}

/* ---- uptime ---- */

static int cmd_uptime(int argc, char **argv)
{
	uint64_t ms, s;
	int64_t wall_ms;
	struct civil_time c;
	struct json j;
	bool json;
	int rc = decode_json_only(argc, argv, &json);

	if (rc != CMD_OK)
		return rc;
	ms = time_ns() / 1000000u; /* both read together: the wall clock is the boot reading plus this */
	wall_ms = rtc_wallclock_ns() / 1000000;
	s = ms / 1000u;
	if (!json) {
		civil_from_unix(wall_ms / 1000, &c);
		console_printf("up %" PRIu64 ".%03" PRIu64 " s (%" PRIu64 " d %02" PRIu64 ":%02" PRIu64
			       ":%02" PRIu64 ")\n", s, ms % 1000u, s / 86400u, s / 3600u % 24u,
			       s / 60u % 60u, s % 60u);
		console_printf("clock %04" PRId32 "-%02u-%02uT%02u:%02u:%02uZ (the wall clock guests' RTCs show)\n",
			       c.year, c.month, c.day, c.hour, c.minute, c.second);
		return CMD_OK;
	}
	json_init(&j);
	json_object_begin(&j, NULL);
	json_milli(&j, "uptime_s", ms);
	json_u64(&j, "uptime_ms", ms);
	json_u64(&j, "unix_time_ms", wall_ms > 0 ? (uint64_t)wall_ms : 0);
	json_object_end(&j);
	json_end(&j);
	return CMD_OK;
}

CONSOLE_COMMAND(info, .name = "info", .usage = "info [--json]",
		.help = "version, boot path, CPU, virtualization, memory and CPU counts", .handler = cmd_info);
CONSOLE_COMMAND(cpus, .name = "cpus", .usage = "cpus [--json]",
		.help = "every CPU: APIC id, state, timer ticks, IPIs, NMIs, GDTR/IDTR limits (pings each one)", .handler = cmd_cpus);
CONSOLE_COMMAND(mem, .name = "mem", .usage = "mem [--json]",
		.help = "physical memory and heap use", .handler = cmd_mem);
CONSOLE_COMMAND(uptime, .name = "uptime", .usage = "uptime [--json]",
		.help = "time since boot and the wall clock", .handler = cmd_uptime);
