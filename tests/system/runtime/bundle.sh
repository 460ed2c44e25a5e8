# Writes bwrun bundles inside the test VM, where there is no python: a fixed config.json
# with the process arguments and linux.resources filled in. Sourced by the VM scripts.
# SPDX-License-Identifier: MIT

# mkbundle DIR ROOTFS ARGS_JSON RESOURCES_JSON
mkbundle() {
	mkdir -p "$1"
	cat >"$1/config.json" <<JSON
{"ociVersion":"1.0.2",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":$3,
  "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"cwd":"/",
  "capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
  "noNewPrivileges":true},
 "root":{"path":"$2","readonly":true},
 "hostname":"bwvm-container",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
  {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","size=262144k"]},
  {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
  {"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]}],
 "linux":{"resources":$4,
  "namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}],
  "maskedPaths":["/proc/kcore","/proc/keys","/proc/timer_list"],
  "readonlyPaths":["/proc/sys","/proc/sysrq-trigger"]}}
JSON
}
