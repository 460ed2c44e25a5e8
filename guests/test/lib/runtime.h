/* The test guests' tiny runtime: entry, exceptions, catching faults, UART, printing, hypercalls. */
/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Each guest provides this; `ram_bytes` is guest RAM from physical 0. */
void guest_main(uint32_t ram_bytes);

/* start.S calls this with the entry EAX and EBX. */
void runtime_start(uint32_t eax, uint32_t ebx);
/* The entry EAX and EBX as runtime_start() got them (a Multiboot guest reads its information from them). */
extern uint32_t runtime_boot_eax, runtime_boot_ebx;

/* What isr.S pushes: pusha, vector, error code, then the CPU's frame (same privilege). */
struct exception_frame {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

void idt_init(void);
void exception_dispatch(struct exception_frame *f);
const char *exception_name(uint32_t vector);

/* Runs fn(arg). 0 with *value = its result, or the exception vector + 1 if it faulted. */
typedef uint64_t (*guarded_fn)(uint32_t arg);
int run_guarded(guarded_fn fn, uint32_t arg, uint64_t *value);

/* COM1 at 0x3F8. */
void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);

/* %s %c %d %u %x %llu %llx, with optional 0 flag and width. */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gvprintf(const char *fmt, va_list ap);

/* Bulwark hypercalls (include/bulwark/hypercall.h): VMCALL on Intel, VMMCALL on AMD. */
bool hc_present(void);
int32_t hypercall(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
