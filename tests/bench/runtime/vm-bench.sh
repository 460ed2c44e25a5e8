#!/bin/sh
# Benchmark inside the cgroup v2 VM: 20 sequential `run` of /bin/true with bwrun, crun
# and runc on one bundle (ms per container, ratios) and again on the config `runc spec`
# writes, then the smallest memory.max under which a busybox container still starts.
# Prints figures on the serial console.
# SPDX-License-Identifier: MIT
. /tests/bundle.sh
N=20
bwrun --root /run/bwrun import /image /b/base >/dev/null
mkbundle /b/true /b/base/rootfs '["/bin/true"]' '{}'
# runc spec's config with only args, terminal and root.path changed
mkdir -p /b/spec
(cd /b/spec && runc spec && sed -i 's|"sh"$|"/bin/true"|; s|"terminal": true|"terminal": false|; s|"path": "rootfs"|"path": "/b/base/rootfs"|' config.json)

uptime_cs() { sed 's/\([0-9]*\)\.\([0-9]*\).*/\1\2/' /proc/uptime; }
fmt10() { echo "$(($1 / 10)).$(($1 % 10))"; } # tenths → "12.3"

# bench NAME BUNDLE LABEL CMD...: prints and remembers tenths of a millisecond per container
bench() {
	name=$1 bundle=$2 label=$3; shift 3
	if ! "$@" run -b $bundle "$name-warm" >/dev/null 2>&1; then
		echo "bench: $name cannot run ($label config): $("$@" run -b $bundle "$name-err" 2>&1 | tail -1)"
		eval "t_$name=0"; return
	fi
	t0=$(uptime_cs)
	i=0
	while [ $i -lt $N ]; do
		"$@" run -b $bundle "$name-$i" >/dev/null 2>&1 || { echo "bench: $name run $i failed"; break; }
		i=$((i + 1))
	done
	t1=$(uptime_cs)
	tenths=$(( (t1 - t0) * 100 / N ))
	eval "t_$name=$tenths"
	echo "bench: $name $(fmt10 $tenths) ms per container ($N sequential runs of /bin/true, $label config, QEMU TCG)"
}

for cfg in "/b/true image" "/b/spec runc-spec"; do
	bundle=${cfg% *} label=${cfg#* }
	bench bwrun $bundle $label bwrun --root /run/bwrun-$label
	bench crun $bundle $label crun --root /run/crun-$label
	bench runc $bundle $label runc --root /run/runc-$label
	for other in crun runc; do
		eval "t=\$t_$other"
		[ "$t_bwrun" -gt 0 ] && [ "$t" -gt 0 ] && \
			echo "bench: ratio $other/bwrun ($label config) $(fmt10 $((t * 10 / t_bwrun)))x"
	done
done

# Smallest memory.max (4 KiB steps) under which a busybox container runs /bin/true.
starts() {
	mkbundle /b/mem /b/base/rootfs '["/bin/true"]' "{\"memory\":{\"limit\":$1}}"
	bwrun --root /run/bwrun run -b /b/mem memprobe >/dev/null 2>&1
}
lo=4096 hi=67108864
if starts $hi; then
	while [ $((hi - lo)) -gt 4096 ]; do
		mid=$(( (lo + hi) / 2 / 4096 * 4096 ))
		if starts $mid; then hi=$mid; else lo=$mid; fi
	done
	echo "bench: smallest memory.max a busybox container starts under: $hi bytes ($((hi / 1024)) KiB)"
else
	echo "bench: a busybox container does not start even under 64 MiB"
fi
