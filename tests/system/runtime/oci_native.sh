#!/bin/bash
# bwrun as a drop-in OCI runtime, natively as root: the configs runc, crun and bwrun
# write, capabilities, cgroupsPath, linux.devices, no mount namespace, the lifecycle and
# hooks as the runtime spec orders them, and runc's command-line surface. Where runc
# runs here, its behaviour on the same config is the expected value.
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../../.."
. tests/system/runtime/lib.sh

PLAN=26
echo "1..$PLAN"
n=0
pass() { n=$((n + 1)); echo "ok - $1"; }
fail() { n=$((n + 1)); echo "not ok - $1: $(echo "$2" | tail -5 | tr '\n' ' ')"; }
# t NAME CMD...: passes when CMD succeeds
t() { local name=$1 out; shift; if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi; }
finish() {
	while [ $n -lt $PLAN ]; do fail "planned test $((n + 1))" "the suite stopped early"; done
	[ $n -eq $PLAN ] || echo "# ran $n tests, planned $PLAN"
}

trap finish EXIT
[ "$(id -u)" = 0 ] || { fail "root" "run as root"; exit 1; }
[ -x "$BWRUN" ] && [ -f "$IMAGE/index.json" ] || { fail "bwrun and the image are built" "make $BWRUN $IMAGE/index.json"; exit 1; }

WORK=$(mktemp -d /tmp/bwrun-oci.XXXXXX)
chmod 755 "$WORK"
ROOT=$WORK/state
BASE=$WORK/base
CGMNT=$(grep -m1 ' - cgroup2 ' /proc/self/mountinfo | awk '{print $5}')
B() { "$BWRUN" --root "$ROOT" "$@"; }
cleanup() {
	for id in $(B list -q 2>/dev/null); do B delete -f "$id" >/dev/null 2>&1; done
	for id in $(runc --root "$WORK/runc" list -q 2>/dev/null); do runc --root "$WORK/runc" delete -f "$id" >/dev/null 2>&1; done
	grep " $WORK/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r umount -l 2>/dev/null
	for d in "$CGMNT/bwtest-parent/rel/c1" "$CGMNT/bwtest-parent" "$CGMNT/bwtest-abs/c2" "$CGMNT/bwtest-abs"; do
		rmdir "$d" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap 'cleanup; finish' EXIT
"$BWRUN" import "$IMAGE" "$BASE" >/dev/null

# gone ID [CGROUP]: prints what container ID left behind (state, cgroup, process, mount)
gone() {
	local id=$1 cg=${2:-$CGMNT/bwrun/$1}
	[ -e "$ROOT/$id" ] && echo "state $ROOT/$id"
	[ -e "$cg" ] && echo "cgroup $cg"
	for p in /proc/[0-9]*; do
		tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q "^sleep 4$id" && echo "process ${p#/proc/}"
	done
	grep -q " $WORK/" /proc/self/mountinfo && echo "mounts: $(grep " $WORK/" /proc/self/mountinfo | awk '{print $5}' | head -3)"
	return 0
}
# specbundle DIR TOOL: a bundle with the config TOOL spec writes, on the busybox rootfs
specbundle() {
	mkdir -p "$1"
	ln -sfn "$BASE/rootfs" "$1/rootfs"
	(cd "$1" && rm -f config.json && $2 spec >/dev/null)
}
# args BUNDLE ARG...: sets process.args (and terminal off) and nothing else
# (runc wants root.path to be no symlink: it becomes the rootfs itself)
args() {
	local b=$1 a; shift
	a=$($PY -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@")
	edit "$b" "c['process']['args'] = $a; c['process']['terminal'] = False; c['root']['path'] = '$BASE/rootfs'"
}

# ---- the configs runc, crun and bwrun write, unmodified
for tool in runc crun bwrun; do
	cmd=$tool; [ $tool = bwrun ] && cmd=$BWRUN
	b=$WORK/spec-$tool
	specbundle "$b" "$cmd"
	edit "$b" "c['process']['terminal'] = False"
	out=$(B run -b "$b" "spec-$tool" </dev/null 2>&1); rc=$?
	[ $rc = 0 ] && pass "$tool spec config (terminal false) runs its sh to the end" || fail "$tool spec config runs" "rc=$rc $out"
	specbundle "$b-tty" "$cmd"
	# runc's and crun's configs ask for a terminal already; bwrun's does not
	edit "$b-tty" "c['process']['terminal'] = True"
	rm -f "$WORK/tty.sock"
	$PY tests/system/runtime/console_drive.py "$WORK/tty.sock" 'echo tty-$((6*7)); tty; exit 3
' '/dev/pts/0' >"$WORK/tty-$tool.out" 2>&1 &
	drv=$!
	for _ in $(seq 50); do [ -S "$WORK/tty.sock" ] && break; sleep 0.1; done
	out=$(B create --console-socket "$WORK/tty.sock" -b "$b-tty" "tty-$tool" 2>&1) && B start "tty-$tool" 2>&1
	wait $drv; drc=$?
	grep -q tty-42 "$WORK/tty-$tool.out" && [ $drc = 0 ] && pass "$tool spec config unmodified (terminal true): sh answers on the console socket's pty" \
		|| fail "$tool spec config with terminal" "$out $(cat "$WORK/tty-$tool.out")"
	B delete -f "tty-$tool" >/dev/null 2>&1
done

# ---- capabilities: what the process gets matches what runc gives on the same config
b=$WORK/caps
specbundle "$b" runc
args "$b" sh -c 'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status'
want=$(runc --root "$WORK/runc" run -b "$b" caps-runc </dev/null 2>&1)
got=$(B run -b "$b" caps </dev/null 2>&1)
[ -n "$want" ] && [ "$got" = "$want" ] && pass "runc spec capabilities: the same five sets as runc gives ($(echo $got | tr -d '\n' | cut -c1-60)...)" || fail "capability sets as runc's" "runc: $want bwrun: $got"
echo "$got" | grep -q 'CapAmb:.0000000000000000' && pass "ambient capabilities outside inheritable are left out, not refused" || fail "ambient left out" "$got"
edit "$b" "c['process']['capabilities']['inheritable'] = ['CAP_NET_RAW','CAP_KILL']; c['process']['capabilities']['permitted'].append('CAP_NET_RAW'); c['process']['capabilities']['bounding'].append('CAP_NET_RAW'); c['process']['capabilities']['ambient'] = ['CAP_NET_RAW','CAP_KILL','CAP_AUDIT_WRITE']"
want=$(runc --root "$WORK/runc" run -b "$b" caps-runc2 </dev/null 2>&1)
got=$(B run -b "$b" caps2 </dev/null 2>&1)
# CAP_KILL is bit 5, CAP_NET_RAW bit 13 (linux/capability.h): ambient 0x2020
echo "$got" | grep -q 'CapAmb:.0000000000002020' && [ "$got" = "$want" ] && pass "ambient CAP_NET_RAW and CAP_KILL (permitted and inheritable) are raised, as runc raises them" || fail "ambient raised" "runc: $want bwrun: $got"

b=$WORK/nocap
specbundle "$b" runc
args "$b" sleep 4701
edit "$b" "c['process']['capabilities']['bounding'].append('CAP_SYS_RESOURCE'); c['process']['capabilities']['permitted'].append('CAP_SYS_RESOURCE')"
if grep -q '^CapBnd:.*' /proc/self/status && ! capsh --has-p=cap_sys_resource 2>/dev/null && [ $(( 0x$(sed -n 's/^CapBnd:\t//p' /proc/self/status) >> 24 & 1 )) = 0 ]; then
	out=$(B create -b "$b" 4701 </dev/null 2>&1); rc=$?
	[ $rc = 1 ] && echo "$out" | grep -q 'CAP_SYS_RESOURCE' && pass "a capability outside the caller's bounding set fails at create (rc 1): $(echo "$out" | cut -c1-80)" || fail "uncapable create fails" "rc=$rc $out"
	left=$(gone 701); [ -z "$left" ] && pass "the refused create leaves no state, cgroup, process or mount" || fail "refused create leaves nothing" "$left"
else
	pass "a capability outside the bounding set fails at create # SKIP this host's bounding set holds CAP_SYS_RESOURCE"
	pass "the refused create leaves nothing # SKIP as above"
fi

# ---- linux.cgroupsPath: absolute, and relative to the runtime's own cgroup
b=$WORK/cgabs
specbundle "$b" runc
args "$b" sleep 4702
edit "$b" "c['linux']['cgroupsPath'] = '/bwtest-abs/c2'"
B run -d -b "$b" 4702 </dev/null >/dev/null 2>&1
pid=$(B state 4702 2>/dev/null | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
grep -qx "${pid:-x}" "$CGMNT/bwtest-abs/c2/cgroup.procs" 2>/dev/null && pass "absolute cgroupsPath: the process is in $CGMNT/bwtest-abs/c2" || fail "absolute cgroupsPath" "pid=$pid $(ls $CGMNT/bwtest-abs 2>&1)"
B delete -f 4702 >/dev/null 2>&1
[ ! -e "$CGMNT/bwtest-abs/c2" ] && pass "absolute cgroupsPath: delete removes the cgroup" || fail "absolute cgroupsPath removed" "still there"
b=$WORK/cgrel
specbundle "$b" runc
args "$b" sleep 4703
edit "$b" "c['linux']['cgroupsPath'] = 'rel/c1'"
mkdir -p "$CGMNT/bwtest-parent"
(echo $BASHPID >"$CGMNT/bwtest-parent/cgroup.procs" && exec "$BWRUN" --root "$ROOT" run -d -b "$b" 4703 </dev/null >/dev/null 2>&1)
pid=$(B state 4703 2>/dev/null | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
grep -qx "${pid:-x}" "$CGMNT/bwtest-parent/rel/c1/cgroup.procs" 2>/dev/null && pass "relative cgroupsPath: below the runtime's own cgroup (bwtest-parent/rel/c1)" || fail "relative cgroupsPath" "pid=$pid $(find $CGMNT/bwtest-parent -type d 2>&1)"
B delete -f 4703 >/dev/null 2>&1
[ ! -e "$CGMNT/bwtest-parent/rel/c1" ] && pass "relative cgroupsPath: delete removes the cgroup" || fail "relative cgroupsPath removed" "still there"
edit "$b" "c['linux']['cgroupsPath'] = 'a/../../escape'"
out=$(B run -b "$b" 4704 </dev/null 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'cgroupsPath' && [ -z "$(gone 704)" ] && pass "cgroupsPath with .. is refused, naming the field" || fail "cgroupsPath .. refused" "rc=$rc $out"

# ---- linux.devices: each node with its type, numbers, mode and owner
b=$WORK/devs
specbundle "$b" runc
args "$b" sh -c 'for d in /dev/mynull /dev/sub/myblk /dev/myfifo; do stat -c "%n %F %t:%T %a %u:%g" $d; done; echo x >/dev/mynull && echo wrote-mynull; stat -c "%a" /dev/mynull2; echo x >/dev/mynull2 && echo wrote'
edit "$b" "c['linux']['devices'] = [{'path':'/dev/mynull','type':'c','major':1,'minor':3,'fileMode':0o620,'uid':1000,'gid':1001}, {'path':'/dev/mynull2','type':'c','major':1,'minor':3}, {'path':'/dev/sub/myblk','type':'b','major':7,'minor':0,'fileMode':0o600,'uid':0,'gid':6}, {'path':'/dev/myfifo','type':'p','fileMode':0o640}]"
out=$(B run -b "$b" devs </dev/null 2>&1)
# stat prints major:minor in hex (%t:%T); 1:3 mem/null, 7:0 loop0 (devices.txt)
echo "$out" | grep -qx '/dev/mynull character special file 1:3 620 1000:1001' && pass "linux.devices: a char node 1:3 with mode 0620 and owner 1000:1001" || fail "linux.devices char" "$out"
echo "$out" | grep -qx '/dev/sub/myblk block special file 7:0 600 0:6' && pass "linux.devices: a block node 7:0 in a new directory, mode 0600, group 6" || fail "linux.devices block" "$out"
echo "$out" | grep -qx '/dev/myfifo fifo 0:0 640 0:0' && pass "linux.devices: a fifo with mode 0640" || fail "linux.devices fifo" "$out"
echo "$out" | grep -qx wrote && ! echo "$out" | grep -q wrote-mynull && echo "$out" | grep -qx 666 && pass "linux.devices: fileMode defaults to 0666 and the node works; mode 0620 of uid 1000 keeps root without CAP_DAC_OVERRIDE out" || fail "linux.devices node works" "$out"
edit "$b" "c['linux']['devices'] = [{'path':'../escape','type':'c','major':1,'minor':3}]"
out=$(B run -b "$b" 4705 </dev/null 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'linux.devices\[0\].path' && pass "linux.devices: a relative path is refused, naming the field" || fail "linux.devices bad path" "rc=$rc $out"

# ---- no mount namespace: runs as runc runs it, and leaves no mount behind
b=$WORK/nomnt
specbundle "$b" runc
args "$b" sh -c 'test -x /bin/busybox && ls /proc/self/ns >/dev/null && echo in-rootfs; readlink /proc/self/ns/mnt'
edit "$b" "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'mount']; c['linux']['maskedPaths'] = []; c['linux']['readonlyPaths'] = []"
out=$(B run -b "$b" nomnt </dev/null 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -qx in-rootfs && echo "$out" | grep -Fqx "$(readlink /proc/self/ns/mnt)" && pass "no mount namespace: the process runs in the rootfs and shares our mount namespace" || fail "no mount namespace runs" "rc=$rc $out"
left=$(gone nomnt); [ -z "$left" ] && pass "no mount namespace: no mount is left behind after the container" || fail "no mount namespace leaves mounts" "$left"
args "$b" sleep 4706
B run -d -b "$b" 4706 </dev/null >/dev/null 2>&1
out=$(B exec 4706 sh -c 'test -x /bin/busybox && echo exec-in-rootfs' 2>&1)
[ "$out" = exec-in-rootfs ] && pass "no mount namespace: exec enters the container's rootfs" || fail "no mount namespace exec" "$out"
B delete -f 4706 >/dev/null 2>&1
left=$(gone 706); [ -z "$left" ] && pass "no mount namespace: delete -f leaves nothing" || fail "no mount namespace delete" "$left"
edit "$b" "c['linux']['maskedPaths'] = ['/proc/kcore']"
runc_out=$(runc --root "$WORK/runc" run -b "$b" nomnt-runc </dev/null 2>&1); runc_rc=$?
out=$(B run -b "$b" 4707 </dev/null 2>&1); rc=$?
[ $rc = 1 ] && [ $runc_rc != 0 ] && echo "$out" | grep -q 'without a private mount namespace' && [ -z "$(gone 707)" ] && pass "no mount namespace with maskedPaths is refused as runc refuses it" || fail "no mount ns + maskedPaths" "rc=$rc $out / runc rc=$runc_rc"
