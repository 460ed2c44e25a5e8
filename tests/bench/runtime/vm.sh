#!/bin/bash
# Boots the benchmark VM (Debian's kernel, the initramfs with bwrun, crun and runc) under
# QEMU TCG and relays the figures it prints on the serial console.
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../../.."
kernel=build/guests/linux/vmlinuz
initrd=build/guests/linux/initramfs-bench.cpio.gz
for f in $kernel $initrd; do
	[ -f $f ] || { echo "missing $f: make $f"; exit 1; }
done
log=$(mktemp /tmp/bwrun-vmbench.XXXXXX)
trap 'rm -f "$log"' EXIT
guests/linux/run-vm.sh "$initrd" bench 2400 >"$log"
grep -E '^bench:|^# ' "$log" | sed 's/^bench: /vm: /'
grep -q '^# vm done' "$log" || { echo "the VM did not finish; last lines:"; tail -10 "$log"; exit 1; }
