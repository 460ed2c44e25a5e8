#!/bin/bash
# Builds a small OCI image layout of Debian's busybox-static: one gzip layer, a config
# (Cmd ["sh"]) and index.json with the ref name "busybox". Deterministic: the same
# busybox gives the same digests.
# SPDX-License-Identifier: MIT
#
# usage: mkimage.sh OUT_DIR
set -euo pipefail
out=$1
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "mkimage: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || \
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic' || \
	{ echo "mkimage: $busybox is not static (apt-get install busybox-static)" >&2; exit 1; }

work=$(mktemp -d "${out%/}.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,root,var,usr/bin,sbin}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

sha() { sha256sum "$1" | cut -d' ' -f1; }
blob() { # moves FILE into the blob store, prints its digest hex
	local h; h=$(sha "$1")
	mv "$1" "$out/blobs/sha256/$h"
	echo "$h"
}

rm -rf "$out"
mkdir -p "$out/blobs/sha256"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha "$work/layer.tar")
gzip -n -9 <"$work/layer.tar" >"$work/layer.tar.gz"
layer_size=$(stat -c %s "$work/layer.tar.gz")
layer=$(blob "$work/layer.tar.gz")

cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created_by":"guests/linux/image/mkimage.sh"}]}
JSON
config_size=$(stat -c %s "$work/config.json")
config=$(blob "$work/config.json")

cat >"$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$config_size},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer","size":$layer_size}]}
JSON
manifest_size=$(stat -c %s "$work/manifest.json")
manifest=$(blob "$work/manifest.json")

cat >"$out/index.json" <<JSON
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$manifest","size":$manifest_size,"annotations":{"org.opencontainers.image.ref.name":"busybox"},"platform":{"architecture":"amd64","os":"linux"}}]}
JSON
echo '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
