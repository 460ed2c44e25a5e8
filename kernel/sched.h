/* The vCPU scheduler: each CPU runs the vCPUs pinned to it, time-sliced, and CPU 0 also drives the console. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

#define SCHED_SLICE_HZ 100 /* a guest runs at most 10 ms before the CPU looks around */

/* Runs forever on the calling CPU. `console` is true on the one CPU that polls the operator's serial port. */
void sched_cpu_loop(bool console) __attribute__((noreturn));
/* Lets the CPUs waiting in sched_cpu_loop enable the backend and start picking vCPUs. */
void sched_open(void);
/* Whether the backend could be enabled on CPU `cpu` (and why not). */
bool sched_cpu_usable(uint32_t cpu, const char **why);

/* Pins every vCPU of a new VM to the least loaded allowed CPU. 0, or -1 if no CPU can take it. */
int sched_pin_vcpus(struct vm *vm);
/* Asks the CPUs holding its vCPUs to drop them (backend state freed there); waits. 0 or -1 on timeout. */
int sched_release_vcpus(struct vm *vm, uint64_t timeout_ns);
/* Waits until no CPU is inside one of the VM's vCPUs. 0 or -1 on timeout. */
int sched_wait_idle(struct vm *vm, uint64_t timeout_ns);
/* The next run of each vCPU starts from its registers afresh (backend state rebuilt). */
void sched_reinit_vcpus(struct vm *vm);
/* Makes the CPU `v` is pinned to look at it again now (an interrupt arrived for it): an IPI unless it is this CPU. */
void sched_wake_vcpu(struct vcpu *v);
/*
 * Something the console waits for has come (bytes from a guest's virtio-console port, for the
 * agent client or an attached session): the console CPU stops the guest slice it runs or leaves
 * its HLT and looks, instead of at its next host tick. Any CPU, any context.
 */
void sched_wake_console(void);
/* Interrupts every CPU currently running one of the VM's vCPUs. */
void sched_kick_vm(struct vm *vm);

/* Drops vCPUs asked to go from this CPU's queue (their backend state lives here). */
void sched_service_local(void);
/* Enables the backend on the calling CPU (after sched_open); the console CPU calls it itself. */
void sched_enable_this_cpu(void);
/* TSC cycles CPU `cpu` has spent halted with no vCPU to run. */
uint64_t sched_idle_tsc(uint32_t cpu);

/*
 * For a console command that waits (the agent client, hypervisor/agent/ct_ops.c): one turn of
 * the console CPU's loop without reading the operator's port — VM requests are served and a
 * vCPU pinned to this CPU runs a slice (or the CPU halts until the next interrupt). vCPUs may be
 * pinned to the console CPU, so a wait that spun instead would starve the guest it waits for.
 * Only on the console CPU, from inside a command.
 */
void sched_console_wait_step(void);

/* Supplied by the console side: read operator input, push attached guest output. */
void console_poll(void);
void vm_console_pump(void);
/* The `ct` attached sessions and `ct logs -f` (kernel/console/cmd_ct.c). */
void ct_console_pump(void);

#endif
