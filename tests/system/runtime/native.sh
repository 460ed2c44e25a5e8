#!/bin/bash
# bwrun integration tests, run natively as root: isolation, lifecycle, images, hooks,
# terminals and failure injection (each failure must leave nothing behind).
# SPDX-License-Identifier: MIT
set -u
cd "$(dirname "$0")/../../.."
. tests/system/runtime/lib.sh

[ "$(id -u)" = 0 ] || { not_ok "root" "run as root"; exit 1; }
[ -x "$BWRUN" ] || { not_ok "bwrun built" "make $BWRUN"; exit 1; }
[ -f "$IMAGE/index.json" ] || { not_ok "busybox image" "make $IMAGE/index.json (needs busybox-static)"; exit 1; }

WORK=$(mktemp -d /tmp/bwrun-test.XXXXXX)
chmod 755 "$WORK"
ROOT=$WORK/state
BASE=$WORK/base
B() { "$BWRUN" --root "$ROOT" "$@"; }
cleanup() {
	for id in $(B list -q 2>/dev/null); do B delete -f "$id" >/dev/null 2>&1; done
	rm -rf "$WORK"
}
trap cleanup EXIT
CG=$(cgroup2_root)
# status_is ID STATUS: bwrun state reports STATUS for ID.
status_is() { B state "$1" 2>/dev/null | grep -q "\"status\": \"$2\""; }
# frozen ID 0|1: the container's cgroup says it is (not) frozen (cgroup v2 cgroup.events).
frozen() { grep -qx "frozen $2" "$CG/bwrun/$1/cgroup.events"; }
state_and_freezer() { # ID STATUS 0|1
	status_is "$1" "$2" || { echo "bwrun state: $(B state "$1" 2>&1)"; return 1; }
	frozen "$1" "$3" || { echo "cgroup.events: $(cat "$CG/bwrun/$1/cgroup.events" 2>&1)"; return 1; }
}
plan 91

# ---- spec and images
mkdir -p "$WORK/spec"
check "spec writes a default config.json" B spec -b "$WORK/spec"
spec_sum=$(md5sum <"$WORK/spec/config.json")
refuses "spec refuses to overwrite config.json, which stays as it was" "config.json exists" \
	'[ "$(md5sum <"$WORK/spec/config.json")" = "$spec_sum" ]' B spec -b "$WORK/spec"
check "import the busybox OCI image" B import "$IMAGE" "$BASE"
base_sum=$(md5sum <"$BASE/config.json")
check "import: config.json from the image config" grep -q '"sh"' "$BASE/config.json"
check "import: rootfs holds busybox" test -x "$BASE/rootfs/bin/busybox"
tar -C "$IMAGE" -cf "$WORK/layout.tar" .
check "import an image layout packed as a tar" B import "$WORK/layout.tar" "$WORK/fromtar"
refuses "import: refuses a bundle that already has a rootfs, and leaves it as it was" "already holds a rootfs or config.json" \
	'[ "$(md5sum <"$BASE/config.json")" = "$base_sum" ] && test -x "$BASE/rootfs/bin/busybox"' B import "$IMAGE" "$BASE"
refuses "import: unknown ref fails and leaves nothing" 'no manifest with ref name "nope"' \
	'test ! -e "$WORK/noref/rootfs" && test ! -e "$WORK/noref/config.json"' B import --ref nope "$IMAGE" "$WORK/noref"

cp -a "$IMAGE" "$WORK/corrupt"
layer=$(ls -S "$WORK/corrupt/blobs/sha256" | head -1)
printf 'X' | dd of="$WORK/corrupt/blobs/sha256/$layer" bs=1 seek=100 conv=notrunc 2>/dev/null
out=$(B import "$WORK/corrupt" "$WORK/corrupted" 2>&1)
echo "$out" | grep -q 'does not match its digest' && [ ! -e "$WORK/corrupted/rootfs" ] && [ ! -e "$WORK/corrupted/config.json" ] \
	&& ok "import: a corrupt blob is refused and nothing is left" || not_ok "import: a corrupt blob is refused" "$out"

check "layers: an image with whiteouts, an opaque dir and links is built" $PY tests/system/runtime/mklayers.py "$IMAGE" "$WORK/layered"
check "layers: the layered image imports" B import "$WORK/layered" "$WORK/wh"
# Each absence counts only beside what must be there: the base layer's busybox, the lower file.
check "whiteout: .wh.file removes a lower-layer file" \
	bash -c "test -e $BASE/rootfs/etc/group && test -x $WORK/wh/rootfs/bin/busybox && test ! -e $WORK/wh/rootfs/etc/group"
check "whiteout: opaque dir hides lower-layer content" \
	bash -c "test -d $WORK/wh/rootfs/opq && test ! -e $WORK/wh/rootfs/opq/old"
check "whiteout: opaque dir keeps its own layer's content" test -e "$WORK/wh/rootfs/opq/new"
check "layers: a later layer replaces a file" grep -q layer2 "$WORK/wh/rootfs/etc/motd"
check "layers: hard links and symlinks" bash -c "test -L $WORK/wh/rootfs/etc/motd.link && [ \$(stat -c %h $WORK/wh/rootfs/etc/motd) = 2 ]"
check "import: derived config uses Entrypoint+Cmd, Env, WorkingDir, User" \
	$PY -c "import json; p=json.load(open('$WORK/wh/config.json'))['process']; assert p['args']==['/bin/echo','hi'] and 'FOO=bar' in p['env'] and p['cwd']=='/opq' and p['user']['uid']==65534, p"

# ---- isolation
b=$(bundle pid1 sh -c 'echo $$; ls /proc | grep -c "^[0-9]"')
out=$(B run -b "$b" pid1 2>&1)
[ "$(echo "$out" | head -1)" = 1 ] && ok "pid namespace: the container's process is PID 1" || not_ok "pid namespace: the container's process is PID 1" "$out"
[ "$(echo "$out" | tail -1)" -le 3 ] && ok "pid namespace: no host process is visible" || not_ok "pid namespace: no host process is visible" "$out"

b=$(bundle uts hostname)
out=$(B run -b "$b" uts 2>&1)
[ "$out" = bwtest ] && [ "$(hostname)" != bwtest ] && ok "uts namespace: the container has its own hostname" || not_ok "uts namespace: the container has its own hostname" "$out"

# The interface names on one line, then lo's flags: exactly "lo", and lo is up.
b=$(bundle net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " "; echo; ip link show lo | head -1')
out=$(B run -b "$b" net 2>&1)
[ "$(echo "$out" | head -1)" = "lo " ] && echo "$out" | sed -n 2p | grep -qE '^1: lo: <([A-Z_-]+,)*UP[,>]' \
	&& ok "network namespace: only loopback, and it is up" || not_ok "network namespace: only loopback, and it is up" "$out"

touch /tmp/bwrun-host-marker
b=$(bundle rootfs sh -c 'test -e /tmp/bwrun-host-marker && echo LEAK; ls /')
out=$(B run -b "$b" rootfs 2>&1)
[ "$(echo "$out" | tr '\n' ' ')" = "$(ls "$BASE/rootfs" | tr '\n' ' ')" ] && ok "pivot_root: the rootfs is all the container sees" || not_ok "pivot_root: the rootfs is all the container sees" "$out"
rm -f /tmp/bwrun-host-marker

b=$(bundle ro sh -c 'touch /x 2>&1; echo rc=$?')
out=$(B run -b "$b" ro 2>&1)
echo "$out" | grep -q 'rc=1' && ok "read-only rootfs" || not_ok "read-only rootfs" "$out"

masked=$(for f in /proc/keys /proc/timer_list /proc/kcore; do [ -e $f ] && echo $f && break; done)
b=$(bundle masked sh -c "wc -c <$masked; echo 1 >/proc/sys/kernel/domainname 2>/dev/null; echo rc=\$?")
out=$(B run -b "$b" masked 2>&1)
[ "$(echo "$out" | head -1)" = 0 ] && echo "$out" | grep -q 'rc=1' && ok "masked and read-only paths" || not_ok "masked and read-only paths" "$out"

b=$(bundle dev sh -c 'ls /dev | tr "\n" " "; echo x >/dev/null && head -c 4 /dev/zero | wc -c')
out=$(B run -b "$b" dev 2>&1)
echo "$out" | grep -q 'null.*ptmx.*urandom' && echo "$out" | tail -1 | grep -q 4 && ok "/dev: default device nodes" || not_ok "/dev: default device nodes" "$out"

b=$(bundle mounts cat /proc/mounts)
out=$(B run -b "$b" mounts 2>&1)
missing=""
for m in "proc /proc proc" "tmpfs /dev tmpfs" "devpts /dev/pts devpts" "shm /dev/shm tmpfs" "mqueue /dev/mqueue mqueue" "sysfs /sys sysfs ro" "cgroup2 /sys/fs/cgroup cgroup2 ro"; do
	set -- $m
	echo "$out" | grep -q "^$1 $2 $3 ${4:-}" || missing="$missing $2"
done
[ -z "$missing" ] && ok "mounts: proc, /dev tmpfs, devpts, shm, mqueue, sysfs ro, cgroup2 ro" || not_ok "mounts of the config" "missing:$missing; $out"

b=$(bundle caps sh -c 'mount -t tmpfs none /tmp 2>&1; echo mount=$?; ping -c1 -W1 127.0.0.1 >/dev/null 2>&1; echo ping=$?; grep CapBnd /proc/self/status')
out=$(B run -b "$b" caps 2>&1)
echo "$out" | grep -q 'mount=[^0]' && ok "dropped CAP_SYS_ADMIN: mount fails" || not_ok "dropped CAP_SYS_ADMIN: mount fails" "$out"
echo "$out" | grep -q 'ping=[^0]' && ok "dropped CAP_NET_RAW: raw socket fails" || not_ok "dropped CAP_NET_RAW: raw socket fails" "$out"
echo "$out" | grep -q 'CapBnd:.*0000000020000420' && ok "capabilities: bounding set is the config's" || not_ok "capabilities: bounding set is the config's" "$out"
edit "$b" "
for k in c['process']['capabilities']: c['process']['capabilities'][k].append('CAP_NET_RAW')"
out=$(B run -b "$b" caps2 2>&1)
echo "$out" | grep -q 'ping=0' && ok "granted CAP_NET_RAW: raw socket works (control)" || not_ok "granted CAP_NET_RAW: raw socket works (control)" "$out"

b=$(bundle seccomp sh -c 'mkdir /tmp/x 2>&1; echo rc=$?')
edit "$b" "c['root']['readonly'] = False; c['mounts'].append({'destination':'/tmp','type':'tmpfs','source':'tmpfs'}); c['linux']['seccomp'] = {'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64'],'syscalls':[{'names':['mkdir','mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':18}]}"
out=$(B run -b "$b" seccomp 2>&1)
echo "$out" | grep -qi 'cross-device' && ok "seccomp: a denied call fails with the configured errno" || not_ok "seccomp: a denied call fails with the configured errno" "$out"

b=$(bundle proc sh -c 'id -u; id -g; id -G; pwd; echo $FOO; ulimit -n; cat /proc/self/oom_score_adj; grep NoNewPrivs /proc/self/status')
edit "$b" "p=c['process']; p['user']={'uid':65534,'gid':65534,'additionalGids':[5]}; p['cwd']='/tmp'; p['env'].append('FOO=bar'); p['oomScoreAdj']=500; p['rlimits']=[{'type':'RLIMIT_NOFILE','soft':123,'hard':456}]"
out=$(B run -b "$b" proc 2>&1 | tr '\n' ' ')
[[ "$out" == "65534 65534 65534 5 /tmp bar 123 500 NoNewPrivs:	1 " ]] && ok "process: user, groups, cwd, env, rlimits, oomScoreAdj, noNewPrivileges" || not_ok "process: user, groups, cwd, env, rlimits, oomScoreAdj, noNewPrivileges" "$out"

b=$(bundle userns sh -c 'id -u; cat /proc/self/uid_map')
edit "$b" "c['linux']['namespaces'].append({'type':'user'}); c['linux']['uidMappings']=[{'containerID':0,'hostID':100000,'size':65536}]; c['linux']['gidMappings']=[{'containerID':0,'hostID':100000,'size':65536}]"
out=$(B run -b "$b" userns 2>&1 | tr -s ' \n' ' ')
[[ "$out" == "0 0 100000 65536 " ]] && ok "user namespace: uid/gid mappings" || not_ok "user namespace: uid/gid mappings" "$out"

b=$(bundle ipc sh -c 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/cgroup; cat /proc/self/cgroup')
out=$(B run -b "$b" ipc 2>&1)
[ "$(echo "$out" | head -1)" != "$(readlink /proc/self/ns/ipc)" ] && [ "$(echo "$out" | sed -n 2p)" != "$(readlink /proc/self/ns/cgroup)" ] && echo "$out" | grep -q '^0::/$' \
	&& ok "ipc and cgroup namespaces are the container's own" || not_ok "ipc and cgroup namespaces are the container's own" "$out"

# ---- exit status like runc
b=$(bundle exit7 sh -c 'exit 7')
B run -b "$b" exit7 >/dev/null 2>&1; rc=$?
[ $rc = 7 ] && ok "run returns the container's exit status" || not_ok "run returns the container's exit status" "got $rc"
b=$(bundle sig sleep 100)
B run -b "$b" sig >/dev/null 2>&1 &
runpid=$!
for i in $(seq 50); do B state sig 2>/dev/null | grep -q running && break; sleep 0.05; done
B kill sig KILL
wait $runpid; rc=$?
[ $rc = 137 ] && ok "run returns 128+signal for a killed container" || not_ok "run returns 128+signal for a killed container" "got $rc"

# ---- lifecycle: create, start, state, exec, ps, pause, resume, kill, delete
b=$(bundle 101 sleep 42101)
B create -b "$b" --pid-file "$WORK/101.pid" 101 </dev/null >/dev/null 2>&1
check "create" test -s "$WORK/101.pid"
check "state after create is created" bash -c "$BWRUN --root $ROOT state 101 | grep -q '\"status\": \"created\"'"
check "start of a created container" B start 101
check "state after start is running" bash -c "$BWRUN --root $ROOT state 101 | grep -q '\"status\": \"running\"'"
check "the container's cgroup is bwrun/101 and holds its process" grep -qx "$(cat "$WORK/101.pid")" "$CG/bwrun/101/cgroup.procs"
refuses "start twice is refused; the container stays running" "cannot start an already running container" \
	'status_is 101 running' B start 101
check "state JSON has the OCI fields" bash -c "$BWRUN --root $ROOT state 101 | $PY -c 'import json,sys; s=json.load(sys.stdin); assert set(s)>={\"ociVersion\",\"id\",\"pid\",\"status\",\"bundle\",\"rootfs\",\"created\",\"owner\"} and s[\"pid\"]==int(open(\"$WORK/101.pid\").read())'"
check "list --format json" bash -c "$BWRUN --root $ROOT list --format json | $PY -c 'import json,sys; l=json.load(sys.stdin); assert [c[\"id\"] for c in l]==[\"101\"]'"
out=$(B exec 101 sh -c 'cat /proc/1/cmdline | tr "\0" " "; hostname; echo $$' 2>&1)
[[ "$(echo $out)" == "sleep 42101 bwtest "* ]] && ok "exec joins the running container" || not_ok "exec joins the running container" "$out"
B exec 101 sh -c 'exit 3' >/dev/null 2>&1; rc=$?
[ $rc = 3 ] && ok "exec returns the process's exit status" || not_ok "exec returns the process's exit status" "got $rc"
refuses "exec of a missing program fails naming it; the container runs on" 'exec: "/nonexistent": No such file' \
	'status_is 101 running' B exec 101 /nonexistent
echo '{"args":["sh","-c","echo fromfile"],"cwd":"/","env":["PATH=/bin"]}' >"$WORK/proc.json"
check "exec --process" bash -c "$BWRUN --root $ROOT exec -p $WORK/proc.json 101 | grep -q fromfile"
check "ps lists the container's processes" bash -c "$BWRUN --root $ROOT ps --format json 101 | grep -q $(cat "$WORK/101.pid")"
check "pause" B pause 101
check "paused: bwrun state says paused and cgroup.events says frozen 1" state_and_freezer 101 paused 1
refuses "exec into a paused container is refused; it stays frozen" "cannot exec in a paused container" \
	'status_is 101 paused && frozen 101 1' B exec 101 true
check "resume" B resume 101
check "resumed: bwrun state says running and cgroup.events says frozen 0" state_and_freezer 101 running 0
refuses "delete of a running container is refused without --force; it runs on" "cannot delete container 101 that is not stopped" \
	'status_is 101 running && test -e "$CG/bwrun/101"' B delete 101
check "kill" B kill 101 KILL
for i in $(seq 50); do B state 101 | grep -q stopped && break; sleep 0.05; done
check "state after kill is stopped" bash -c "$BWRUN --root $ROOT state 101 | grep -q '\"status\": \"stopped\"'"
refuses "kill of a stopped container is refused; it stays stopped" "container not running" 'status_is 101 stopped' B kill 101 KILL
check "delete" B delete 101
clean_check "kill and delete leave nothing behind" 101
refuses "state of a deleted container fails: it does not exist" "container does not exist" 'test ! -e "$ROOT/101"' B state 101

b=$(bundle 102 sleep 42102)
B run -d -b "$b" 102 </dev/null >/dev/null 2>&1
check "run -d starts a detached container" bash -c "$BWRUN --root $ROOT state 102 | grep -q running"
check "the detached container's cgroup is bwrun/102" test -e "$CG/bwrun/102/cgroup.procs"
check "delete --force of a running container" B delete -f 102
clean_check "delete --force leaves nothing behind" 102
b=$(bundle 103 sleep 42103)
B create -b "$b" 103 </dev/null >/dev/null 2>&1
check "delete of a created (never started) container" B delete 103
clean_check "deleting a created container leaves nothing behind" 103

# ---- hooks and terminals
b=$(bundle hooks true)
edit "$b" "c['hooks'] = {k: [{'path':'/bin/sh','args':['sh','-c','cat > $WORK/hook.' + k]}] for k in ['prestart','createRuntime','poststart','poststop']}"
B run -b "$b" hooks >/dev/null 2>&1
for k in prestart createRuntime poststart poststop; do
	check "hooks: $k ran with the state on stdin" grep -q '"id":"hooks"' "$WORK/hook.$k"
done

b=$(bundle tty sh -c 'tty; echo done')
edit "$b" "c['process']['terminal'] = True"
$PY tests/system/runtime/console_drive.py "$WORK/console.sock" "" done 10 >"$WORK/tty.out" 2>&1 &
sockpid=$!
for i in $(seq 50); do [ -S "$WORK/console.sock" ] && break; sleep 0.05; done
B run -d --console-socket "$WORK/console.sock" -b "$b" tty </dev/null >/dev/null 2>&1
wait $sockpid
grep -q '/dev/pts/0' "$WORK/tty.out" && ok "terminal: --console-socket receives the pty master" || not_ok "terminal: --console-socket receives the pty master" "$(cat "$WORK/tty.out")"
B delete -f tty >/dev/null 2>&1


# ---- joining namespaces by path, sysctl, more hooks, terminal relay
b=$(bundle 104 sleep 42104)
B run -d -b "$b" 104 </dev/null >/dev/null 2>&1
pid104=$(B state 104 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
b=$(bundle joinns sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts; hostname')
edit "$b" "c['linux']['namespaces'] = [n if n['type'] not in ('network','uts') else dict(n, path='/proc/$pid104/ns/' + ('net' if n['type']=='network' else 'uts')) for n in c['linux']['namespaces']]; del c['hostname']"
out=$(B run -b "$b" joinns 2>&1)
[ "$(echo "$out" | head -2 | tr '\n' ' ')" = "$(readlink /proc/$pid104/ns/net) $(readlink /proc/$pid104/ns/uts) " ] && [ "$(echo "$out" | tail -1)" = bwtest ] \
	&& ok "namespaces[].path: joins another container's net and uts namespaces" || not_ok "namespaces[].path: joins existing namespaces" "$out"
B delete -f 104 >/dev/null 2>&1

b=$(bundle sysctl cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni)
edit "$b" "c['linux']['sysctl'] = {'net.ipv4.ip_forward':'1','kernel.shmmni':'1234'}; c['linux']['readonlyPaths'].remove('/proc/sys')"
out=$(B run -b "$b" sysctl 2>&1 | tr '\n' ' ')
[ "$out" = "1 1234 " ] && ok "linux.sysctl is applied in the container's namespaces" || not_ok "linux.sysctl" "$out"

mkdir -p "$WORK/hookout"
b=$(bundle hooks2 true)
edit "$b" "c['mounts'].append({'destination':'/out','type':'bind','source':'$WORK/hookout','options':['rbind','rw']}); c['hooks'] = {'createContainer':[{'path':'/bin/sh','args':['sh','-c','cat > $WORK/hookout/createContainer']}], 'startContainer':[{'path':'/bin/sh','args':['sh','-c','cat > /out/startContainer; hostname >> /out/startContainer']}]}"
B run -b "$b" hooks2 >/dev/null 2>&1
check "hooks: createContainer ran with the state" grep -q '"id":"hooks2"' "$WORK/hookout/createContainer"
check "hooks: startContainer ran inside the container" grep -q bwtest "$WORK/hookout/startContainer"

b=$(bundle relay sh -c 'tty; read x; echo got $x')
edit "$b" "c['process']['terminal'] = True"
out=$(echo line | timeout 10 "$BWRUN" --root "$ROOT" run -b "$b" relay 2>&1 | tr -d '\r')
echo "$out" | grep -q '^/dev/pts/0' && echo "$out" | grep -q 'got line' && ok "terminal: run in the foreground relays the pty" || not_ok "terminal: foreground relay" "$out"

# ---- failure injection: clear error, nothing left behind
fail_case() { # NAME ID PATTERN BUNDLE_EDIT [setup]
	local name=$1 id=$2 pattern=$3 code=$4 b out rc
	b=$(bundle "$id" sleep "42$id")
	[ -n "$code" ] && edit "$b" "$code"
	out=$(B run -b "$b" "$id" 2>&1 </dev/null); rc=$?
	if [ $rc -ne 1 ] || ! echo "$out" | grep -q "$pattern"; then
		not_ok "failure: $name" "rc=$rc: $out"; return
	fi
	local left; left=$(leftovers "$id")
	[ -z "$left" ] && ok "failure: $name (clear error, nothing left)" || not_ok "failure: $name" "left behind: $(echo $left)"
}
fail_case "bad config field" 901 "process.args" "c['process']['args'] = 'sh'"
fail_case "unknown namespace" 902 "linux.namespaces\[" "c['linux']['namespaces'].append({'type':'bogus'})"
fail_case "missing rootfs" 903 "root.path" "c['root']['path'] = '/nonexistent/rootfs'"
fail_case "seccomp rule that cannot load" 904 "seccomp" "c['linux']['seccomp'] = {'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_BOGUS'}]}"
fail_case "seccomp argument out of range" 905 "seccomp" "c['linux']['seccomp'] = {'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','args':[{'index':9,'value':0,'op':'SCMP_CMP_EQ'}]}]}"
fail_case "process that cannot exec" 906 "executable file not found" "c['process']['args'] = ['no-such-program']"
fail_case "mount that fails" 907 "mount" "c['mounts'].append({'destination':'/x','type':'nosuchfs','source':'none'})"
fail_case "prestart hook that fails" 908 "prestart" "c['hooks'] = {'prestart':[{'path':'/bin/false'}]}"
fail_case "cwd that does not exist" 909 "cwd" "c['process']['cwd'] = '/no/such/dir'"
fail_case "user namespace without mappings" 910 "uidMappings" "c['linux']['namespaces'].append({'type':'user'})"
fail_case "invalid JSON" 911 "config.json" "open(_path,'w').write('{'); raise SystemExit"
b=$(bundle 914 sleep 42914)
edit "$b" "c['hooks'] = {'createRuntime':[{'path':'/bin/sh','args':['sh','-c','kill -9 \$PPID']}]}"
B run -b "$b" 914 </dev/null >/dev/null 2>&1
sleep 0.2
B delete -f 914 >/dev/null 2>&1
clean_check "failure: runtime killed mid-create; delete -f clears the remains" 914
b=$(bundle 912 sleep 42912)
B run -d -b "$b" 912 </dev/null >/dev/null 2>&1
out=$(B run -b "$b" 912 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'already exists' && B state 912 | grep -q running && ok "failure: duplicate id refused, original untouched" || not_ok "failure: duplicate id refused" "$out"
B delete -f 912 >/dev/null 2>&1
if ! grep -qw memory "$CG/cgroup.controllers" 2>/dev/null; then
	fail_case "memory limit without the memory controller" 913 'controller "memory"' "c['linux']['resources'] = {'memory':{'limit':67108864}}"
else # with the controller, the limit is applied (the VM suite checks that it holds)
	b=$(bundle 913 cat /sys/fs/cgroup/memory.max)
	edit "$b" "c['linux']['resources'] = {'memory':{'limit':67108864}}"
	out=$(B run -b "$b" 913 2>&1)
	[ "$out" = 67108864 ] && ok "memory limit: memory.max is the config's" || not_ok "memory limit: memory.max is the config's" "$out"
fi

echo "# native runtime suite: $failures failure(s)"
[ $failures -eq 0 ]
