# Helpers for the bwrun suites: TAP output, bundles from the busybox image, leak checks.
# SPDX-License-Identifier: MIT

BWRUN=${BWRUN:-$PWD/build/guests/linux/bwrun}
IMAGE=${IMAGE:-$PWD/build/guests/linux/busybox-oci}
PY=/usr/bin/python3
failures=0

# plan N: the TAP plan, printed before any result; tests/run fails a suite that prints fewer.
plan() { echo "1..$1"; }
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; failures=$((failures + 1)); }
# check NAME CMD...: passes when CMD succeeds.
check() { local n=$1; shift; if out=$("$@" 2>&1); then ok "$n"; else not_ok "$n" "$(echo "$out" | tail -3 | tr '\n' ' ')"; fi; }

# refuses NAME PATTERN AFTER CMD...: passes when CMD fails with status 1 and says PATTERN
# (grep -E), and the shell test AFTER still holds: a usage error, a crash or a refusal
# that changed something does not count.
refuses() {
	local n=$1 pat=$2 after=$3 out rc
	shift 3
	out=$("$@" 2>&1 </dev/null); rc=$?
	if [ $rc -ne 1 ] || ! echo "$out" | grep -qE -- "$pat"; then
		not_ok "$n" "status $rc, expected 1 with /$pat/: $(echo "$out" | tail -3 | tr '\n' ' ')"
	elif ! eval "$after"; then
		not_ok "$n" "refused, but afterwards this is false: $after"
	else
		ok "$n"
	fi
}

# cgroup2_root: where the cgroup v2 hierarchy is mounted (empty when it is not).
cgroup2_root() { grep -m1 ' - cgroup2 ' /proc/self/mountinfo | awk '{print $5}'; }

need() { # need CMD PACKAGE
	command -v "$1" >/dev/null 2>&1 || { not_ok "prerequisite $1" "install the Debian package $2"; exit 1; }
}

# edit BUNDLE PYTHON: runs PYTHON with `c` bound to the bundle's config.json.
edit() {
	$PY - "$1/config.json" "$2" <<'PYEOF'
import json, sys
_path, _code = sys.argv[1], sys.argv[2]
c = json.load(open(_path))
exec(_code)
json.dump(c, open(_path, "w"), indent=1)
PYEOF
}

# bundle NAME [ARGS...]: a bundle sharing the base rootfs, running ARGS.
bundle() {
	local b=$WORK/$1; shift
	mkdir -p "$b"
	cp "$BASE/config.json" "$b/config.json"
	edit "$b" "c['root']['path'] = '$BASE/rootfs'; c['hostname'] = 'bwtest'"
	if [ $# -gt 0 ]; then
		local args; args=$($PY -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@")
		edit "$b" "c['process']['args'] = $args"
	fi
	echo "$b"
}

# leftovers ID: prints whatever a container left behind (state, cgroup, processes, mounts).
leftovers() {
	local id=$1
	[ -e "$ROOT/$id" ] && echo "state directory $ROOT/$id"
	local cg; cg=$(cgroup2_root)
	[ -n "$cg" ] && [ -e "$cg/bwrun/$id" ] && echo "cgroup $cg/bwrun/$id"
	for p in /proc/[0-9]*; do # container processes run "sleep 4242" or similar markers
		tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q "^sleep 42$id " && echo "process ${p#/proc/}"
	done
	grep -q " $BASE/rootfs" /proc/self/mountinfo && echo "mount of $BASE/rootfs"
	return 0
}

clean_check() { # NAME ID: passes when the container left nothing behind
	local left; left=$(leftovers "$2")
	if [ -z "$left" ]; then ok "$1"; else not_ok "$1" "left behind: $(echo $left)"; fi
}
