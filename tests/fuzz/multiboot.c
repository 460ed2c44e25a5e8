/* Fuzz harness of the Multiboot loader: any bytes as a kernel, with two modules, into 32 MiB. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/load/multiboot.h"
#include "tests/fuzz/guest_ram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mod_a[5000], mod_b[10];
	static const struct load_module mods[] = { { mod_a, sizeof(mod_a), "a.bin" }, { mod_b, sizeof(mod_b), "b x=1" } };
	const struct guest_writer *w = fuzz_ram_writer();
	struct load_request rq = { .ram_bytes = FUZZ_RAM_SIZE, .cmdline = "test", .modules = mods, .module_count = 2 };
	struct boot_entry e;
	char err[160];

	err[0] = '\0';
	if (multiboot_load(data, size, &rq, w, &e, err, sizeof(err)) == 0)
		FUZZ_CHECK(e.rip >= 0x100000 && e.rip < FUZZ_RAM_SIZE && e.rax == 0x2BADB002 && e.rbx == 0x7000);
	else
		FUZZ_CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
	return 0;
}
