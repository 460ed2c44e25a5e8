/* Prints what went wrong, stops the other CPUs with an NMI and halts this one. */
/* SPDX-License-Identifier: MIT */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "kernel/panic.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/x86.h"
#include "kernel/percpu.h"
#include "kernel/smp_internal.h"
#include "include/bulwark/layout.h"
#include "drivers/serial.h"

static volatile uint32_t panicking;

bool panic_in_progress(void)
{
	return panicking != 0;
}

void panic_stop_this_cpu(void)
{
	struct percpu *p = this_cpu();
	if (p)
		p->state = CPU_HALTED;
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		serial_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Walks saved frame pointers while they stay inside the kernel's half of the address space. */
static void backtrace(uint64_t rbp, uint64_t rip)
{
	out("backtrace (addr2line -e build/bulwark.elf ADDR):\n  %016llx\n", (unsigned long long)rip);
	for (int depth = 0; depth < 32; depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		if (rbp < HHDM_BASE || (rbp & 7) || !frame[1])
			break;
		out("  %016llx\n", (unsigned long long)frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

/* Only the first CPU to panic reports; the others are stopped by NMI. */
static void enter_panic(void)
{
	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		panic_stop_this_cpu();
	serial_force_unlock();
	struct percpu *p = this_cpu();
	out("\n*** BULWARK PANIC on CPU %u ***\n", p ? p->index : 0);
	out("stopping the other CPUs: %u of them halted\n", smp_stop_others());
}

void panic(const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	uint64_t rbp;

	enter_panic();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("panic: %s\n", msg);
	__asm__ volatile("movq %%rbp, %0" : "=r"(rbp));
	backtrace(rbp, (uint64_t)__builtin_return_address(0));
	out("system halted\n");
	panic_stop_this_cpu();
}

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
	"#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD exception", "#VE virtualization exception", "#CP control protection",
};

void panic_exception(struct trap_frame *tf)
{
	const char *name = tf->vector < 32 && exception_names[tf->vector] ? exception_names[tf->vector] : "unexpected interrupt";

	enter_panic();
	out("exception %llu (%s), error code %#llx\n", (unsigned long long)tf->vector, name,
	    (unsigned long long)tf->error_code);
	out("RIP %016llx CS %04llx RFLAGS %016llx\n", (unsigned long long)tf->rip, (unsigned long long)tf->cs,
	    (unsigned long long)tf->rflags);
	out("RSP %016llx SS %04llx CR2 %016llx CR3 %016llx\n", (unsigned long long)tf->rsp,
	    (unsigned long long)tf->ss, (unsigned long long)read_cr2(), (unsigned long long)read_cr3());
	out("RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n", (unsigned long long)tf->rax,
	    (unsigned long long)tf->rbx, (unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
	out("RSI %016llx RDI %016llx RBP %016llx R8  %016llx\n", (unsigned long long)tf->rsi,
	    (unsigned long long)tf->rdi, (unsigned long long)tf->rbp, (unsigned long long)tf->r8);
	out("R9  %016llx R10 %016llx R11 %016llx R12 %016llx\n", (unsigned long long)tf->r9,
	    (unsigned long long)tf->r10, (unsigned long long)tf->r11, (unsigned long long)tf->r12);
	out("R13 %016llx R14 %016llx R15 %016llx\n", (unsigned long long)tf->r13, (unsigned long long)tf->r14,
	    (unsigned long long)tf->r15);
	out("CR0 %016llx CR4 %016llx\n", (unsigned long long)read_cr0(), (unsigned long long)read_cr4());
	backtrace(tf->rbp, tf->rip);
	out("system halted\n");
	panic_stop_this_cpu();
}
