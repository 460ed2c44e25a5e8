/* VM and vCPU objects and their lifecycle state machine. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VM_H
#define HYPERVISOR_VM_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/exit.h"
#include "hypervisor/fpu.h"
#include "hypervisor/vcpu_regs.h"
#include "hypervisor/dev/mmiobus.h"
#include "kernel/spinlock.h"

#define VM_NAME_MAX 32
#define VM_MAX_VCPUS 8
#define VM_MAX_REGIONS 64
#define VM_MAX 1024

/*
 * Lifecycle (see vm_transition_allowed): created -> running <-> paused;
 * running/paused -> stopped (clean stop or kill); running -> crashed (guest
 * fault, hostile act, triple fault); stopped/crashed -> running (start/restart
 * reloads the image); any state but running/paused -> destroyed.
 */
enum vm_state { VM_CREATED = 0, VM_RUNNING, VM_PAUSED, VM_STOPPED, VM_CRASHED, VM_STATE_COUNT };

/* vm_transition()'s answer for destroy: the VM no longer exists. */
#define VM_GONE VM_STATE_COUNT

enum vm_op { VM_OP_START, VM_OP_PAUSE, VM_OP_RESUME, VM_OP_STOP, VM_OP_KILL, VM_OP_RESTART, VM_OP_DESTROY, VM_OP_CRASH, VM_OP_COUNT };

/* Host-physical backing of guest-physical RAM: contiguous runs from the frame allocator. */
struct gmem_region {
	uint64_t gpa, hpa, size;
};

struct vm;

struct vcpu {
	struct fpu_area fpu;        /* the guest's extended state (XSAVE area) while it is off the CPU */
	struct vm *vm;
	uint32_t index;
	uint32_t cpu;               /* physical CPU it is pinned to */
	struct vcpu_regs regs;
	void *arch;                 /* VMCS / VMCB state of the backend */
	volatile bool running;      /* on a CPU right now */
	bool initialised;           /* backend state exists */
	uint64_t exits;
	uint64_t exits_by_code[EXIT_CODE_COUNT];
	uint64_t guest_tsc, host_tsc; /* cycles in the guest, cycles handling its exits */
	uint64_t mtrr_def_type;     /* the guest's IA32_MTRR_DEF_TYPE (its own view, msr.c) */
	uint64_t halted_until_ns;   /* HLT: sleep until then; VCPU_PARKED: halted with interrupts off */
	uint64_t dr[4], dr6;        /* DR0-3 and DR6 while it is off the CPU (hypervisor/guest_context.c) */
	uint64_t tsc_aux;           /* IA32_TSC_AUX: what RDTSCP/RDPID return in ECX */
	uint64_t pv_system_time;    /* PV_MSR_SYSTEM_TIME as last written (hypervisor/pvclock_guest.c) */
	uint64_t pv_eoi_msr;        /* PV_MSR_EOI as last written (hypervisor/pv_eoi.c) */
	bool pv_eoi_offered;        /* the guest's EOI bit was set for the run that just ended */
	/* Requests to the CPU the vCPU is pinned to (backend state lives there). */
	volatile bool reinit_req;   /* drop backend state and start again from regs */
	/*
	 * Waiting for INIT/SIPI: an application processor of a Linux or
	 * Multiboot guest, not run until another vCPU starts it (the backend
	 * integration delivers the SIPI). Counts as parked for the VM's end.
	 */
	volatile bool wait_sipi;
	volatile bool destroy_req;  /* drop backend state for good */
};

#define VM_FILE_MAX 64      /* a boot module name, NUL included */
#define VM_CMDLINE_MAX 480  /* a guest command line, NUL included (a config line holds 511 bytes) */
#define VM_MODULES_MAX 8
#define VM_DISKS_MAX 4      /* virtio-blk disks per VM (disk=FILE[,ro]) */

/* A disk of the VM: a boot module, copied into hypervisor memory at vm create (hypervisor/dev/virtio/blk.c). */
struct vm_disk {
	char file[VM_FILE_MAX];
	bool ro;                                   /* VIRTIO_BLK_F_RO: the guest cannot write it */
};

/* Files and words a Linux or Multiboot guest boots with, beside its kernel. */
struct vm_boot {
	char initrd[VM_FILE_MAX];                  /* Linux: the initramfs module, "" for none */
	char cmdline[VM_CMDLINE_MAX];              /* Linux and Multiboot: the kernel command line */
	char modules[VM_MODULES_MAX][VM_FILE_MAX]; /* Multiboot: module files, in order */
	uint32_t module_count;
	bool debug_exit;                           /* port PLAT_PORT_DEBUG_EXIT stops the VM with a status */
	struct vm_disk disks[VM_DISKS_MAX];        /* virtio-blk, in slot order */
	uint32_t disk_count;
};

struct vm {
	uint32_t id;
	char name[VM_NAME_MAX];
	char image[64];             /* boot module name of the image */
	uint32_t kind;              /* enum image_kind, detected from the image's bytes at create */
	struct vm_boot boot;
	uint64_t mem_bytes;
	uint32_t vcpu_count;
	uint64_t cpu_mask;          /* physical CPUs its vCPUs may use */
	volatile uint32_t state;    /* enum vm_state */
	char reason[192];           /* why it stopped or crashed (room for an MMIO access and its 15 bytes) */
	bool has_exit_status;       /* the guest wrote the debug-exit port this boot */
	uint64_t exit_status;       /* (value << 1) | 1, as QEMU's isa-debug-exit gives it */
	uint64_t started_ns;
	uint64_t pv_tsc0;           /* the TSC when it started: time 0 of its paravirtual clock */
	uint64_t pv_wall_clock;     /* PV_MSR_WALL_CLOCK as last written */
	uint32_t unassigned_logged; /* accesses to unassigned ports logged this boot (dev/port_log.h) */
	struct spinlock lock;
	uint32_t region_count;
	struct gmem_region regions[VM_MAX_REGIONS];
	void *arch;                 /* EPT / NPT root of the backend */
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct uart16550 *uart;     /* COM1 of the guest */
	struct byte_ring *out;      /* guest serial output */
	struct mmio_bus mmio;       /* emulated MMIO devices (LAPIC, IOAPIC, virtio) */
	struct vplatform *plat;     /* interrupt controllers, timers, RTC, PM, reset ports */
	volatile bool reboot_req;   /* the guest reset the machine: boot it again (vm_service_reboots) */
	uint32_t quick_resets;      /* guest resets in a row, each within VM_RESET_LOOP_NS of its boot */
	uint64_t stop_deadline_ns;  /* vm stop pressed the power button: killed if still running then (0: none) */
	uint32_t stop_timeout_s;
	struct testdev *testdev;    /* mmio_test=yes only */
	struct vm_virtio *virtio;   /* virtio-mmio slots: console, disks (hypervisor/dev/virtio/virtio.h) */
	uint64_t entry;             /* image entry point */
	volatile uint32_t pending;  /* requests for the CPUs running it: VM_REQ_* */
};

#define VCPU_PARKED UINT64_MAX

#define VM_REQ_STOP 0x1u
#define VM_REQ_PAUSE 0x2u

struct vm_config {
	char name[VM_NAME_MAX];
	char image[64];     /* boot module name, e.g. "hello.elf" (kernel= or image=) */
	struct vm_boot boot;
	uint64_t mem_bytes;
	uint32_t vcpus;
	uint64_t cpu_mask;  /* 0: every online CPU */
	bool autostart;
	bool mmio_test;     /* the MMIO test device at PLAT_TESTDEV_BASE (hypervisor/dev/testdev.h) */
};

/* Limits a VM must keep to (checked by vm_config_check). */
#define VM_MEM_MIN (1ull << 20)
#define VM_MEM_MAX (64ull << 30)

/*
 * Validates a configuration against the machine (name syntax and uniqueness,
 * image present, memory, vCPUs, CPU mask) and creates the VM in the created
 * state with its RAM allocated, zeroed, mapped and the image loaded.
 * Returns 0, or -1 with `err` saying what was wrong and nothing left behind.
 */
int vm_create(const struct vm_config *cfg, struct vm **out, char *err, size_t errlen);
/* Applies a lifecycle operation from the console; -1 with `err` (naming the current state) if illegal. */
int vm_request(struct vm *vm, uint32_t op, char *err, size_t errlen);
/* Called by a CPU handling an exit: the VM ends, crashed or stopped, with the reason logged. */
void vm_end(struct vm *vm, uint32_t op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Called by a CPU handling an exit when the guest resets the machine (0xCF9,
 * the keyboard controller, port 0x92): the VM stops with `how` as its reason
 * and vm_service_reboots boots it again from its image.
 */
void vm_guest_reset(struct vm *vm, const char *how);
/* A guest that resets itself VM_RESET_LOOP_MAX times in a row, each within VM_RESET_LOOP_NS of booting,
 * is crashed instead: a reboot zeroes its RAM on the console CPU, which a reset loop must not monopolise. */
#define VM_RESET_LOOP_NS 1000000000ull
#define VM_RESET_LOOP_MAX 5
/*
 * vm stop: a guest that listens to the ACPI power button (it set PWRBTN_EN)
 * gets a press and `timeout_s` seconds to power itself off, then it is killed;
 * any other running or paused VM stops at once (vm_request). Returns 0 when
 * the VM stopped, 1 when the button was pressed, -1 with `err` if refused.
 */
#define VM_STOP_TIMEOUT_S 30
int vm_stop(struct vm *vm, uint32_t timeout_s, char *err, size_t errlen);
/* The console CPU's work between vCPU runs: reboots after guest resets, kills after vm stop timeouts. */
void vm_service_requests(void);
struct vm *vm_lookup(const char *name_or_id);
/* Copies pointers to every VM (in id order) into out; returns the count. */
uint32_t vm_snapshot(struct vm **out, uint32_t max);
/* Syntax check of a VM name: 1-31 of [A-Za-z0-9._-], starting with a letter or digit. */
int vm_name_valid(const char *name);

/* State machine (pure logic, unit-tested). */
const char *vm_state_name(uint32_t state);
const char *vm_op_name(uint32_t op);
/* Returns the state `op` leads to from `state`, or -1 if the transition is illegal. */
int vm_transition(uint32_t state, uint32_t op);

#endif
