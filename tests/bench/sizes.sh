#!/bin/sh
# Benchmark: size of the hypervisor ELF (file, text, data, bss) and of the UEFI loader.
# SPDX-License-Identifier: MIT
BUILD=${BULWARK_BUILD:-build}
elf=$BUILD/bulwark.elf
efi=$BUILD/esp/EFI/BOOT/BOOTX64.EFI
iso=$BUILD/bulwark.iso
for f in "$elf" "$efi" "$iso"; do
	[ -f "$f" ] && printf '%-40s %9d bytes (%d KiB)\n' "$f" "$(stat -c %s "$f")" "$(($(stat -c %s "$f") / 1024))" ||
		echo "$f: not built (run 'make all')"
done
if [ -f "$elf" ]; then
	size -B "$elf" | awk 'NR == 2 { printf "bulwark.elf sections: text %d, data %d, bss %d, total %d bytes\n", $1, $2, $3, $4 }'
	# The loaded image without debug info: what occupies memory.
	strip -o /tmp/bulwark-stripped.$$ "$elf" && printf 'bulwark.elf stripped: %d bytes\n' "$(stat -c %s /tmp/bulwark-stripped.$$)"
	rm -f /tmp/bulwark-stripped.$$
fi
if [ -f "$BUILD/efi/bootx64.so" ]; then
	size -B "$BUILD/efi/bootx64.so" | awk 'NR == 2 { printf "BOOTX64 (bootx64.so) sections: text %d, data %d, bss %d\n", $1, $2, $3 }'
fi
