# Checks of the management API through QEMU's hostfwd (127.0.0.1 only): a VM's lifecycle driven
# by curl and seen on the console, /metrics through Prometheus' own parser, tokens, OpenAPI.
# SPDX-License-Identifier: MIT
import json
import os
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPENAPI = os.path.join(ROOT, "kernel", "net", "api", "openapi.json")
CONFIG_TOKEN = "test-token-0123456789abcdef"


class Api:
    def __init__(self, port, token):
        self.base = "http://127.0.0.1:%d" % port
        self.token = token

    def curl(self, method, path, body=None, token=None, extra=()):
        """(status, parsed JSON or text) of one request made by curl."""
        argv = ["curl", "-s", "-m", "30", "-X", method, "-o", "-", "-w", "\n%{http_code}"]
        tok = self.token if token is None else token
        if tok:
            argv += ["-H", "Authorization: Bearer %s" % tok]
        if body is not None:
            argv += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
        argv += list(extra) + [self.base + path]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout
        text, _, code = out.rpartition("\n")
        try:
            return int(code), json.loads(text) if text.strip() else None
        except ValueError:
            return int(code or 0), text


def wait_api(api, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        code, body = api.curl("GET", "/v1/host")
        if code == 200 or time.monotonic() > deadline:
            return code, body
        time.sleep(1.0)


def console_state(rig, name):
    vms = {v["name"]: v for v in rig.run_json("vm list --json")}
    return vms.get(name, {}).get("state")


def lifecycle(t, rig, api, label):
    name = "api1"
    code, body = api.curl("POST", "/v1/vms", {"name": name, "kernel": "hello.elf", "mem": "8M", "vcpus": 1})
    t.ok("%s: POST /v1/vms creates (201)" % label, code == 201 and body.get("state") == "created", (code, body))
    t.ok("%s: the console shows it created" % label, console_state(rig, name) == "created")
    code, body = api.curl("POST", "/v1/vms", {"name": name, "kernel": "hello.elf"})
    t.ok("%s: the same name again is 409" % label, code == 409, (code, body))
    for op, want in (("start", "running"), ("pause", "paused"), ("resume", "running"), ("restart", "running"),
                     ("stop", "stopped"), ("start", "running"), ("kill", "stopped")):
        code, body = api.curl("POST", "/v1/vms/%s/%s" % (name, op))
        seen = console_state(rig, name)
        t.ok("%s: %s -> %s, and the console agrees" % (label, op, want),
             code == 200 and body.get("state") == want and seen == want, (code, body, seen))
    code, body = api.curl("POST", "/v1/vms/%s/pause" % name)
    t.ok("%s: pausing a stopped VM is 409 with the reason" % label,
         code == 409 and "stopped" in body.get("error", ""), (code, body))
    code, out = api.curl("GET", "/v1/vms/hello1/output?bytes=200")
    t.ok("%s: output of a running guest" % label, code == 200 and "hello" in out.get("output", ""), (code, out))
    code, body = api.curl("DELETE", "/v1/vms/%s" % name)
    t.ok("%s: DELETE destroys (204) and the console lists it no more" % label,
         code == 204 and console_state(rig, name) is None, (code, body))
    code, body = api.curl("GET", "/v1/vms/%s" % name)
    t.ok("%s: a VM that is gone is 404" % label, code == 404, (code, body))


def bad_tokens(t, rig, api, label):
    before = rig.run_json("vm list --json")
    cases = [("missing", None, ()), ("wrong", "x" * len(CONFIG_TOKEN), ()), ("one character off", api.token[:-1] + "_", ()),
             ("prefix", api.token[:-1], ()), ("Basic scheme", None, ("-H", "Authorization: Basic %s" % api.token))]
    for what, tok, extra in cases:
        code, body = api.curl("POST", "/v1/vms", {"name": "intruder", "kernel": "hello.elf"}, token=tok or "", extra=extra)
        t.ok("%s: %s token gets 401" % (label, what), code == 401, (code, body))
        code, body = api.curl("POST", "/v1/vms/hello1/stop", token=tok or "", extra=extra)
        t.ok("%s: %s token cannot stop a VM (401)" % (label, what), code == 401, (code, body))
    after = rig.run_json("vm list --json")
    t.ok("%s: nothing changed for the refused requests" % label,
         [(v["name"], v["state"]) for v in before] == [(v["name"], v["state"]) for v in after], (before, after))
    code, _ = api.curl("GET", "/metrics", token="")
    t.ok("%s: /metrics needs the token unless the config opens it" % label, code == 401, code)


def metrics(t, rig, api, label):
    from prometheus_client.parser import text_string_to_metric_families
    name = "m1"
    api.curl("POST", "/v1/vms", {"name": name, "kernel": "hello.elf", "mem": "8M"})
    api.curl("POST", "/v1/vms/%s/start" % name)
    time.sleep(1.0)
    api.curl("POST", "/v1/vms/%s/stop" % name)  # stopped: its figures stay still for the comparison
    code, text = api.curl("GET", "/metrics")
    try:
        fams = {f.name: f for f in text_string_to_metric_families(text)}
    except Exception as e:  # noqa: BLE001 - the parser's verdict is the test
        t.fail("%s: /metrics parses with prometheus_client" % label, e)
        return
    t.ok("%s: /metrics parses with prometheus_client" % label, code == 200 and fams, code)
    stats = rig.run_json("vm stats %s --json" % name)
    exits = {s.labels["reason"]: s.value for s in fams["bulwark_vm_exits"].samples
             if s.labels.get("vm") == name and s.name == "bulwark_vm_exits_total"}
    want = {k: float(v) for k, v in stats["exits_by_reason"].items()}
    t.ok("%s: exits by reason agree with vm stats --json" % label, exits == want, (exits, want))
    guest = [s.value for s in fams["bulwark_vm_guest_seconds"].samples if s.labels.get("vm") == name]
    t.ok("%s: guest seconds agree with vm stats --json" % label, guest == [float(stats["guest_s"])], (guest, stats))
    state = {s.labels["state"]: s.value for s in fams["bulwark_vm_state"].samples if s.labels.get("vm") == name}
    t.ok("%s: the state gauge marks stopped" % label, state.get("stopped") == 1.0 and sum(state.values()) == 1.0, state)
    types = {n: fams[n].type for n in ("bulwark_vm_exits", "bulwark_uptime_seconds", "bulwark_cpu_idle_seconds",
                                       "bulwark_memory_bytes", "bulwark_heap_bytes", "bulwark_cpu_timer_ticks")
             if n in fams}
    t.ok("%s: host, CPU and heap families with their types" % label,
         types == {"bulwark_vm_exits": "counter", "bulwark_uptime_seconds": "gauge", "bulwark_cpu_idle_seconds": "counter",
                   "bulwark_memory_bytes": "gauge", "bulwark_heap_bytes": "gauge", "bulwark_cpu_timer_ticks": "counter"},
         types)
    api.curl("DELETE", "/v1/vms/%s" % name)


def openapi(t, rig, api, label):
    doc = json.load(open(OPENAPI))
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    served = {(r["method"], r["path"]) for r in rig.run_json("api --json")["routes"]}
    t.ok("%s: every route served is in openapi.json and every documented one is served" % label,
         documented == served, (documented ^ served))
    missing = []
    for method, path in sorted(documented):
        p = path.replace("{name}", "no-such-vm").replace("{ct}", "web")
        code, body = api.curl(method, p, {} if method == "POST" else None)
        if code in (404, 405) and isinstance(body, dict) and body.get("error") in ("no such route", "method not allowed on this path"):
            missing.append((method, path, code))
    t.ok("%s: every documented route answers" % label, not missing, missing)
    code, body = api.curl("GET", "/v1/vms/hello1/start")
    t.ok("%s: a known path with the wrong method is 405" % label, code == 405, (code, body))
    # The toy guest has no agent: ct list's error, as 503, within ct's 5 s deadline.
    code, body = api.curl("GET", "/v1/vms/hello1/containers")
    t.ok("%s: GET /v1/vms/hello1/containers of a guest without an agent is 503 saying why" % label,
         code == 503 and isinstance(body, dict)
         and ("has no agent channel" in body.get("error", "") or "is not connected" in body.get("error", "")),
         (code, body))


# Results run() prints: the token, /v1/host, lifecycle (14 and its own), tokens (5 cases x 2,
# nothing changed, /metrics closed, and its own), metrics (5 and its own), openapi (3 and its
# own, and the containers route of a guest without an agent). A suite's plan adds it up (tap.Tap).
PLAN = 1 + 1 + 15 + 13 + 6 + 5


def run(t, rig, port, label):
    st = rig.run_json("api --json")
    token = st.get("token") or CONFIG_TOKEN
    if st.get("token_source") == "generated":
        t.ok("%s: a generated token is 64 hex digits, shown by api once" % label,
             len(token) == 64 and all(c in "0123456789abcdef" for c in token) and "token" not in rig.run_json("api --json"),
             st)
    else:
        t.ok("%s: a generated token is 64 hex digits, shown by api once # SKIP the configuration sets the token" % label)
    api = Api(port, token)
    code, body = wait_api(api)
    t.ok("%s: GET /v1/host through hostfwd" % label, code == 200 and body.get("version"), (code, body))
    t.check("%s: lifecycle" % label, lifecycle, t, rig, api, label)
    t.check("%s: tokens" % label, bad_tokens, t, rig, api, label)
    t.check("%s: metrics" % label, metrics, t, rig, api, label)
    t.check("%s: openapi" % label, openapi, t, rig, api, label)
    return api
