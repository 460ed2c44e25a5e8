#!/bin/bash
# Boots the cgroup v2 test VM (Debian's kernel + the test initramfs, QEMU TCG) in one of its
# modes and relays the TAP lines its serial console prints, plan included: tests/run fails
# the suite when fewer results arrive than the VM's script planned.
# usage: vm_suite.sh MODE SECONDS   (MODE: the init's bwmode=, e.g. test or oci)
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../../.."
mode=$1 limit=$2
kernel=build/guests/linux/vmlinuz
initrd=build/guests/linux/initramfs-test.cpio.gz
command -v qemu-system-x86_64 >/dev/null || { echo "not ok - vm $mode: qemu-system-x86_64 missing (apt-get install qemu-system-x86)"; exit 1; }
for f in $kernel $initrd; do
	[ -f $f ] || { echo "not ok - vm $mode: $f missing (make $f; needs linux-image-amd64, busybox-static, cpio)"; exit 1; }
done
log=$(mktemp /tmp/bwrun-vm-$mode.XXXXXX)
trap 'rm -f "$log"' EXIT
guests/linux/run-vm.sh "$initrd" "$mode" "$limit" >"$log"
rc=$?
grep -E '^1\.\.[0-9]+$|^(not )?ok |^# ' "$log"
if ! grep -q '^# vm done: status ' "$log"; then
	echo "not ok - vm $mode: the VM did not finish (qemu status $rc); last lines:"
	tail -15 "$log" | sed 's/^/# /'
	exit 1
fi
status=$(sed -n 's/^# vm done: status \([0-9]*\).*/\1/p' "$log" | tail -1)
[ "$status" = 0 ] || { echo "# the $mode script in the VM exited with status $status"; exit 1; }
