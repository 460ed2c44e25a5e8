#!/bin/bash
# Boots the cgroup v2 test VM in its OCI mode (vm-oci.sh: devices, cpuset, io, hugetlb,
# unified, update, a container manager's call sequence) and
# relays the TAP lines its serial console prints (the VM prints the plan).
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../../.."
kernel=build/guests/linux/vmlinuz
initrd=build/guests/linux/initramfs-test.cpio.gz
command -v qemu-system-x86_64 >/dev/null || { echo "not ok - vm: qemu-system-x86_64 missing (apt-get install qemu-system-x86)"; exit 1; }
for f in $kernel $initrd; do
	[ -f $f ] || { echo "not ok - vm: $f missing (make $f; needs linux-image-amd64, busybox-static, cpio)"; exit 1; }
done
log=$(mktemp /tmp/bwrun-vmoci.XXXXXX)
trap 'rm -f "$log"' EXIT
guests/linux/run-vm.sh "$initrd" oci 600 >"$log"
rc=$?
grep -E '^1\.\.[0-9]+$|^(not )?ok |^# ' "$log"
if ! grep -q '^# vm done: status ' "$log"; then
	echo "not ok - vm-oci: the VM did not finish (qemu status $rc); last lines:"
	tail -15 "$log" | sed 's/^/# /'
	exit 1
fi
status=$(sed -n 's/^# vm done: status \([0-9]*\).*/\1/p' "$log" | tail -1)
[ "$status" = 0 ] || { echo "# the OCI script in the VM exited with status $status"; exit 1; }
