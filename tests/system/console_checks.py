# The console checks every boot suite runs: banner facts, editing keys, commands, JSON, abuse.
# SPDX-License-Identifier: MIT
import random
import re

import rig as R

VERSION_RE = r"^Bulwark \d+\.\d+\.\d+$"
UNKNOWN = "error: unknown command '%s'; type 'help' for the list"
TOO_LONG = "error: line too long (max 255 characters); nothing was run"
COMMANDS = ["help", "version", "info", "cpus", "mem", "log", "uptime", "reboot", "poweroff"]
LISTINGS = ["help", "version", "info", "cpus", "mem", "log", "uptime"]


def lines(text):
    return [l for l in text.split("\n") if l.strip()]


def expect_version(out, what):
    assert re.search(VERSION_RE, out, re.M), "%s: expected 'Bulwark X.Y.Z', got %r" % (what, out[:200])


# ---- banner ----

def check_banner(t, banner, boot_path, virt_re, cpus=2):
    """boot_path: 'UEFI' or 'Multiboot2'; virt_re: what the virt: line must match."""
    t.note("banner:\n" + banner.strip())
    t.ok("banner names version and boot path",
         re.search(r"^Bulwark \d+\.\d+\.\d+, booted via %s \(loader: [^)]+\)" % boot_path, banner, re.M),
         "no 'Bulwark X.Y.Z, booted via %s (loader: ...)' line" % boot_path)
    t.ok("banner names the CPU", re.search(r"^cpu: \S+ family \d+ model \d+ stepping \d+", banner, re.M),
         "no 'cpu: VENDOR family F model M stepping S' line")
    m = re.search(r"^virt: (.*)$", banner, re.M)
    t.ok("banner virtualization line", m and re.search(virt_re, m.group(1)),
         "expected virt: matching %r, got %r" % (virt_re, m and m.group(1)))
    m = re.search(r"^mem: (\d+) MiB usable, (\d+) MiB free", banner, re.M)
    t.ok("banner memory line", m and 0 < int(m.group(2)) < int(m.group(1)),
         "expected 'mem: U MiB usable, F MiB free' with 0 < F < U, got %r" % (m and m.group(0)))
    m = re.search(r"^cpus: (\d+) in ACPI MADT, (\d+) online", banner, re.M)
    t.ok("banner: %d CPUs in MADT and online" % cpus, m and int(m.group(1)) == cpus and int(m.group(2)) == cpus,
         "expected 'cpus: %d in ACPI MADT, %d online', got %r" % (cpus, cpus, m and m.group(0)))


# ---- editing keys ----

def edit_checks(t, rig):
    """Each check types keys that only give the right command if the key works."""

    def typo():
        # "versoin": left, backspace (drops the i), left, "i" -> "version"
        out = R.clean(rig.type_line("versoin" + R.KEY_LEFT + R.BACKSPACE + R.KEY_LEFT + "i" + R.ENTER))
        assert "unknown command" not in out, "the uncorrected line ran: %r" % out
        expect_version(out, "versoin fixed with left/backspace")

    def ctrl_a():
        out = R.clean(rig.type_line("ersion" + R.CTRL_A + "v" + R.ENTER))
        expect_version(out, "Ctrl-A then v")

    def ctrl_e():
        out = R.clean(rig.type_line("uptim" + R.CTRL_A + R.CTRL_E + "e" + R.ENTER))
        assert re.search(r"^up \d+\.\d{3} s", out, re.M), "uptime did not run: %r" % out

    def home_end_keys():
        out = R.clean(rig.type_line("ersio" + R.KEY_HOME + "v" + R.KEY_END + "n" + R.ENTER))
        expect_version(out, "Home/End keys")

    def ctrl_u():
        out = R.clean(rig.type_line("frobnicate now" + R.CTRL_U + "version" + R.ENTER))
        assert "unknown command" not in out, "the killed text ran: %r" % out
        expect_version(out, "Ctrl-U")

    def ctrl_w():
        out = R.clean(rig.type_line("version extra" + R.CTRL_W + R.ENTER))
        assert "error" not in out, "Ctrl-W left the word: %r" % out
        expect_version(out, "Ctrl-W")

    def tab():
        out = R.clean(rig.type_line("upt" + R.TAB + "--json" + R.ENTER))
        assert re.search(r'"uptime_ms":\d+', out), "Tab did not complete 'upt' to 'uptime ': %r" % out

    def history():
        rig.run("mem")
        rig.run("version")
        out = R.clean(rig.type_line(R.KEY_UP + R.KEY_UP + R.ENTER))
        assert re.search(r"^usable\s+\d+ KiB", out, re.M), "up up did not recall 'mem': %r" % out
        # history now: mem, version, mem (newest last); up x3 then down is 'version'
        out = R.clean(rig.type_line(R.KEY_UP + R.KEY_UP + R.KEY_UP + R.KEY_DOWN + R.ENTER))
        expect_version(out, "up up up down")

    def ctrl_c():
        start = len(rig.output())
        out = R.clean(rig.type_line("poweroff" + R.CTRL_C + "version" + R.ENTER))
        full = R.clean(rig.output()[start:])
        assert "powering off" not in full, "the abandoned line ran: %r" % full
        assert "^C" in full, "no ^C echoed: %r" % full
        expect_version(out, "after Ctrl-C")

    t.check("typo fixed with left arrow and backspace", typo)
    t.check("Ctrl-A moves to the start", ctrl_a)
    t.check("Ctrl-E moves to the end", ctrl_e)
    t.check("Home and End keys", home_end_keys)
    t.check("Ctrl-U kills the line", ctrl_u)
    t.check("Ctrl-W kills a word", ctrl_w)
    t.check("Tab completes a command name", tab)
    t.check("history up and down", history)
    t.check("Ctrl-C abandons the line", ctrl_c)


# ---- commands ----

def command_checks(t, rig, cpus=2, virt_backend=None):
    """Runs every listing with and without --json and checks what they say."""
    facts = {}

    def help_text():
        out = rig.run("help")
        for c in COMMANDS:
            assert re.search(r"^\s+%s\b" % c, out, re.M), "help does not list %s: %r" % (c, out[:300])

    def help_json():
        j = rig.run_json("help --json")
        names = {c["name"] for c in j}
        assert set(COMMANDS) <= names, "help --json lacks %s" % (set(COMMANDS) - names)
        assert all(c.get("usage") and "help" in c for c in j), "an entry lacks usage/help"

    def help_mem():
        out = rig.run("help mem")
        assert re.search(r"^usage: mem \[--json\]", out, re.M), "got %r" % out

    def version():
        expect_version(rig.run("version"), "version")
        j = rig.run_json("version --json")
        assert j.get("name") == "Bulwark" and re.match(r"\d+\.\d+\.\d+$", j.get("version", "")), j

    def info():
        out = rig.run("info")
        for key in ("version", "boot", "cpu", "virt", "memory", "cpus"):
            assert re.search(r"^%s:\s+\S" % key, out, re.M), "info lacks '%s:': %r" % (key, out)
        j = rig.run_json("info --json")
        facts["info"] = j
        assert j["cpus_found"] == cpus and j["cpus_online"] == cpus, \
            "cpus found/online %s/%s, want %d" % (j["cpus_found"], j["cpus_online"], cpus)
        assert 0 < j["free_bytes"] < j["usable_bytes"], "free %d usable %d" % (j["free_bytes"], j["usable_bytes"])
        if virt_backend:
            assert j["virt_backend"] == virt_backend, "virt_backend %r, want %r" % (j["virt_backend"], virt_backend)
        assert j["virt_available"] == (virt_backend not in (None, "none")), "virt_available %r" % j["virt_available"]
        m = re.search(r"^memory:\s+(\d+) MiB usable", out, re.M)
        assert m and int(m.group(1)) == j["usable_bytes"] >> 20, "text and JSON disagree on usable memory"

    def cpus_cmd():
        out = rig.run("cpus")
        rows = re.findall(r"^\s*(\d+)\s+(\d+)\s+(\S+)\s+(yes|no)\s+(\d+)\s+(\d+)\s+(\d+)\s+(0x[0-9a-f]{4})\s+"
                          r"(0x[0-9a-f]{4})\s+(0x[0-9a-f]{8})\s+(\d+)/(\d+) KiB$", out, re.M)
        assert len(rows) == cpus, "want %d CPU rows, got %r" % (cpus, out)
        assert "%d of %d other online CPUs answered" % (cpus - 1, cpus - 1) in out, "IPI line: %r" % out
        j = rig.run_json("cpus --json")
        assert len(j["cpus"]) == cpus, j
        assert sum(1 for c in j["cpus"] if c["bsp"]) == 1, "want one BSP: %r" % j["cpus"]
        assert len({c["apic_id"] for c in j["cpus"]}) == cpus, "APIC ids not distinct"
        assert all(c["timer_ticks"] > 0 for c in j["cpus"]), "a CPU has no timer ticks: %r" % j["cpus"]
        # Operator input raises COM1's interrupt (routed through the I/O APIC to the console CPU,
        # the BSP), so a console CPU halted with nothing to run wakes at a key, not at its next tick.
        irqs = [(c["index"], c["console_irqs"]) for c in j["cpus"]]
        assert all((n > 0) == c["bsp"] for c, (_, n) in zip(j["cpus"], irqs)), \
            "COM1 receive interrupts per CPU %r: want them on the BSP only" % irqs
        # Each CPU's GDT holds null, code, data and a 16-byte TSS descriptor (SDM Vol 3A 8.2.3):
        # 40 bytes, limit 39; its IDT 256 16-byte gates (SDM Vol 3A 6.14.1), limit 4095. A VT-x
        # exit sets both limits to 0xFFFF (SDM Vol 3C 28.5.2): the hello guests have exited on
        # every CPU by now, so these read what the hypervisor put back.
        limits = [(c["index"], c["gdtr_limit"], c["idtr_limit"]) for c in j["cpus"]]
        assert all(g == 39 and i == 4095 for _, g, i in limits), \
            "GDTR/IDTR limits (cpu, gdtr, idtr) %r, want 39 and 4095 on every CPU" % limits
        assert all(r[7] == "0x0027" and r[8] == "0x0fff" for r in rows), "text limits: %r" % rows
        # The same CR0 on every CPU, whichever firmware booted it and however an AP was started:
        # PE, NE (x87 errors as #MF), WP (read-only pages hold at CPL 0), PG (SDM Vol 3A 2.5);
        # CD and NW clear.
        want, clear = (1 << 0) | (1 << 5) | (1 << 16) | (1 << 31), (1 << 29) | (1 << 30)
        cr0 = [(c["index"], "%#x" % c["cr0"]) for c in j["cpus"]]
        assert all(c["cr0"] & want == want and not c["cr0"] & clear for c in j["cpus"]), \
            "CR0 per CPU %r: want PE, NE, WP and PG set, CD and NW clear on every CPU" % cr0
        assert len({c["cr0"] for c in j["cpus"]}) == 1, "CR0 differs between CPUs: %r" % cr0
        assert all(int(r[9], 16) == c["cr0"] for r, c in zip(rows, j["cpus"])), "text CR0: %r" % rows
        assert j["ping_sent"] == cpus - 1 and j["ping_answered"] == cpus - 1, \
            "IPI pings %s/%s" % (j["ping_answered"], j["ping_sent"])

    def mem():
        out = rig.run("mem")
        for row in ("total", "usable", "free", "used", "reserved", "heap"):
            assert re.search(r"^%s\s+\d+" % row, out, re.M), "mem lacks %s: %r" % (row, out)
        j = rig.run_json("mem --json")
        facts["mem"] = j
        assert 0 < j["free_bytes"] < j["usable_bytes"] <= j["total_bytes"], j
        assert j["used_bytes"] == j["usable_bytes"] - j["free_bytes"], j
        h = j["heap"]
        assert h["used_bytes"] <= h["arena_bytes"] <= h["size_bytes"], \
            "heap figures impossible: used %d, arena %d, size %d bytes" % (
                h["used_bytes"], h["arena_bytes"], h["size_bytes"])

    def log():
        entry = r"^\[\s*\d+\.\d{6}\] \w+\s"
        out = rig.run("log")
        held = lines(out)
        assert held and all(re.match(entry, l) for l in held), "log: %r" % out
        assert any("boot:" in l for l in held), "the boot message is not in the log: %r" % out
        ls = lines(rig.run("log -n 3"))
        assert len(ls) == min(3, len(held)) and all(re.match(entry, l) for l in ls), "log -n 3: %r" % ls
        assert ls == held[-len(ls):], "log -n 3 is not the newest entries: %r" % ls
        assert lines(rig.run("log -n 0")) == [], "log -n 0 printed entries"
        j = rig.run_json("log --json")
        assert len(j) == len(held) and all({"seq", "time_ns", "level", "text"} <= set(e) for e in j), j[:3]
        seqs = [e["seq"] for e in j]
        assert seqs == sorted(seqs), "log entries out of order"
        j3 = rig.run_json("log -n 3 --json")
        assert [e["seq"] for e in j3] == seqs[-3:], "log -n 3 --json: %r" % j3

    def uptime():
        out = rig.run("uptime")
        m = re.search(r"^up (\d+)\.(\d{3}) s", out, re.M)
        assert m, "uptime: %r" % out
        j1 = rig.run_json("uptime --json")
        j2 = rig.run_json("uptime --json")
        assert 0 < j1["uptime_ms"] <= j2["uptime_ms"], "uptime does not grow: %r %r" % (j1, j2)
        assert re.search(r"^clock 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ ", out, re.M), "uptime: no clock line: %r" % out
        # The wall clock is the boot-time RTC reading plus the monotonic time: both advance together.
        assert j1["unix_time_ms"] > 1577836800000, "wall clock before 2020: %r" % j1
        drift = (j2["unix_time_ms"] - j1["unix_time_ms"]) - (j2["uptime_ms"] - j1["uptime_ms"])
        assert abs(drift) <= 2, "wall clock and uptime advanced by different amounts: %r %r" % (j1, j2)

    for name, fn in (("help lists every command", help_text), ("help --json", help_json),
                     ("help mem", help_mem), ("version and version --json", version),
                     ("info and info --json", info), ("cpus and cpus --json", cpus_cmd),
                     ("mem and mem --json", mem), ("log, log -n 3, log --json", log),
                     ("uptime and uptime --json", uptime)):
        t.check(name, fn)
    return facts


# ---- errors and abuse ----

def error_checks(t, rig, garbage_bytes=600):
    def bad_number():
        out = rig.run("log -n x")
        assert re.search(r"^error: .+", out, re.M), "log -n x: %r" % out
        assert not re.search(r"^\[\s*\d+\.\d+\]", out, re.M), "log -n x still listed entries: %r" % out

    def bad_option():
        out = rig.run("mem --frobnicate")
        assert re.search(r"^error: .*usage: mem", out, re.M), "mem --frobnicate: %r" % out

    def extra_arg():
        out = rig.run("version now")
        assert re.search(r"^error: ", out, re.M), "version now: %r" % out

    def unknown():
        out = rig.run("frobnicate")
        assert UNKNOWN % "frobnicate" in out, "got %r" % out

    def help_unknown():
        out = rig.run("help frobnicate")
        assert re.search(r"^error: unknown command 'frobnicate'", out, re.M), "got %r" % out

    def overlong():
        # A cut line would run `version` (the rest is spaces): it must not run at all.
        out = rig.run("version" + " " * 293)
        assert TOO_LONG in out, "no too-long error: %r" % out[-200:]
        assert not re.search(VERSION_RE, out, re.M), "the overlong line ran"
        expect_version(rig.run("version"), "after an overlong line")

    def garbage():
        rnd = random.Random(20240602)
        seqs = [b"\x1b[", b"\x1b[1;5C", b"\x1bO", b"\x1b[999999999999D", b"\x1b[3~", b"\x1b\x1b",
                b"\x1b[200~", b"\x1b]0;title\x07", b"\x00", b"\xff\xfe", b"\x1bP", b"\x1b[?25l"]
        # Round 1: no line end, so nothing can run; Ctrl-C then clears the line.
        data = bytearray()
        for _ in range(garbage_bytes):
            data += rnd.choice(seqs) if rnd.random() < 0.2 else bytes([rnd.randrange(256)])
        data = bytes(b for b in data if b not in (0x0d, 0x0a))
        rig.send(data, pace=rig.pace)
        rig.send(R.CTRL_C)
        rig.drain(quiet=2.0, timeout=300)
        out = rig.run("version", timeout=60)
        expect_version(out, "after %d garbage bytes" % garbage_bytes)
        # Round 2: with line ends, but no Tab (no completion into a real command).
        data = bytearray()
        for _ in range(garbage_bytes * 2 // 3):
            data += rnd.choice(seqs) if rnd.random() < 0.1 else bytes([rnd.randrange(256)])
            if rnd.random() < 0.05:
                data += b"\r"
        data = bytes(b for b in data if b != 0x09)
        rig.send(data + b"\x03", pace=rig.pace)
        rig.drain(quiet=2.0, timeout=300)
        seen = R.clean(rig.output()[-20000:])
        assert "powering off" not in seen and "rebooting" not in seen, "garbage ran a real command"
        out = rig.run("version", timeout=60)
        expect_version(out, "after garbage lines")
        j = rig.run_json("uptime --json")
        assert j["uptime_ms"] > 0

    for name, fn in (("log -n x is an error", bad_number), ("an unknown option is an error", bad_option),
                     ("an extra argument is an error", extra_arg), ("unknown command", unknown),
                     ("help for an unknown command", help_unknown),
                     ("a 300-character line is refused and not run", overlong),
                     ("garbage bytes then the console still answers", garbage)):
        t.check(name, fn)


def poweroff_check(t, rig, timeout=60):
    t.check("poweroff ends the emulator cleanly", rig.poweroff, timeout)


# Results boot_suite prints when it runs to the end: boots, 5 banner lines, 9 editing
# keys, 9 commands, 7 errors, poweroff. A suite's plan is this number (tap.Tap).
BOOT_SUITE_PLAN = 1 + 5 + 9 + 9 + 7 + 1


def boot_suite(t, make_rig, boot_path, virt_re, virt_backend, cpus=2, garbage_bytes=600):
    """The whole suite for one rig: boot, banner, keys, commands, errors, poweroff."""
    try:
        rig = make_rig()
    except R.RigMissing as e:
        t.fail("rig available", str(e))
        return
    try:
        rig.start()
        banner = rig.boot()
        t.ok("boots to the prompt", True)
        t.note("first serial byte after %.1f s, prompt after %.1f s"
               % (rig.first_byte_time() or 0, rig.time_of(rig.pos - 1) or 0))
        check_banner(t, banner, boot_path, virt_re, cpus)
        edit_checks(t, rig)
        command_checks(t, rig, cpus, virt_backend)
        error_checks(t, rig, garbage_bytes)
        poweroff_check(t, rig)
    except R.RigError as e:
        t.fail("boot and console session", str(e))
    finally:
        rig.close()
