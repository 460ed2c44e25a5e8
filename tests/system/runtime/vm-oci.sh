#!/bin/sh
# bwrun's OCI resources and a container manager's call sequence, inside the cgroup v2
# test VM (every controller there): the eBPF device program, cpuset, io.max/io.weight on a
# RAM disk, hugetlb, unified, update, and create/start/state/exec/kill/delete the way
# containerd's runc shim and conmon drive a runtime. Each limit is read back from the
# cgroup file and hit by a workload. Prints TAP on the serial console.
# SPDX-License-Identifier: MIT
PLAN=29
echo "1..$PLAN"
n=0 failed=0
B="bwrun --root /run/bwrun"
CG=/sys/fs/cgroup
H=/tests/oci_helper
pass() { n=$((n + 1)); echo "ok - vm-oci: $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok - vm-oci: $1: $(echo "$2" | tail -6 | tr '\n' ' ')"; }
# the exit status tells stage2 (and so the host) whether anything failed
finish() {
	trap - EXIT
	while [ $n -lt $PLAN ]; do fail "planned test $((n + 1))" "the suite stopped early"; done
	[ $failed = 0 ] && exit 0
	exit 1
}
trap finish EXIT
# gone ID: what container ID left behind
gone() {
	[ -e /run/bwrun/$1 ] && echo "state /run/bwrun/$1"
	[ -e $CG/bwrun/$1 ] && echo "cgroup $CG/bwrun/$1"
	grep -q " /b/$1" /proc/self/mountinfo && echo "mounts under /b/$1"
	return 0
}
now_cs() { sed 's/\([0-9]*\)\.\([0-9]*\).*/\1\2/' /proc/uptime; }

$B import /image /b/base >/dev/null 2>&1 || fail "import" "the busybox image"
R=/b/base/rootfs
# obundle DIR ARGS_JSON LINUX_JSON_MEMBERS: runc spec's config (devices deny-all first in
# resources), the helper bound at /tests, and the given members of "linux"
obundle() {
	mkdir -p "$1"
	cat >"$1/config.json" <<JSON
{"ociVersion":"1.0.2-dev",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":$2,
  "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"cwd":"/",
  "capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "ambient":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
  "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
 "root":{"path":"$R","readonly":true},
 "hostname":"runc",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
  {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","size=262144k"]},
  {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
  {"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]},
  {"destination":"/tests","type":"bind","source":"/tests","options":["rbind","ro"]}],
 "linux":{$3${3:+,}
  "namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}],
  "maskedPaths":["/proc/kcore","/proc/keys","/proc/timer_list"],
  "readonlyPaths":["/proc/sys","/proc/sysrq-trigger"]}}
JSON
}
RAMDEV='"devices":[{"path":"/dev/ram0","type":"b","major":1,"minor":0},{"path":"/dev/ram1","type":"b","major":1,"minor":1}]'
DENY='{"allow":false,"access":"rwm"}'

# ---- a RAM disk for the device and io checks: brd from the guest kernel's modules
insmod /tests/brd.ko rd_nr=2 rd_size=16384 2>/dev/null
[ -b /dev/ram0 ] || mknod /dev/ram0 b 1 0
[ -b /dev/ram1 ] || mknod /dev/ram1 b 1 1
dd if=/dev/zero of=/dev/ram0 bs=1M count=8 2>/dev/null && echo "# /dev/ram0: 16 MiB RAM disk (1:0)"

# ---- linux.resources.devices: the eBPF program, default deny plus allow rules
obundle /b/dev '["sh","-c","for d in /dev/ram0 /dev/ram1 /dev/null; do if dd if=$d of=/dev/null bs=4k count=1 2>/dev/null; then echo $d ok; else echo $d denied; fi; done"]' "$RAMDEV, \"resources\":{\"devices\":[$DENY,{\"allow\":true,\"type\":\"b\",\"major\":1,\"minor\":0,\"access\":\"r\"}]}"
out=$($B run -b /b/dev dev 2>&1)
echo "$out" | grep -qx '/dev/ram0 ok' && echo "$out" | grep -qx '/dev/ram1 denied' && echo "$out" | grep -qx '/dev/null ok' \
	&& pass "devices (eBPF): b 1:0 r allowed, b 1:1 denied by default-deny, /dev/null allowed" || fail "devices eBPF" "$out"
obundle /b/devw '["sh","-c","echo x | dd of=/dev/ram0 bs=1 count=1 2>/dev/null && echo write ok || echo write denied"]' "$RAMDEV, \"resources\":{\"devices\":[$DENY,{\"allow\":true,\"type\":\"b\",\"major\":1,\"minor\":0,\"access\":\"r\"}]}"
out=$($B run -b /b/devw devw 2>&1)
[ "$out" = "write denied" ] && pass "devices (eBPF): access r does not allow a write to 1:0" || fail "devices eBPF write" "$out"
obundle /b/devall '["sh","-c","dd if=/dev/ram1 of=/dev/null bs=4k count=1 2>/dev/null && echo ram1 ok"]' "$RAMDEV, \"resources\":{\"devices\":[$DENY,{\"allow\":true,\"access\":\"rwm\"}]}"
out=$($B run -b /b/devall devall 2>&1)
[ "$out" = "ram1 ok" ] && pass "devices (eBPF): a later allow-all rule overrides the deny-all" || fail "devices allow-all" "$out"

# ---- cpu.cpus / cpu.mems -> cpuset
obundle /b/cpuset '["sh","-c","cat /sys/fs/cgroup/cpuset.cpus /sys/fs/cgroup/cpuset.mems; grep Cpus_allowed_list /proc/self/status"]' '"resources":{"cpu":{"cpus":"1","mems":"0"}}'
out=$($B run -b /b/cpuset cpuset 2>&1)
[ "$(echo "$out" | sed -n 1p)" = 1 ] && [ "$(echo "$out" | sed -n 2p)" = 0 ] && echo "$out" | grep -q 'Cpus_allowed_list:.1$' \
	&& pass "cpu.cpus \"1\": cpuset.cpus is 1 and the process may run on CPU 1 only" || fail "cpuset" "$out"
obundle /b/cpusetbad '["true"]' '"resources":{"cpu":{"cpus":"7"}}'
out=$($B run -b /b/cpusetbad cpusetbad 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'linux.resources.cpu.cpus' && [ -z "$(gone cpusetbad)" ] && pass "cpu.cpus of a CPU the VM lacks: error naming the field, nothing left" || fail "cpuset bad" "rc=$rc $out $(gone cpusetbad)"

# ---- blockIO: io.max throttles reads of the RAM disk, io.weight
rd='dd if=/dev/ram0 of=/dev/null bs=64k count=48 iflag=direct 2>/dev/null || dd if=/dev/ram0 of=/dev/null bs=64k count=48 2>/dev/null'
obundle /b/io "[\"sh\",\"-c\",\"cat /sys/fs/cgroup/io.max; a=\$(sed 's/\\\\.//;s/ .*//' /proc/uptime); $rd; b=\$(sed 's/\\\\.//;s/ .*//' /proc/uptime); echo cs=\$((b - a))\"]" "$RAMDEV, \"resources\":{\"devices\":[$DENY,{\"allow\":true,\"type\":\"b\",\"major\":1,\"minor\":0,\"access\":\"rw\"}],\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":1,\"minor\":0,\"rate\":1048576}]}}"
out=$($B run -b /b/io io 2>&1)
cs=$(echo "$out" | sed -n 's/^cs=//p')
echo "$out" | grep -q '^1:0 rbps=1048576 wbps=max riops=max wiops=max' && pass "blockIO.throttleReadBpsDevice: io.max reads \"1:0 rbps=1048576 ...\"" || fail "io.max file" "$out"
obundle /b/io0 "[\"sh\",\"-c\",\"a=\$(sed 's/\\\\.//;s/ .*//' /proc/uptime); $rd; b=\$(sed 's/\\\\.//;s/ .*//' /proc/uptime); echo cs=\$((b - a))\"]" "$RAMDEV, \"resources\":{\"devices\":[$DENY,{\"allow\":true,\"type\":\"b\",\"major\":1,\"minor\":0,\"access\":\"rw\"}]}"
cs0=$($B run -b /b/io0 io0 2>&1 | sed -n 's/^cs=//p')
[ "${cs:-0}" -ge 150 ] && [ "${cs0:-999}" -lt "${cs:-0}" ] && pass "io.max: 3 MiB at 1 MiB/s took ${cs}0 ms (unthrottled ${cs0}0 ms)" || fail "io.max throttles" "throttled ${cs}cs, unthrottled ${cs0}cs: $out"
obundle /b/iow '["sh","-c","cat /sys/fs/cgroup/io.weight"]' '"resources":{"blockIO":{"weight":500}}'
out=$($B run -b /b/iow iow 2>&1)
# 1 + (500 - 10) * 9999 / 990 = 4950 (runc's blkio-to-io.weight conversion)
echo "$out" | grep -qx 'default 4950' && pass "blockIO.weight 500 -> io.weight \"default 4950\"" || fail "io.weight" "$out"
obundle /b/iowd '["true"]' '"resources":{"blockIO":{"weightDevice":[{"major":1,"minor":0,"weight":1000}]}}'
out=$($B run -b /b/iowd iowd 2>&1); rc=$?
# a per-device io.weight needs the iocost controller enabled on the device (io.cost.qos)
if [ $rc = 0 ]; then pass "blockIO.weightDevice is applied"
else echo "$out" | grep -q 'blockIO.weightDevice\[0\]' && [ -z "$(gone iowd)" ] && pass "blockIO.weightDevice the kernel refuses for 1:0 (no iocost on it): error naming it, nothing left" || fail "weightDevice" "rc=$rc $out"; fi

# ---- hugepageLimits -> hugetlb.2MB.max; the second huge page is refused
echo 8 >/proc/sys/vm/nr_hugepages
obundle /b/huge '["sh","-c","cat /sys/fs/cgroup/hugetlb.2MB.max; /tests/oci_helper hugetouch 2; echo status=$?"]' '"resources":{"hugepageLimits":[{"pageSize":"2MB","limit":2097152}]}'
out=$($B run -b /b/huge huge 2>&1)
echo "$out" | head -1 | grep -qx 2097152 && echo "$out" | grep -qx 'touched 1' && ! echo "$out" | grep -qx 'touched 2' && echo "$out" | grep -q 'status=135' \
	&& pass "hugepageLimits 2MB x1: hugetlb.2MB.max 2097152; touching a second huge page is SIGBUS" || fail "hugetlb" "$out"
obundle /b/huge2 '["sh","-c","/tests/oci_helper hugetouch 2"]' '"resources":{"hugepageLimits":[{"pageSize":"2MB","limit":8388608}]}'
out=$($B run -b /b/huge2 huge2 2>&1)
echo "$out" | grep -qx 'touched 2' && pass "hugepageLimits 2MB x4: two huge pages fit (control)" || fail "hugetlb control" "$out"
obundle /b/hugebad '["true"]' '"resources":{"hugepageLimits":[{"pageSize":"3MB","limit":1}]}'
out=$($B run -b /b/hugebad hugebad 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'hugepageLimits\[0\]' && [ -z "$(gone hugebad)" ] && pass "hugepageLimits with a page size the host lacks: error naming it, nothing left" || fail "hugetlb bad size" "rc=$rc $out"

# ---- unified: files written as given, and in force
obundle /b/uni '["sh","-c","cat /sys/fs/cgroup/memory.high /sys/fs/cgroup/pids.max; dd if=/dev/zero of=/tmp/f bs=1M count=64 2>/dev/null; grep ^high /sys/fs/cgroup/memory.events; for i in 1 2 3 4 5 6 7 8; do sleep 1 & done 2>&1; wait"]' '"resources":{"unified":{"memory.high":"33554432","pids.max":"5"}}'
out=$($B run -b /b/uni uni 2>&1)
high=$(echo "$out" | sed -n 's/^high //p')
[ "$(echo "$out" | sed -n 1p)" = 33554432 ] && [ "$(echo "$out" | sed -n 2p)" = 5 ] && pass "unified memory.high and pids.max are written as given" || fail "unified files" "$out"
[ "${high:-0}" -gt 0 ] && pass "unified memory.high is in force: 64 MiB into tmpfs raised memory.events high to $high" || fail "unified memory.high in force" "$out"
echo "$out" | grep -qi "fork" && pass "unified pids.max 5 is in force: forks past it fail" || fail "unified pids.max in force" "$out"
obundle /b/unibad '["true"]' '"resources":{"unified":{"memory.bogus":"1"}}'
out=$($B run -b /b/unibad unibad 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'linux.resources.unified.memory.bogus' && [ -z "$(gone unibad)" ] && pass "unified file the kernel lacks: error naming the key, nothing left" || fail "unified bad" "rc=$rc $out $(gone unibad)"

# ---- update: new limits on a running container, read back and hit
obundle /b/upd '["sleep","1000"]' "$RAMDEV, \"resources\":{\"devices\":[$DENY],\"pids\":{\"limit\":50}}"
$B run -d -b /b/upd upd </dev/null >/dev/null 2>&1
out=$($B exec upd sh -c 'dd if=/dev/ram0 of=/dev/null bs=4k count=1 2>&1 >/dev/null && echo read-ok' 2>&1)
$B update --pids-limit 4 --memory 67108864 upd
[ "$(cat $CG/bwrun/upd/pids.max)" = 4 ] && [ "$(cat $CG/bwrun/upd/memory.max)" = 67108864 ] && pass "update --pids-limit 4 --memory 64M: pids.max and memory.max" || fail "update flags" "$(cat $CG/bwrun/upd/pids.max $CG/bwrun/upd/memory.max)"
out=$($B exec upd sh -c 'for i in 1 2 3 4 5 6; do sleep 1 & done 2>&1; wait' 2>&1)
echo "$out" | grep -qi fork && pass "update: the new pids.max is in force for exec'd processes" || fail "update pids in force" "$out"
before=$out
sleep 1.2 # the forks above end
echo '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"b","major":1,"minor":0,"access":"r"}],"cpu":{"cpus":"0"},"pids":{"limit":50}}' >/b/upd.json
$B update -r /b/upd.json upd
out2=$($B exec upd sh -c 'dd if=/dev/ram0 of=/dev/null bs=4k count=1 2>/dev/null && echo read-ok' 2>&1)
! echo "$before" | grep -q read-ok && [ "$out2" = read-ok ] && [ "$(cat $CG/bwrun/upd/cpuset.cpus)" = 0 ] && pass "update -r FILE: the device program is replaced (ram0 denied, then readable) and cpuset.cpus set" || fail "update -r" "before: $before after: $out2 cpus=$(cat $CG/bwrun/upd/cpuset.cpus)"
out=$($B update --cpu-quota abc upd 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'cpu-quota' && [ "$(cat $CG/bwrun/upd/pids.max)" = 50 ] && pass "update with a bad value: rc 1, limits unchanged" || fail "update bad" "rc=$rc $out"
$B delete -f upd
[ -z "$(gone upd)" ] && pass "update: delete -f leaves nothing" || fail "update delete" "$(gone upd)"

# ---- the call sequence of containerd's runc shim and conmon
obundle /b/shim '["sh"]' '"resources":{"devices":[{"allow":false,"access":"rwm"}],"pids":{"limit":64}}'
sed -i 's/"terminal":false/"terminal":true/' /b/shim/config.json
S="bwrun --root /run/shim --log /b/shim.log --log-format json"
jfield() { sed -n "s/.*\"$1\": *\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -1; }
rm -f /b/shim.sock
$H consock /b/shim.sock 'echo shim-$((6*7)); tty
' 'pts/0' 120 >/b/shim.tty 2>&1 &
cpid=$!
i=0; while [ ! -S /b/shim.sock ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
$S create --bundle /b/shim --pid-file /b/shim.pid --console-socket /b/shim.sock shim1; rc=$?
pid=$(cat /b/shim.pid 2>/dev/null)
st=$($S state shim1 2>&1)
[ $rc = 0 ] && [ "$(echo "$st" | jfield status)" = created ] && [ "$(echo "$st" | jfield pid)" = "$pid" ] && [ "$(echo "$st" | jfield id)" = shim1 ] \
	&& [ "$(echo "$st" | jfield bundle)" = /b/shim ] && echo "$st" | grep -q '"ociVersion"' && pass "shim: create --bundle --pid-file --console-socket; state: created, pid = pid file, id, bundle, ociVersion" || fail "shim create" "rc=$rc pid=$pid $st"
$S start shim1; rc=$?
st=$($S state shim1 2>&1)
[ $rc = 0 ] && [ "$(echo "$st" | jfield status)" = running ] && [ "$(echo "$st" | jfield pid)" = "$pid" ] && pass "shim: start; state: running, same pid" || fail "shim start" "rc=$rc $st"
i=0; while ! grep -q /dev/pts/0 /b/shim.tty && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q shim-42 /b/shim.tty && grep -q /dev/pts/0 /b/shim.tty && pass "shim: the console socket got the pty master and sh answers on it" || fail "shim console" "$(cat /b/shim.tty)"
echo '{"terminal":false,"args":["sh","-c","echo exec-$$ > /tmp/e; cat /tmp/e; sleep 30"],"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}}' >/b/shim-exec.json
$S exec --process /b/shim-exec.json --detach --pid-file /b/shim-exec.pid shim1 >/b/shim-exec.out 2>&1; rc=$?
epid=$(cat /b/shim-exec.pid 2>/dev/null)
[ $rc = 0 ] && [ -n "$epid" ] && grep -qx "$epid" $CG/bwrun/shim1/cgroup.procs && pass "shim: exec --process --detach --pid-file: the process runs in the container's cgroup" || fail "shim exec" "rc=$rc epid=$epid $(cat /b/shim-exec.out)"
echo '{"terminal":true,"args":["sh"],"cwd":"/","env":["PATH=/bin","TERM=xterm"],"user":{"uid":0,"gid":0}}' >/b/shim-tty.json
rm -f /b/shim2.sock
$H consock /b/shim2.sock 'echo exectty-$((6*7)); tty
' 'pts/1' 120 >/b/shim2.tty 2>&1 &
cpid2=$!
i=0; while [ ! -S /b/shim2.sock ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
$S exec --process /b/shim-tty.json --console-socket /b/shim2.sock --detach --pid-file /b/shim-tty.pid shim1; rc=$?
i=0; while ! grep -q /dev/pts/1 /b/shim2.tty && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ $rc = 0 ] && grep -q exectty-42 /b/shim2.tty && grep -q /dev/pts/1 /b/shim2.tty && pass "shim: exec --process (terminal) --console-socket --detach: a second pty, answered on the socket" || fail "shim exec tty" "rc=$rc $(cat /b/shim2.tty)"
$S kill shim1 KILL; rc=$?
i=0; while [ $i -lt 50 ]; do [ "$($S state shim1 | jfield status)" = stopped ] && break; sleep 0.1; i=$((i + 1)); done
st=$($S state shim1 2>&1)
[ $rc = 0 ] && [ "$(echo "$st" | jfield status)" = stopped ] && pass "shim: kill KILL; state polled to stopped" || fail "shim kill" "rc=$rc $st"
$S delete shim1; rc=$?
out=$($S state shim1 2>&1); src=$?
[ $rc = 0 ] && [ $src = 1 ] && [ ! -e $CG/bwrun/shim1 ] && [ ! -e /run/shim/shim1 ] && [ ! -e /proc/$epid ] && pass "shim: delete; state fails (rc 1), no cgroup, state or exec process left" || fail "shim delete" "rc=$rc state rc=$src $out"
kill $cpid $cpid2 2>/dev/null
grep -q '"level":"error"' /b/shim.log && grep -q 'does not exist' /b/shim.log && pass "shim: --log-format json holds the failed state's error for the manager to read" || fail "shim log" "$(cat /b/shim.log)"
