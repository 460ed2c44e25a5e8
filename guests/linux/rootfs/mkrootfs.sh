#!/bin/bash
# Packs the Linux guest's initramfs (newc cpio, gzip): busybox-static and the files beside
# this script (init, inittab, init.d/, acpi/, profile), plus extra FILE:DEST pairs.
# usage: mkrootfs.sh OUT.cpio.gz [SRC:DEST]...
# SPDX-License-Identifier: MIT
set -euo pipefail
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
command -v cpio >/dev/null || { echo "mkrootfs: cpio missing (apt-get install cpio)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "mkrootfs: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }

root=$(mktemp -d "${out}.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,etc/acpi,proc,sys,dev,run,tmp,root}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
install -m 755 "$here/init" "$root/init"
install -m 644 "$here/inittab" "$root/etc/inittab"
install -m 644 "$here/profile" "$root/etc/profile"
install -m 755 "$here"/init.d/* "$root/etc/init.d/"
cp -r "$here/acpi/." "$root/etc/acpi/" && chmod -R 755 "$root/etc/acpi"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\n' >"$root/etc/group"
for pair in "$@"; do
	install -D -m 755 "${pair%%:*}" "$root/${pair#*:}"
done
(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --quiet -R 0:0) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
