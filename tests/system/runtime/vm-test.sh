#!/bin/sh
# cgroup v2 limit checks, run inside the test VM (pure cgroup v2, cpu/memory/pids on).
# Prints TAP on the serial console, its plan first. A limit check fails when its controller
# is missing (and the checks of that controller then fall short of the plan).
# SPDX-License-Identifier: MIT
. /tests/bundle.sh
B="bwrun --root /run/bwrun"
CG=/sys/fs/cgroup
echo "1..14"

ok() { echo "ok - vm: $1"; }
failures=0
not_ok() { echo "not ok - vm: $1: $2" | tr '\n' ' '; echo; failures=$((failures + 1)); }
has_ctl() { grep -qw "$1" $CG/cgroup.controllers; }
# limit NAME CONTROLLER: false (and a failure) when the controller is missing
need_ctl() { has_ctl "$2" || { not_ok "$1" "cgroup controller $2 missing from $CG/cgroup.controllers"; return 1; }; }
# run_watching ID BUNDLE: runs the container in the foreground; $out is what it printed
# and $seen says whether its cgroup appeared at $CG/bwrun/ID while it ran.
run_watching() {
	$B run -b "$2" "$1" >/tmp/run.$1 2>&1 &
	local pid=$! i=0
	seen=no
	while [ $i -lt 100 ] && kill -0 $pid 2>/dev/null; do
		[ -e "$CG/bwrun/$1/cgroup.procs" ] && { seen=yes; break; }
		sleep 0.05; i=$((i + 1))
	done
	wait $pid
	out=$(cat /tmp/run.$1)
}

if $B import /image /b/base >/dev/null 2>&1; then ok "import the busybox image"; else not_ok "import the busybox image" "failed"; fi
R=/b/base/rootfs

# memory: the limit is applied and a 64 MiB tmpfs file cannot be written under 16 MiB.
if need_ctl "memory.max limits the container" memory; then
	mkbundle /b/mem $R '["sh","-c","cat /sys/fs/cgroup/memory.max; sleep 1; dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>/dev/null; echo dd=$?"]' '{"memory":{"limit":16777216}}'
	run_watching mem /b/mem
	if [ $seen = yes ] && echo "$out" | head -1 | grep -qx 16777216 && echo "$out" | grep -q '^dd=[1-9]'; then
		ok "memory.max limits the container"
	else not_ok "memory.max limits the container" "cgroup seen: $seen; $out"; fi
	mkbundle /b/memctl $R '["sh","-c","dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>/dev/null; echo dd=$?"]' '{"memory":{"limit":536870912}}'
	out=$($B run -b /b/memctl memctl 2>&1)
	if echo "$out" | grep -q 'dd=0'; then ok "memory: the same write fits under 512 MiB (control)"; else not_ok "memory control" "$out"; fi
	[ $seen = yes ] && [ ! -e $CG/bwrun/mem ] && ok "memory: the cgroup it ran in is removed after the container" \
		|| not_ok "memory: the cgroup is removed" "seen while running: $seen; $(ls -d $CG/bwrun/mem 2>&1)"
	# OCI memory.swap is memory plus swap; cgroup v2 memory.swap.max is the swap alone.
	mkbundle /b/swap $R '["sh","-c","cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max"]' '{"memory":{"limit":16777216,"swap":50331648}}'
	out=$($B run -b /b/swap swap 2>&1)
	if [ "$(echo $out)" = "16777216 33554432" ]; then ok "memory.swap: memory.swap.max is swap minus limit"
	else not_ok "memory.swap: memory.swap.max is swap minus limit" "$out"; fi
fi

# pids: fork fails past pids.max.
if need_ctl "pids.max limits forks" pids; then
	mkbundle /b/pids $R '["sh","-c","cat /sys/fs/cgroup/pids.max; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done; wait"]' '{"pids":{"limit":8}}'
	out=$($B run -b /b/pids pids 2>&1)
	if echo "$out" | head -1 | grep -qx 8 && echo "$out" | grep -q "can't fork"; then
		ok "pids.max limits forks"
	else not_ok "pids.max limits forks" "$out"; fi
	mkbundle /b/pidsctl $R '["sh","-c","for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done; wait; echo forks-ok"]' '{"pids":{"limit":64}}'
	out=$($B run -b /b/pidsctl pidsctl 2>&1)
	if echo "$out" | grep -q forks-ok && ! echo "$out" | grep -q "can't fork"; then ok "pids: 12 forks fit under 64 (control)"; else not_ok "pids control" "$out"; fi
fi

# cpu: a busy loop under cpu.max 10% is throttled; shares become cpu.weight.
if need_ctl "cpu.max throttles the container" cpu; then
	mkbundle /b/cpu $R '["sh","-c","cat /sys/fs/cgroup/cpu.max; cat /sys/fs/cgroup/cpu.weight; timeout 2 sh -c \"while :; do :; done\"; cat /sys/fs/cgroup/cpu.stat"]' '{"cpu":{"quota":10000,"period":100000,"shares":1024}}'
	out=$($B run -b /b/cpu cpu 2>&1)
	usage=$(echo "$out" | sed -n 's/^usage_usec //p')
	thr=$(echo "$out" | sed -n 's/^nr_throttled //p')
	if echo "$out" | head -1 | grep -qx "10000 100000" && [ "${thr:-0}" -gt 0 ] && [ "${usage:-9999999}" -lt 1000000 ]; then
		ok "cpu.max throttles the container (usage ${usage}us in 2 s, throttled $thr times)"
	else not_ok "cpu.max throttles the container" "$out"; fi
	if echo "$out" | sed -n 2p | grep -qx 39; then ok "cpu.weight from cpu.shares"; else not_ok "cpu.weight from cpu.shares" "$out"; fi
fi

# lifecycle with limits: create, exec joins the cgroup, delete removes it.
if need_ctl "exec joins the container's cgroup" pids; then
	mkbundle /b/life $R '["sleep","1000"]' '{"pids":{"limit":20}}'
	$B create -b /b/life life </dev/null >/dev/null 2>&1
	$B start life
	out=$($B exec life sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.current' 2>&1)
	if echo "$out" | head -1 | grep -qx '0::/' && [ "$(echo "$out" | tail -1)" -ge 2 ]; then
		ok "exec joins the container's cgroup"
	else not_ok "exec joins the container's cgroup" "$out"; fi
	$B pause life && grep -qx 'frozen 1' $CG/bwrun/life/cgroup.events && ok "pause freezes the cgroup (frozen 1)" \
		|| not_ok "pause freezes the cgroup" "$(cat $CG/bwrun/life/cgroup.events 2>&1)"
	$B resume life && grep -qx 'frozen 0' $CG/bwrun/life/cgroup.events && ok "resume thaws the cgroup (frozen 0)" \
		|| not_ok "resume thaws the cgroup" "$(cat $CG/bwrun/life/cgroup.events 2>&1)"
	pid=$($B state life | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
	had=no; grep -qx "$pid" $CG/bwrun/life/cgroup.procs 2>/dev/null && had=yes
	$B delete -f life
	[ $had = yes ] && [ ! -e $CG/bwrun/life ] && ok "delete removes the cgroup the container ran in" \
		|| not_ok "delete removes the cgroup" "pid $pid in $CG/bwrun/life before: $had; after: $(ls -d $CG/bwrun/life 2>&1)"
fi

# failure: a limit too small to start under (one page: the kernel's OOM killer ends the
# container's init while it is set up) fails with status 1 saying so, and leaves no cgroup.
if need_ctl "failure: impossible memory.max" memory; then
	mkbundle /b/tiny $R '["true"]' '{"memory":{"limit":4096}}'
	out=$($B run -b /b/tiny tiny 2>&1); rc=$?
	if [ $rc -eq 1 ] && echo "$out" | grep -q "container init exited during setup" && [ ! -e $CG/bwrun/tiny ] && [ ! -e /run/bwrun/tiny ]; then
		ok "failure: impossible memory.max fails naming the failed setup and leaves nothing"
	else not_ok "failure: impossible memory.max" "rc=$rc $out; $(ls $CG/bwrun /run/bwrun 2>&1)"; fi
fi
[ $failures -eq 0 ]
