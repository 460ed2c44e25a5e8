#!/bin/bash
# Makes the Linux guest's images disk: an ext2 filesystem (mke2fs -d, no root needed) holding one
# OCI image per entry, a layout directory as NAME/ or a layout tar as NAME.tar; the guest mounts
# it read-only at /images and the agent's "images" lists them by NAME.
# usage: mkimagesdisk.sh OUT.img PATH:NAME...
# SPDX-License-Identifier: MIT
set -euo pipefail
out=$1
shift
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { echo "mkimagesdisk: mke2fs missing (apt-get install e2fsprogs)" >&2; exit 1; }
stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
for pair in "$@"; do
	src=${pair%:*} name=${pair##*:}
	if [ "$src" = "$pair" ] || ! [[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$ ]]; then
		echo "mkimagesdisk: \"$pair\": want PATH:NAME, NAME 1..64 of [A-Za-z0-9_.-] not starting with . or -" >&2
		exit 1
	fi
	if [ -e "$stage/$name" ] || [ -e "$stage/$name.tar" ]; then
		echo "mkimagesdisk: two images named $name" >&2
		exit 1
	fi
	if [ -d "$src" ]; then
		[ -f "$src/index.json" ] || { echo "mkimagesdisk: $src has no index.json (not an OCI image layout)" >&2; exit 1; }
		cp -rL "$src" "$stage/$name"
	elif [ -f "$src" ] && tar -tf "$src" 2>/dev/null | grep -qE '^(\./)?index\.json$'; then
		cp "$src" "$stage/$name.tar"
	else
		echo "mkimagesdisk: $src is neither an OCI image layout directory nor a tar of one" >&2
		exit 1
	fi
done
# Room for the files, their inodes and ext2's metadata, plus a quarter.
kib=$(du -sk --apparent-size "$stage" | cut -f1)
files=$(find "$stage" | wc -l)
size=$(( (kib + files * 4) * 5 / 4 + 1024 ))
rm -f "$out.tmp"
mke2fs -q -F -t ext2 -L images -b 4096 -N $((files + 64)) -m 0 -E root_owner=0:0 -d "$stage" "$out.tmp" "${size}k"
mv "$out.tmp" "$out"
