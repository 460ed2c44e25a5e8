#!/bin/bash
# bwrun as a drop-in OCI runtime, natively as root: the configs runc, crun and bwrun
# write, capabilities, cgroupsPath, linux.devices, no mount namespace, the lifecycle and
# hooks as the runtime spec orders them, and runc's command-line surface. Where runc
# runs here, its behaviour on the same config is the expected value.
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../../.."
. tests/system/runtime/lib.sh

PLAN=54
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
	out=$(B create --console-socket "$WORK/tty.sock" -b "$b-tty" "tty-$tool" 2>&1 && B start "tty-$tool" 2>&1)
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

# ---- linux.resources.devices through the eBPF device program (works on the v2 tree here)
b=$WORK/devbpf
specbundle "$b" runc
args "$b" sh -c 'for d in /dev/loopa /dev/loopb /dev/null; do if dd if=$d of=/dev/null bs=512 count=1 2>/dev/null; then echo "$d ok"; else echo "$d denied"; fi; done; mknod /dev/fresh b 7 1 && echo mknod-ok'
edit "$b" "c['linux']['devices'] = [{'path':'/dev/loopa','type':'b','major':7,'minor':0},{'path':'/dev/loopb','type':'b','major':7,'minor':1}]; c['linux']['resources'] = {'devices':[{'allow':False,'access':'rwm'},{'allow':True,'type':'b','major':7,'minor':0,'access':'r'}]}; c['process']['capabilities'] = {k: v + ['CAP_MKNOD'] for k, v in c['process']['capabilities'].items()}"
out=$(B run -b "$b" devbpf </dev/null 2>&1)
echo "$out" | grep -qx '/dev/loopa ok' && echo "$out" | grep -qx '/dev/loopb denied' && echo "$out" | grep -qx '/dev/null ok' && echo "$out" | grep -qx mknod-ok \
	&& pass "resources.devices (eBPF): b 7:0 r allowed, 7:1 denied by default-deny, /dev/null and mknod allowed as runc allows them" || fail "resources.devices eBPF" "$out"

# ---- lifecycle: start returns once the user program runs; hook states and order
mkdir -p "$WORK/hk"
b=$WORK/life
specbundle "$b" runc
args "$b" sh -c 'trap "echo got-TERM >/out/sig; exit 0" TERM; while :; do sleep 0.05; done'
hook() { # KIND [CMD]: a hook that appends "KIND STATUS" to the log (from the host or /out)
	local file=$WORK/hk/log; [ "$1" = startContainer ] && file=/out/log
	echo "{'path':'/bin/sh','args':['sh','-c','s=\$(cat); st=\$(echo \"\$s\" | sed -n \"s/.*\\\\\"status\\\\\":\\\\\"\\\\([a-z]*\\\\)\\\\\".*/\\\\1/p\"); echo $1 \$st >>$file; ${2:-true}']}"
}
edit "$b" "c['mounts'].append({'destination':'/out','type':'bind','source':'$WORK/hk','options':['rbind','rw']}); c['hooks'] = {'prestart':[$(hook prestart)], 'createRuntime':[$(hook createRuntime)], 'createContainer':[$(hook createContainer)], 'startContainer':[$(hook startContainer 'sleep 0.5')], 'poststart':[{'path':'/bin/false'}, $(hook poststart)], 'poststop':[{'path':'/bin/false'}, $(hook poststop)]}"
B create -b "$b" life </dev/null >/dev/null 2>&1
out=$(B start life 2>&1); rc=$?
B kill life TERM
sleep 0.5
[ "$(cat "$WORK/hk/sig" 2>/dev/null)" = got-TERM ] && pass "a TERM sent right after start reaches the user program's trap (start waited out a 0.5 s startContainer hook and the exec)" || fail "TERM right after start reaches the program" "$(ls $WORK/hk) $(B state life 2>&1 | grep status)"
[ $rc = 0 ] && echo "$out" | grep -q 'warning: hooks.poststart\[0\]' && pass "a failing poststart hook is a warning; start still succeeds (rc 0)" || fail "failing poststart warns" "rc=$rc $out"
for _ in $(seq 50); do B state life 2>/dev/null | grep -q '"stopped"' && break; sleep 0.1; done
out=$(B delete life 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'warning: hooks.poststop\[0\]' && pass "a failing poststop hook is a warning; delete still succeeds" || fail "failing poststop warns" "rc=$rc $out"
want="prestart creating
createRuntime creating
createContainer creating
startContainer created
poststart running
poststop stopped"
[ "$(cat "$WORK/hk/log" 2>/dev/null)" = "$want" ] && pass "hooks run in the spec's order with the spec's status (creating x3, created, running, stopped), the rest after a failing one" || fail "hook order and status" "$(cat "$WORK/hk/log" 2>&1 | tr '\n' ,)"
left=$(gone life); [ -z "$left" ] && pass "the container with failing hooks leaves nothing after delete" || fail "hooks container leaves nothing" "$left"

b=$WORK/startfail
specbundle "$b" runc
args "$b" sleep 4708
edit "$b" "c['hooks'] = {'startContainer':[{'path':'/bin/false'}]}"
B create -b "$b" 4708 </dev/null >/dev/null 2>&1
out=$(B start 4708 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'startContainer' && pass "a failing startContainer hook fails start (rc 1) with the hook named" || fail "startContainer failure reported by start" "rc=$rc $out"
B delete -f 4708 >/dev/null 2>&1
left=$(gone 708); [ -z "$left" ] && pass "the failed start leaves nothing after delete" || fail "failed start leaves nothing" "$left"

# ---- global options and commands as runc takes them
out=$("$BWRUN" --version)
echo "$out" | sed -n 1p | grep -q '^bwrun version [0-9]' && echo "$out" | grep -q '^commit: .' && echo "$out" | grep -qx 'spec: 1\.0\.2' \
	&& pass "--version in runc's format (version, commit:, spec:)" || fail "--version" "$out"
out=$("$BWRUN" features 2>&1)
echo "$out" | $PY -c 'import json,sys; f=json.load(sys.stdin); assert f["ociVersionMin"]=="1.0.0" and f["ociVersionMax"]; assert "poststop" in f["hooks"] and "rbind" in f["mountOptions"]; l=f["linux"]; assert "user" in l["namespaces"] and "CAP_SYS_ADMIN" in l["capabilities"]; assert l["cgroup"]["v2"] and not l["cgroup"]["systemd"]; assert "SCMP_ACT_ERRNO" in l["seccomp"]["actions"] and "SCMP_CMP_MASKED_EQ" in l["seccomp"]["operators"]' 2>&1 \
	&& pass "features prints the runtime-spec Features JSON (versions, hooks, mount options, namespaces, caps, cgroup, seccomp)" || fail "features" "$out"
out=$("$BWRUN" --systemd-cgroup --root "$ROOT" list 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'systemd-cgroup is not supported' && pass "--systemd-cgroup is refused with a clear error" || fail "--systemd-cgroup" "rc=$rc $out"
out=$("$BWRUN" --root "$ROOT" --log "$WORK/log.json" --log-format json state no-such 2>&1); rc=$?
$PY -c "import json; l=[json.loads(x) for x in open('$WORK/log.json')]; assert l[-1]['level']=='error' and 'does not exist' in l[-1]['msg'] and l[-1]['time']" 2>/dev/null && [ $rc = 1 ] && echo "$out" | grep -q 'does not exist' \
	&& pass "--log FILE --log-format json: the error as runc writes it ({level,msg,time}), and on stderr" || fail "--log json" "rc=$rc $out $(cat $WORK/log.json 2>&1)"
"$BWRUN" --root "$ROOT" --log "$WORK/log.txt" --log-format=text state no-such >/dev/null 2>&1
grep -Eq '^time="[0-9T:.Z-]+" level=error msg="container does not exist"$' "$WORK/log.txt" && pass "--log-format text: time=\"...\" level=error msg=\"...\"" || fail "--log text" "$(cat "$WORK/log.txt" 2>&1)"
"$BWRUN" --root "$ROOT" --debug --log "$WORK/log.dbg" list >/dev/null 2>&1
grep -q 'level=debug' "$WORK/log.dbg" && pass "--debug writes debug lines to the log" || fail "--debug" "$(cat "$WORK/log.dbg" 2>&1)"
out=$("$BWRUN" --log-format yaml list 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'log-format' && pass "--log-format yaml is refused" || fail "--log-format bad" "rc=$rc $out"

b=$WORK/opts
specbundle "$b" runc
args "$b" sh -c 'stat -c %i /bin/busybox >/out/ino; sleep 4709'
mkdir -p "$WORK/optsout"
edit "$b" "c['mounts'].append({'destination':'/out','type':'bind','source':'$WORK/optsout','options':['rbind','rw']})"
B create --bundle "$b" --pid-file "$WORK/opts.pid" --no-pivot --no-new-keyring 4709 </dev/null >/dev/null 2>&1; rc=$?
pid=$(cat "$WORK/opts.pid" 2>/dev/null)
[ $rc = 0 ] && [ -n "$pid" ] && B state 4709 | grep -q "\"pid\": $pid" && pass "create --bundle --pid-file --no-pivot --no-new-keyring: the pid file holds the init's pid" || fail "create with runc's options" "rc=$rc pid=$pid"
B start 4709 >/dev/null 2>&1
for _ in $(seq 30); do [ -s "$WORK/optsout/ino" ] && break; sleep 0.1; done
[ "$(cat "$WORK/optsout/ino" 2>/dev/null)" = "$(stat -c %i "$BASE/rootfs/bin/busybox")" ] && pass "--no-pivot: the rootfs moved onto / and chrooted: /bin/busybox is the bundle's" || fail "--no-pivot" "inode $(cat "$WORK/optsout/ino" 2>&1)"
B delete -f 4709 >/dev/null 2>&1
b2=$WORK/keyring
specbundle "$b2" runc
args "$b2" sleep 4710
B run -d -b "$b2" 4710 </dev/null >/dev/null 2>&1
pid=$(B state 4710 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
grep -q ' 4710: empty$\| 4710$\|: 4710' /proc/keys 2>/dev/null || grep -q '4710' /proc/keys 2>/dev/null
kr=$?
[ $kr = 0 ] && pass "without --no-new-keyring the container gets a session keyring named after its id (/proc/keys)" || fail "session keyring" "$(grep _ses /proc/keys | tail -3)"
B delete -f 4710 >/dev/null 2>&1

b=$WORK/execp
specbundle "$b" runc
args "$b" sleep 4711
B run -d -b "$b" 4711 </dev/null >/dev/null 2>&1
echo '{"args":["sh","-c","echo exec-$((40+2)); exit 7"],"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}}' >"$WORK/proc.json"
out=$(B exec --process "$WORK/proc.json" 4711 2>&1); rc=$?
[ $rc = 7 ] && [ "$out" = exec-42 ] && pass "exec --process FILE runs it and returns its status (7)" || fail "exec --process" "rc=$rc $out"
B exec --detach --pid-file "$WORK/exec.pid" 4711 sleep 47119 >/dev/null 2>&1; rc=$?
epid=$(cat "$WORK/exec.pid" 2>/dev/null)
[ $rc = 0 ] && [ -n "$epid" ] && tr '\0' ' ' </proc/$epid/cmdline | grep -q 'sleep 47119' && pass "exec --detach --pid-file: returns at once, the pid file names the process" || fail "exec --detach --pid-file" "rc=$rc pid=$epid"
out=$(B ps --format json 4711)
echo "$out" | $PY -c "import json,sys; p=json.load(sys.stdin); assert $epid in p and len(p)==2, p" 2>/dev/null && pass "ps --format json lists both processes as a JSON array of pids" || fail "ps --format json" "$out"
B kill --all 4711 KILL
for _ in $(seq 50); do B state 4711 | grep -q '"stopped"' && break; sleep 0.1; done
B state 4711 | grep -q '"stopped"' && [ ! -e /proc/$epid ] && pass "kill --all KILL stops every process of the container" || fail "kill --all" "$(B state 4711 | grep status)"
out=$(B kill 4711 KILL 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'not running' && pass "kill of a stopped container: rc 1, \"container not running\" as runc" || fail "kill stopped" "rc=$rc $out"
B delete 4711; rc=$?
[ $rc = 0 ] && [ -z "$(gone 711)" ] && pass "delete of the stopped container leaves nothing" || fail "delete stopped" "rc=$rc $(gone 711)"
out=$(B delete 4711 2>&1); rc=$?
[ $rc = 1 ] && B delete --force 4711 && pass "delete of a missing container: rc 1; with --force: rc 0 (runc's exit codes)" || fail "delete missing" "rc=$rc $out"

# ---- a resource the host cannot apply is an error naming the field and the controller
ctl_missing() { ! grep -qw "$1" "$CGMNT/cgroup.controllers"; }
for c in "io|c['linux']['resources'] = {'blockIO':{'weight':500}}|linux.resources.blockIO" \
	 "cpuset|c['linux']['resources'] = {'cpu':{'cpus':'0'}}|linux.resources.cpu.cpus/mems" \
	 "memory|c['linux']['resources'] = {'unified':{'memory.high':'1000000'}}|linux.resources.unified.memory.high"; do
	ctl=${c%%|*}; rest=${c#*|}; code=${rest%%|*}; field=${rest#*|}
	if ! ctl_missing "$ctl"; then pass "missing controller $ctl # SKIP the host's cgroup v2 tree has it"; continue; fi
	b=$WORK/noctl-$ctl
	specbundle "$b" runc
	args "$b" sleep 4712
	edit "$b" "$code"
	out=$(B run -b "$b" "noctl-$ctl" </dev/null 2>&1); rc=$?
	[ $rc = 1 ] && echo "$out" | grep -qF "$field: cgroup controller \"$ctl\" is not available" && [ -z "$(gone "noctl-$ctl")" ] \
		&& pass "no $ctl controller here: $field fails naming the field and \"$ctl\", nothing left" || fail "missing $ctl controller" "rc=$rc $out $(gone noctl-$ctl)"
done
