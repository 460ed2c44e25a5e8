/* Test guest `hostile`: tries one forbidden thing after another and reports what happened to each. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdint.h>
#include "hostile.h"
#include "runtime.h"

static uint32_t attempt_number;

void attempt(guarded_fn fn, uint32_t arg, const char *fmt, ...)
{
	uint32_t n = ++attempt_number;
	uint64_t value = 0;
	va_list ap;
	int fault;

	gprintf("hostile: try %u: ", n);
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	fault = run_guarded(fn, arg, &value);
	if (fault)
		gprintf("hostile: result %u: %s\n", n, exception_name((uint32_t)fault - 1));
	else
		gprintf("hostile: result %u: ok value=0x%llx\n", n, value);
}

void attempt_list(const struct attack *list, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		attempt(list[i].fn, list[i].arg, "%s", list[i].what);
}

/* Escape sequences that would clear, retitle and query the operator's terminal if passed on raw. */
static void attack_terminal(void)
{
	uint32_t n = ++attempt_number;

	gprintf("hostile: try %u: terminal escapes\n", n);
	uart_puts("\x1b[2J\x1b[H\x1b]0;hostile\x07\x1b[6n\n");
	gprintf("hostile: result %u: ok value=0x0\n", n);
}

/* Memory attacks come last: the hypervisor is expected to stop the VM at the first one. */
void guest_main(uint32_t ram_bytes)
{
	gprintf("hostile: start ram=0x%x\n", ram_bytes);
	attack_msrs();
	attack_virt_instructions();
	attack_ports();
	attack_apic();
	attack_hypercalls();
	attack_terminal();
	attack_memory(ram_bytes);
	attack_triple_fault();
	uart_puts("hostile: done\n");
}
