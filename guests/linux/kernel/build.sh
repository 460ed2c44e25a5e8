#!/bin/bash
# Builds the Linux guest's bzImage from Debian's linux-source-6.1 with config.fragment on top
# of tinyconfig. The unpacked source is kept per source version; the build per version and
# fragment, so a rebuild happens only when either changes.
# usage: guests/linux/kernel/build.sh OUT_BZIMAGE
# SPDX-License-Identifier: MIT
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/config.fragment
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "kernel: no /usr/src/linux-source-6.1.tar.*: apt-get install linux-source-6.1" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$(cat "$fragment" "$0" | sha256sum | cut -c1-12)
third=${BULWARK_THIRD_PARTY:-build/third_party}
src=$third/linux-source-$version
obj=$(dirname "$out")/kernel-$version-$key

if [ ! -f "$src/.unpacked" ]; then
	echo "kernel: unpacking $tarball"
	rm -rf "$src" "$src.tmp" && mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked" && mv "$src.tmp" "$src"
fi
if [ ! -f "$obj/arch/x86/boot/bzImage" ]; then
	mkdir -p "$obj"
	jobs=$(nproc)
	# Called from make: its jobserver does not reach this script, and a make that inherits its
	# flags without it falls back to one job. This build is the longest of all: use every CPU.
	unset MAKEFLAGS MFLAGS MAKELEVEL
	make -s -C "$src" O="$(realpath "$obj")" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" >/dev/null
	make -s -C "$src" O="$(realpath "$obj")" olddefconfig >/dev/null
	# An option whose dependencies are missing is dropped silently by kconfig: refuse that.
	missing=0
	while IFS= read -r line; do
		case $line in CONFIG_*=*) grep -qx "$line" "$obj/.config" || { echo "kernel: $line did not stick" >&2; missing=1; } ;; esac
	done <"$fragment"
	[ $missing = 0 ] || exit 1
	echo "kernel: building linux $version (config $key) with $jobs jobs"
	make -s -C "$src" O="$(realpath "$obj")" -j"$jobs" bzImage KBUILD_BUILD_USER=bulwark \
		KBUILD_BUILD_HOST=build KBUILD_BUILD_TIMESTAMP="$(date -u -R -r "$tarball")"
fi
install -D -m 644 "$obj/arch/x86/boot/bzImage" "$out"
