#!/bin/bash
# Packs the test VM's initramfs (newc cpio, gzip): busybox-static, bwrun, the busybox OCI
# image, the init stages and the in-VM scripts. With --with-runtimes it also carries
# runc and crun from Debian with the libraries ldd lists (for the benchmark).
# SPDX-License-Identifier: MIT
#
# usage: mkinitramfs.sh [--with-runtimes] OUT.cpio.gz BWRUN IMAGE_DIR SCRIPT...
set -euo pipefail
runtimes=0
[ "$1" = --with-runtimes ] && { runtimes=1; shift; }
out=$1 bwrun=$2 image=$3
shift 3
here=$(dirname "$0")
command -v cpio >/dev/null || { echo "mkinitramfs: cpio missing (apt-get install cpio)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "mkinitramfs: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }

root=$(mktemp -d "${out}.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,tests,image}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
cp "$bwrun" "$root/bin/bwrun"
cp -a "$image/." "$root/image/"
cp "$here/init" "$root/init"
cp "$here/stage2" "$root/stage2"
for s in "$@"; do cp "$s" "$root/tests/"; done
chmod 755 "$root/init" "$root/stage2" "$root"/tests/*
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

copy_with_libs() { # BINARY DEST
	install -D "$1" "$root$2"
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D "$(readlink -f "$lib")" "$root$lib"
	done
}
if [ $runtimes = 1 ]; then
	for bin in /usr/sbin/runc /usr/bin/crun; do
		[ -x "$bin" ] || { echo "mkinitramfs: $bin missing (apt-get install runc crun)" >&2; exit 1; }
		copy_with_libs "$bin" "$bin"
	done
fi
(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
