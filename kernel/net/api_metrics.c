/* /metrics: the host, its CPUs, every VM, the network and the API in the Prometheus text format,
 * named as Prometheus' naming conventions say (base units, _total for counters, labels for dimensions). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include "hypervisor/exit.h"
#include "hypervisor/vm.h"
#include "kernel/console/host_api.h"
#include "kernel/console/vm_view.h"
#include "kernel/mm/pmm.h"
#include "kernel/net/api/prom.h"
#include "kernel/net/api_handlers.h"
#include "kernel/net/api_server.h"
#include "kernel/net/net.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"

static void host_metrics(struct outbuf *b)
{
	struct pmm_stats ps;
	struct kernel_heap_stats hs = { 0 };

	pmm_get_stats(&ps);
	kernel_heap_stats(&hs);
	prom_family(b, "bulwark_uptime_seconds", "gauge", "Time since the hypervisor booted.");
	prom_milli(b, "bulwark_uptime_seconds", NULL, time_ns() / 1000000);
	prom_family(b, "bulwark_memory_bytes", "gauge", "Physical memory by kind, as `mem` shows it.");
	prom_u64(b, "bulwark_memory_bytes", (const char *const[]){ "kind", "total", NULL }, ps.total_bytes);
	prom_u64(b, "bulwark_memory_bytes", (const char *const[]){ "kind", "usable", NULL }, ps.usable_bytes);
	prom_u64(b, "bulwark_memory_bytes", (const char *const[]){ "kind", "free", NULL }, ps.free_bytes);
	prom_u64(b, "bulwark_memory_bytes", (const char *const[]){ "kind", "reserved", NULL }, ps.reserved_bytes);
	prom_family(b, "bulwark_heap_bytes", "gauge", "The hypervisor heap: its size, taken from it, in use.");
	prom_u64(b, "bulwark_heap_bytes", (const char *const[]){ "kind", "size", NULL }, hs.size_bytes);
	prom_u64(b, "bulwark_heap_bytes", (const char *const[]){ "kind", "taken", NULL }, hs.arena_bytes);
	prom_u64(b, "bulwark_heap_bytes", (const char *const[]){ "kind", "in_use", NULL }, hs.used_bytes);
}

static void cpu_metrics(struct outbuf *b)
{
	struct cpu_status st;
	char cpu[12];

	prom_family(b, "bulwark_cpu_timer_ticks_total", "counter", "LAPIC timer interrupts taken by each CPU.");
	for (uint32_t i = 0; !smp_cpu_status(i, &st); i++) {
		snprintf(cpu, sizeof(cpu), "%u", i);
		prom_u64(b, "bulwark_cpu_timer_ticks_total", (const char *const[]){ "cpu", cpu, NULL }, st.timer_ticks);
	}
	prom_family(b, "bulwark_cpu_idle_seconds_total", "counter", "Time each CPU spent halted with no vCPU to run.");
	for (uint32_t i = 0; !smp_cpu_status(i, &st); i++) {
		snprintf(cpu, sizeof(cpu), "%u", i);
		prom_milli(b, "bulwark_cpu_idle_seconds_total", (const char *const[]){ "cpu", cpu, NULL },
			   vm_tsc_to_ms(sched_idle_tsc(i)));
	}
}

static void vm_metrics(struct outbuf *b, struct vm **vms, uint32_t n)
{
	struct vm_totals t;

	prom_family(b, "bulwark_vm_state", "gauge", "1 for the state each VM is in, 0 for the others.");
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t s = 0; s < VM_STATE_COUNT; s++)
			prom_u64(b, "bulwark_vm_state", (const char *const[]){ "vm", vms[i]->name, "state", vm_state_name(s), NULL },
				 vms[i]->state == s);
	prom_family(b, "bulwark_vm_vcpus", "gauge", "vCPUs of each VM.");
	for (uint32_t i = 0; i < n; i++)
		prom_u64(b, "bulwark_vm_vcpus", (const char *const[]){ "vm", vms[i]->name, NULL }, vms[i]->vcpu_count);
	prom_family(b, "bulwark_vm_memory_bytes", "gauge", "Guest RAM of each VM.");
	for (uint32_t i = 0; i < n; i++)
		prom_u64(b, "bulwark_vm_memory_bytes", (const char *const[]){ "vm", vms[i]->name, NULL }, vms[i]->mem_bytes);
	prom_family(b, "bulwark_vm_exits_total", "counter", "VM exits of each VM by reason.");
	for (uint32_t i = 0; i < n; i++) {
		vm_totals_get(vms[i], &t);
		for (uint32_t c = 0; c < EXIT_CODE_COUNT; c++)
			prom_u64(b, "bulwark_vm_exits_total",
				 (const char *const[]){ "vm", vms[i]->name, "reason", exit_code_name(c), NULL }, t.by_code[c]);
	}
	prom_family(b, "bulwark_vm_guest_seconds_total", "counter", "Time each VM's vCPUs ran in the guest.");
	for (uint32_t i = 0; i < n; i++) {
		vm_totals_get(vms[i], &t);
		prom_milli(b, "bulwark_vm_guest_seconds_total", (const char *const[]){ "vm", vms[i]->name, NULL },
			   vm_tsc_to_ms(t.guest_tsc));
	}
	prom_family(b, "bulwark_vm_hypervisor_seconds_total", "counter", "Time the hypervisor spent on each VM's exits.");
	for (uint32_t i = 0; i < n; i++) {
		vm_totals_get(vms[i], &t);
		prom_milli(b, "bulwark_vm_hypervisor_seconds_total", (const char *const[]){ "vm", vms[i]->name, NULL },
			   vm_tsc_to_ms(t.host_tsc));
	}
}

static void net_metrics(struct outbuf *b)
{
	struct net_status s;
	struct api_status a;

	net_get_status(&s);
	api_get_status(&a);
	if (s.present) {
		const char *const l[] = { "interface", "en0", "driver", s.nic, NULL };
		prom_family(b, "bulwark_net_receive_packets_total", "counter", "Frames received by the management NIC.");
		prom_u64(b, "bulwark_net_receive_packets_total", l, s.count.rx_packets);
		prom_family(b, "bulwark_net_receive_bytes_total", "counter", "Bytes received by the management NIC.");
		prom_u64(b, "bulwark_net_receive_bytes_total", l, s.count.rx_bytes);
		prom_family(b, "bulwark_net_transmit_packets_total", "counter", "Frames sent by the management NIC.");
		prom_u64(b, "bulwark_net_transmit_packets_total", l, s.count.tx_packets);
		prom_family(b, "bulwark_net_transmit_bytes_total", "counter", "Bytes sent by the management NIC.");
		prom_u64(b, "bulwark_net_transmit_bytes_total", l, s.count.tx_bytes);
		prom_family(b, "bulwark_net_stack_bytes", "gauge", "Memory of the TCP/IP stack: fixed pools and heap, heap in use.");
		prom_u64(b, "bulwark_net_stack_bytes", (const char *const[]){ "kind", "fixed", NULL }, s.stack_static_bytes);
		prom_u64(b, "bulwark_net_stack_bytes", (const char *const[]){ "kind", "heap_in_use", NULL }, s.stack_heap_used);
	}
	prom_family(b, "bulwark_api_requests_total", "counter", "HTTP requests the management API answered.");
	prom_u64(b, "bulwark_api_requests_total", NULL, a.requests);
	prom_family(b, "bulwark_api_rejected_total", "counter", "Requests refused by the API, by reason.");
	prom_u64(b, "bulwark_api_rejected_total", (const char *const[]){ "reason", "auth", NULL }, a.rejected_auth);
	prom_u64(b, "bulwark_api_rejected_total", (const char *const[]){ "reason", "bad_request", NULL }, a.rejected_bad);
	prom_u64(b, "bulwark_api_rejected_total", (const char *const[]){ "reason", "connection_limit", NULL }, a.dropped_limit);
	prom_u64(b, "bulwark_api_rejected_total", (const char *const[]){ "reason", "timeout", NULL }, a.timeouts);
	prom_family(b, "bulwark_api_connections", "gauge", "Open API connections.");
	prom_u64(b, "bulwark_api_connections", NULL, a.connections);
}

void api_metrics(struct outbuf *b)
{
	struct vm **vms = malloc(sizeof(*vms) * VM_MAX);
	uint32_t n;

	host_metrics(b);
	cpu_metrics(b);
	if (vms) {
		n = vm_snapshot(vms, VM_MAX);
		vm_metrics(b, vms, n);
		free(vms);
	}
	net_metrics(b);
}
