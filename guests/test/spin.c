/* Test guest `spin`: one line, then an endless loop with interrupts off and no further I/O. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"

void guest_main(uint32_t ram_bytes)
{
	(void)ram_bytes;
	uart_puts("spin: spinning with interrupts off\n");
	__asm__ volatile("cli");
	for (;;)
		__asm__ volatile("" ::: "memory");
}
