#!/usr/bin/python3
# Benchmark, natively: 100 sequential `run` of /bin/true with bwrun and with runc on the
# same bundle; milliseconds per container, the ratio, and peak RSS of each runtime. Two
# configs: the busybox image's (bwrun import) and the one `runc spec` writes, which is
# what most people start from (only args, terminal and root.path changed).
# Prints figures; never fails on a time.
# SPDX-License-Identifier: MIT
import json, os, shutil, subprocess, sys, tempfile, time

N = 100
BWRUN = os.path.abspath("build/guests/linux/bwrun")
PEAKRSS = os.path.abspath("build/bench/peakrss")
IMAGE = os.path.abspath("build/guests/linux/busybox-oci")
RUNTIMES = {"bwrun": [BWRUN], "runc": ["runc"], "crun": ["crun"]}


def run(argv):
    """Runs ARGV with its output discarded; returns its exit status."""
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode


def peak_rss(argv):
    """Peak RSS (KiB) of ARGV through the tiny static peakrss helper."""
    r = subprocess.run([PEAKRSS] + argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if line.startswith("peakrss "):
            return int(line.split()[1])
    return 0


def bench(name, bundle, root, label):
    base = RUNTIMES[name] + ["--root", os.path.join(root, name)]
    status = run(base + ["run", "-b", bundle, f"{name}-warm"])
    if status != 0:
        err = subprocess.run(base + ["run", "-b", bundle, f"{name}-err"], capture_output=True, text=True)
        print(f"{name}: cannot run here (status {status}): {err.stderr.strip()[:200]}")
        return None, None
    start = time.perf_counter()
    for i in range(N):
        status = run(base + ["run", "-b", bundle, f"{name}-{i}"])
        if status != 0:
            print(f"{name}: run {i} failed with status {status}")
            return None, None
    ms = (time.perf_counter() - start) * 1000 / N
    peak = max(peak_rss(base + ["run", "-b", bundle, f"{name}-rss{i}"]) for i in range(5))
    print(f"{name:6s} {ms:8.2f} ms per container ({N} sequential runs of /bin/true, {label} config), peak RSS {peak} KiB (runtime + /bin/true)")
    return ms, peak


def main():
    if not os.path.exists(BWRUN) or not os.path.exists(IMAGE + "/index.json"):
        print("build first: make build/guests/linux/bwrun build/guests/linux/busybox-oci/index.json")
        return 1
    work = tempfile.mkdtemp(prefix="bwrun-bench.")
    os.chmod(work, 0o755)
    try:
        bundle = os.path.join(work, "bundle")
        subprocess.run([BWRUN, "import", IMAGE, bundle], check=True)
        cfg_path = os.path.join(bundle, "config.json")
        cfg = json.load(open(cfg_path))
        cfg["process"]["args"] = ["/bin/true"]
        json.dump(cfg, open(cfg_path, "w"))
        spec = os.path.join(work, "runc-spec")
        os.mkdir(spec)
        subprocess.run(["runc", "spec", "-b", spec], check=True)
        cfg = json.load(open(os.path.join(spec, "config.json")))
        cfg["process"]["args"] = ["/bin/true"]
        cfg["process"]["terminal"] = False
        cfg["root"]["path"] = os.path.join(bundle, "rootfs")
        json.dump(cfg, open(os.path.join(spec, "config.json"), "w"))
        for label, b_dir in (("image", bundle), ("runc spec", spec)):
            results = {n: bench(n, b_dir, os.path.join(work, label.replace(" ", "-")), label)
                       for n in ("bwrun", "runc", "crun")}
            b = results["bwrun"][0]
            for other in ("runc", "crun"):
                o = results[other][0]
                if b and o:
                    print(f"ratio {other}/bwrun ({label} config): {o / b:.2f}x (bwrun is {o / b:.2f} times as fast)")
            if results["crun"][0] is None:
                print("crun: not comparable natively on this host (see the VM benchmark)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


sys.exit(main())
