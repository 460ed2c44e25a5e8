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
timeout 900 qemu-system-x86_64 -accel tcg -machine q35 -cpu max -smp 2 -m 1024 \
	-display none -monitor none -serial stdio -no-reboot \
	-kernel $kernel -initrd $initrd \
	-append "console=ttyS0 quiet loglevel=3 panic=-1 bwmode=bench" </dev/null >"$log" 2>&1
tr -d '\r' <"$log" | grep -E '^bench:|^# ' | sed 's/^bench: /vm: /'
tr -d '\r' <"$log" | grep -q '^# vm done' || { echo "the VM did not finish; last lines:"; tr -d '\r' <"$log" | tail -10; exit 1; }
