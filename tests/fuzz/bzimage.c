/* Fuzz harness of the bzImage loader: any bytes as a kernel, with a small initramfs and command line, into 32 MiB. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/load/bzimage.h"
#include "tests/fuzz/guest_ram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t initrd[3000];
	const struct guest_writer *w = fuzz_ram_writer();
	struct load_request rq = { .ram_bytes = FUZZ_RAM_SIZE, .cmdline = "console=ttyS0", .acpi_rsdp = 0xE0000,
				   .initrd = initrd, .initrd_len = sizeof(initrd) };
	struct boot_entry e;
	char err[160];

	err[0] = '\0';
	if (bzimage_load(data, size, &rq, w, &e, err, sizeof(err)) == 0)
		FUZZ_CHECK(e.rip >= 0x100000 && e.rip < FUZZ_RAM_SIZE && e.rsi == 0x7000 && e.cs == 0x10);
	else
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
	return 0;
}
