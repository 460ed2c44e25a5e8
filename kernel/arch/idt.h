/* Interrupt descriptor table, trap frames and the interrupt vectors the kernel uses. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_ARCH_IDT_H
#define KERNEL_ARCH_IDT_H

#include <stdint.h>

/* IST slots (1-based, SDM Vol 3A 8.14.5) for exceptions that need a known-good stack. */
#define IST_NMI 1
#define IST_DF 2
#define IST_MC 3

/* Vectors, SDM Vol 3A 6.3.1: 0-31 exceptions, then ours. */
#define VEC_NMI 2
#define VEC_DF 8
#define VEC_MC 18
#define VEC_NET 0xe0 /* the management NIC: only wakes the console CPU, which then polls */
#define VEC_SERIAL 0xe1 /* COM1 received a byte: likewise */
#define VEC_TIMER 0xef
#define VEC_IPI_PING 0xf0
#define VEC_IPI_STOP 0xf1
#define VEC_IPI_KICK 0xf2
#define VEC_SPURIOUS 0xff

/* Layout pushed by kernel/arch/isr.S; checked there against these offsets. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU, SDM Vol 3A 6.14.2 */
};

typedef void (*irq_handler_t)(struct trap_frame *tf);

void idt_init(void);
void idt_load(void);
/* Installs the handler for an interrupt vector >= 32. */
void irq_register(uint8_t vector, irq_handler_t handler);
/* Called from isr.S for every interrupt and exception. */
void trap_dispatch(struct trap_frame *tf);

#endif
