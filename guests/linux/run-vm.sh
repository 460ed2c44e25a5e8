#!/bin/bash
# Boots the Linux test VM (Debian's kernel + an initramfs of ours) under QEMU TCG and prints
# its serial console with CRs removed. Exit status: QEMU's (124 after the time limit).
# usage: guests/linux/run-vm.sh INITRD MODE SECONDS   (MODE: the init's bwmode=, test or bench)
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../.."
initrd=$1 mode=$2 limit=$3
kernel=build/guests/linux/vmlinuz
timeout "$limit" qemu-system-x86_64 -accel tcg -machine q35 -cpu max -smp 2 -m 1024 \
	-display none -monitor none -serial stdio -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1 bwmode=$mode" </dev/null 2>&1 | tr -d '\r'
exit "${PIPESTATUS[0]}"
