/* The guest agent protocol: what the hypervisor and the agent in the Linux guest say to each other. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_AGENT_PROTO_H
#define BULWARK_AGENT_PROTO_H

/*
 * Channel. The agent speaks over the virtio-console port named AGENT_PORT_NAME (in the guest
 * /dev/vportNpM, found through /sys/class/virtio-ports/<dev>/name). A byte stream: messages are
 * JSON objects (RFC 8259, UTF-8), one per line, each ended by "\n" and at most AGENT_LINE_MAX
 * bytes including the "\n". A line longer than that is discarded up to its "\n" and answered
 * with an EPROTO error whose id is 0. Both ends ignore empty lines.
 *
 * Three kinds of message, told apart by their members:
 *
 *   request (hypervisor -> agent)
 *     {"v":1,"id":7,"op":"run","args":{...}}
 *   reply (agent -> hypervisor), exactly one per request, with the request's id
 *     {"v":1,"id":7,"ok":true,"result":{...}}
 *     {"v":1,"id":7,"ok":false,"error":{"code":"ENOENT","message":"no container named web"}}
 *   event (agent -> hypervisor), unsolicited
 *     {"v":1,"event":"exited","data":{...}}
 *
 * "v" is AGENT_PROTO_VERSION; a message with another "v" is refused with EPROTO (a request) or
 * dropped (a reply or event). "id" is an integer 1..AGENT_ID_MAX chosen by the hypervisor; the
 * agent echoes it. Replies may arrive in any order; the hypervisor matches them by id and drops
 * (and logs) a reply to an id it is not waiting for. Every member not listed below is refused
 * with EINVAL naming it (decode, then invoke: nothing runs until the whole request is valid).
 *
 * Sequence. When the agent starts (and every time it is restarted) it sends the event "ready".
 * The first request on a connection must be "hello"; anything else before it is refused with
 * EPROTO "hello first". A "hello" with a major version the agent does not speak is refused with
 * EPROTO and the agent waits for another "hello".
 *
 * Names. A container NAME is 1..AGENT_NAME_MAX characters of [A-Za-z0-9_.-], not starting with
 * '.' or '-'. An IMAGE is a name from "images". Strings are at most AGENT_STR_MAX bytes; argv and
 * env lists at most AGENT_LIST_MAX entries.
 *
 * Requests (op: args -> result)
 *   hello   {"protocol":1}
 *           -> {"protocol":1,"agent":"VERSION","bwrun":"VERSION","kernel":"UNAME -r"}
 *   images  {} -> {"images":[{"name":"busybox","ref":"latest","size":BYTES}]}
 *   create  {"name":N,"image":I,"args":[...]?,"env":["K=V",...]?,"mem":BYTES?,"pids":N?,
 *            "cpus_milli":N?,"tty":false?}
 *           -> {"name":N,"state":"created"}      (args: default the image's entrypoint+cmd;
 *              mem 0/absent: no limit; cpus_milli 1000 = one CPU; tty: an interactive session)
 *   start   {"name":N} -> {"name":N,"state":"running","pid":P}
 *   run     create's args, plus "attach":bool? -> start's result, plus "session":S if attach
 *   exec    {"name":N,"args":[...],"env":[...]?,"attach":bool?}
 *           -> not attached: {"exit_code":C,"signal":S,"stdout":"...","stderr":"..."} once the
 *              process ends (each stream's first AGENT_EXEC_OUT_MAX bytes, "truncated":true if
 *              either was cut); attached: {"session":S} at once
 *   kill    {"name":N,"signal":SIG?} (a number 1..64 or a name such as "TERM" or "SIGKILL";
 *           default TERM) -> {}
 *   stop    {"name":N,"timeout_s":T} -> SIGTERM, SIGKILL after T seconds (default
 *           AGENT_STOP_TIMEOUT_S); the reply comes once it has stopped: {"state":"stopped",
 *           "killed":bool}
 *   delete  {"name":N,"force":bool?} -> {} (running and not force: EBUSY)
 *   list    {} -> {"containers":[STATE,...]}
 *   state   {"name":N} -> STATE
 *   logs    {"name":N,"lines":L?,"from":OFFSET?}
 *           -> {"data":"...","offset":END,"start":FIRST,"running":bool}. The agent keeps the
 *              last AGENT_LOG_MAX bytes of the container's stdout and stderr interleaved (each
 *              byte has an offset since the container started); "from" asks for bytes after
 *              an offset (for `logs -f`), "lines" for the last L lines; "start" > "from" means
 *              bytes were lost to the bound. One reply carries at most AGENT_DATA_MAX bytes
 *              of data; the hypervisor asks again from "offset" for the rest.
 *   stats   {"name":N} -> {"memory_bytes":B,"memory_max":B|null,"memory_peak":B?,"cpu_usec":U,
 *            "cpu_max_milli":M|null,"pids":P,"pids_max":P|null,"oom_kills":K}  (cgroup v2)
 *   input   {"session":S,"data":"..."} -> {}      bytes to an attached session's stdin
 *   detach  {"session":S} -> {}                   the process runs on; its output is dropped
 *                                                 (kept in the logs for containers)
 *
 *   STATE = {"name":N,"image":I,"state":"created"|"running"|"paused"|"stopped","pid":P|0,
 *            "created":UNIX_SECONDS,"exit":{"code":C,"signal":S,"reason":REASON}|null}
 *   REASON = "exited" (code set) | "killed" (signal set) | "oom-killed" (memory.events oom_kill)
 *
 * Events (event: data)
 *   ready    {"protocol":1,"agent":"VERSION"}
 *   exited   {"name":N,"exit":{...as in STATE}}
 *   output   {"session":S,"data":"..."}            an attached session's output (stdout+stderr)
 *   closed   {"session":S,"exit_code":C,"signal":S} the attached process ended
 *
 * "data" strings are JSON strings of at most AGENT_DATA_MAX bytes before escaping (so that any
 * reply fits in a line); bytes that are not valid UTF-8 are sent as U+FFFD.
 *
 * Ranges (a value outside is refused with EINVAL): "mem" 0 or AGENT_MEM_MIN..AGENT_MEM_MAX,
 * "pids" 0 or 1..AGENT_PIDS_MAX, "cpus_milli" 0 or AGENT_CPUS_MILLI_MIN..AGENT_CPUS_MILLI_MAX
 * (cpu.max quota = cpus_milli * 100 us per 100 ms period), "timeout_s" 0..AGENT_TIMEOUT_S_MAX,
 * "lines" 0..AGENT_LINES_MAX (0: none), "from" 0..AGENT_OFFSET_MAX, "session" 1..AGENT_ID_MAX.
 *
 * Error codes: EPROTO (bad line, bad JSON, wrong version, hello first), EINVAL (bad or unknown
 * member, bad name, value out of range), ENOENT (no such container, image or session), EEXIST
 * (name taken), EBUSY (container running), E2BIG (a string or list over its bound), ENOSPC
 * (a limit reached: containers, sessions, memory), EIO (bwrun or the system failed; "message"
 * carries its first line of error output).
 */

#define AGENT_PROTO_VERSION 1
#define AGENT_PORT_NAME "org.bulwark.agent.0"
#define AGENT_LINE_MAX 65536
#define AGENT_ID_MAX 2147483647
#define AGENT_NAME_MAX 64
#define AGENT_STR_MAX 4096
#define AGENT_LIST_MAX 64
#define AGENT_DATA_MAX 8192
#define AGENT_EXEC_OUT_MAX 4096
#define AGENT_LOG_MAX 65536
#define AGENT_STOP_TIMEOUT_S 10
#define AGENT_MEM_MIN (1ULL << 20)
#define AGENT_MEM_MAX (1ULL << 40)
#define AGENT_PIDS_MAX 4194304
#define AGENT_CPUS_MILLI_MIN 10
#define AGENT_CPUS_MILLI_MAX 1024000
#define AGENT_TIMEOUT_S_MAX 3600
#define AGENT_LINES_MAX 1000000
#define AGENT_OFFSET_MAX (1LL << 53)

#endif
