# Test rigs: boot Bulwark under QEMU (OVMF or GRUB) or Bochs and drive COM1 like a person.
# SPDX-License-Identifier: MIT
"""Rigs for the system tests and the boot benchmarks.

A rig starts an emulator with COM1 on a socket, reads every byte it sends in a
background thread (with the time each one arrived) and offers:

    rig.expect(regex, timeout)  -> re.Match   (raises RigError on timeout/exit)
    rig.send(bytes_or_str)
    rig.run(cmd, timeout)       -> the command's output up to the next prompt
    rig.poweroff(timeout)       -> None, or raises RigError saying what went wrong
    rig.close()                 -> kills the emulator (always call it; `with` does)

Rigs:  QemuOvmfRig (UEFI, the ESP as a FAT directory), QemuGrubRig (the GRUB ISO,
SeaBIOS), BochsRig (the GRUB ISO, a VT-x CPU model). Each takes extra files so later
suites can add guests: `esp_extra={"bulwark/guests/x.elf": "build/..."}` for OVMF, and
`iso=` any ISO built with extra `module2` lines for GRUB.

Every QEMU rig has QEMU's human monitor on a socket (rig.monitor("nmi")) and pauses QEMU on a
shutdown: a power-off is let go at once, a triple fault first leaves every CPU's registers
and LAPIC in TEST_LOG_DIR/TAG.triple-fault.txt (QEMU's -d cpu_reset log is TAG.qemu.log).

A missing emulator or firmware raises RigMissing naming the Debian package to install.
BULWARK_TCG overrides QEMU's accelerator option (default "tcg,thread=single", see
DEFAULT_TCG; "tcg" runs each emulated CPU on a host thread of its own).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BULWARK_BUILD", os.path.join(ROOT, "build"))
ISO = os.environ.get("BULWARK_ISO", os.path.join(BUILD, "bulwark.iso"))
ESP = os.environ.get("BULWARK_ESP", os.path.join(BUILD, "esp"))
LOG_DIR = os.environ.get("TEST_LOG_DIR", os.path.join(BUILD, "test-logs"))

# QEMU's multi-threaded TCG (one host thread per emulated CPU) sees the whole machine
# triple-fault now and then while Bulwark runs AMD-V guests on both CPUs (the VM lifecycle
# and stress suites lost their QEMU in 2 of 2 runs, a loop of fresh boots in 1 of 13); with
# one TCG thread the same suites pass. Until that is pinned on Bulwark or on QEMU's SVM
# emulation, the rigs run TCG on one thread (both emulated CPUs still run, interleaved);
# BULWARK_TCG=tcg brings the multi-threaded rig back to chase it; a triple fault now leaves
# every CPU's registers in TAG.triple-fault.txt (QemuRig below), and BULWARK_QEMU_DEBUG sets
# what QEMU logs to TAG.qemu.log (-d; default cpu_reset, e.g. "cpu_reset,int").
DEFAULT_TCG = "tcg,thread=single"

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
BOCHS_BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGA_BIOS = "/usr/share/vgabios/vgabios.bin"

PROMPT = "bulwark> "
# What the line editor prints when it (re)draws an empty prompt: CR, prompt, clear-to-end.
PROMPT_RE = r"\rbulwark> \x1b\[K"
BOCHS_POWEROFF = "ACPI control: soft power off"

# Keys as a terminal sends them.
KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
KEY_HOME, KEY_END = "\x1b[H", "\x1b[F"
BACKSPACE, TAB, ENTER = "\x7f", "\t", "\r"
CTRL_A, CTRL_C, CTRL_E, CTRL_U, CTRL_W = "\x01", "\x03", "\x05", "\x15", "\x17"

ANSI_RE = re.compile(rb"\x1b(\[[0-9;?=]*[ -/]*[@-~]|[@-Z\\-_])")


class RigError(Exception):
    """The emulator did not do what was expected (timeout, early exit, bad output)."""


class RigMissing(RigError):
    """A program or firmware file the rig needs is not installed."""


def clean(data):
    """Bytes from the console as text: escape sequences and CRs removed, BELs dropped."""
    if isinstance(data, str):
        data = data.encode("latin-1")
    data = ANSI_RE.sub(b"", data).replace(b"\r", b"").replace(b"\a", b"")
    return data.decode("utf-8", "replace")


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_file(path, package):
    if not os.path.exists(path):
        raise RigMissing("%s is missing: install the Debian package %s (apt-get install %s)"
                         % (path, package, package))


def need_program(name, package):
    found = shutil.which(name)
    if not found:
        raise RigMissing("%s is not installed: install the Debian package %s (apt-get install %s)"
                         % (name, package, package))
    return found


def need_image(path):
    if not os.path.exists(path):
        raise RigMissing("%s has not been built: run 'make all' first" % path)


class Rig:
    """Common part: the emulator process, the serial reader and the console helpers."""

    name = "rig"
    boot_timeout = 60.0

    def __init__(self, tag=None, log_dir=LOG_DIR):
        self.tag = tag or self.name
        self.log_dir = log_dir
        self.tmp = tempfile.mkdtemp(prefix="bulwark-%s-" % self.tag)
        self.proc = None
        self.sock = None
        self.buf = bytearray()
        self.stamps = []  # (offset in buf, monotonic time) for each chunk received
        self.pos = 0  # everything before this offset has been consumed by expect()
        self.cond = threading.Condition()
        self.eof = False
        self.reader = None
        self.t_start = None
        self.exit_status = None
        os.makedirs(log_dir, exist_ok=True)
        self.serial_log = os.path.join(log_dir, "%s.serial.log" % self.tag)
        self.emu_log = os.path.join(log_dir, "%s.emulator.log" % self.tag)

    # ---- to provide in subclasses ----
    def command(self):
        raise NotImplementedError

    def connect(self):
        raise NotImplementedError

    # ---- life cycle ----
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        """Starts the emulator and attaches to COM1; returns self."""
        argv = self.command()
        self.emu_out = open(self.emu_log, "wb")
        self.emu_out.write(("$ " + " ".join(argv) + "\n").encode())
        self.emu_out.flush()
        self.t_start = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.emu_out,
                                     stderr=subprocess.STDOUT, cwd=self.tmp,
                                     start_new_session=True)
        self.sock = self.connect()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _connect_retry(self, family, address, timeout=20.0):
        """Connects to the emulator's serial socket, retrying while it comes up."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RigError("%s exited with status %s before its serial port was up (log: %s)"
                               % (self.name, self.proc.returncode, self.emu_log))
            s = socket.socket(family, socket.SOCK_STREAM)
            try:
                s.connect(address)
                return s
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise RigError("could not connect to %s's serial port %s" % (self.name, address))
                time.sleep(0.05)

    def _read(self):
        with open(self.serial_log, "wb") as log:
            while True:
                try:
                    data = self.sock.recv(4096)
                except OSError:
                    data = b""
                now = time.monotonic()
                with self.cond:
                    if not data:
                        self.eof = True
                        self.cond.notify_all()
                        return
                    self.stamps.append((len(self.buf), now))
                    self.buf += data
                    self.cond.notify_all()
                log.write(data)
                log.flush()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        """Kills the emulator (its whole process group) and removes the scratch files."""
        if self.proc is not None and self.proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        if self.reader is not None:
            self.reader.join(timeout=2)
        if getattr(self, "emu_out", None):
            self.emu_out.close()
            self.emu_out = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def wait_exit(self, timeout):
        """Waits for the emulator to end by itself; returns its status or None."""
        try:
            self.exit_status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return self.exit_status

    # ---- serial port ----
    def send(self, data, pace=0.0):
        """Sends bytes (or a str as latin-1) to COM1; `pace` seconds between chunks of 16."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        if not pace:
            self.sock.sendall(data)
            return
        for i in range(0, len(data), 16):
            self.sock.sendall(data[i:i + 16])
            time.sleep(pace)

    def expect(self, regex, timeout=30.0, flags=re.S):
        """Waits until `regex` (str or bytes) matches the unconsumed output; consumes up to the match."""
        if isinstance(regex, str):
            regex = regex.encode("latin-1")
        pat = re.compile(regex, flags)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = pat.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    tail = clean(bytes(self.buf[self.pos:][-400:]))
                    why = "the serial port closed" if self.eof else "%.0f s passed" % timeout
                    raise RigError("waiting for %r: %s; last output: %r"
                                   % (pat.pattern.decode("latin-1"), why, tail))
                self.cond.wait(min(left, 0.5))

    def time_of(self, offset):
        """Monotonic time the byte at `offset` arrived (seconds since start() when relative)."""
        with self.cond:
            t = None
            for off, when in self.stamps:
                if off > offset:
                    break
                t = when
        return None if t is None else t - self.t_start

    def first_byte_time(self):
        with self.cond:
            return self.stamps[0][1] - self.t_start if self.stamps else None

    def output(self):
        with self.cond:
            return bytes(self.buf)

    def drain(self, quiet=0.3, timeout=5.0):
        """Waits until nothing has arrived for `quiet` seconds; consumes everything."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while time.monotonic() < deadline:
                n = len(self.buf)
                self.cond.wait(quiet)
                if len(self.buf) == n:
                    break
            self.pos = len(self.buf)

    # ---- console ----
    def boot(self, timeout=None):
        """Waits for the first prompt; returns the banner text (cleaned)."""
        start = self.pos
        m = self.expect(PROMPT_RE, timeout or self.boot_timeout)
        return clean(bytes(self.buf[start:m.start()]))

    def type_line(self, keys, timeout=30.0):
        """Sends `keys` and waits for the prompt after each line end (CR, LF or Ctrl-C) in it.
        Returns the raw bytes the last line printed, from after its line end up to the prompt."""
        if isinstance(keys, str):
            keys = keys.encode("latin-1")
        ends = keys.count(b"\r") + keys.count(b"\n") + keys.count(b"\x03") - keys.count(b"\r\n")
        with self.cond:
            self.pos = len(self.buf)
        self.send(keys, pace=self.pace)
        out = b""
        for _ in range(max(ends, 1)):
            # A redraw while editing also prints an empty prompt; only one after a line end counts.
            m = self.expect(rb"\n", timeout)
            p = self.expect(PROMPT_RE, timeout)
            out = bytes(self.buf[m.end():p.start()])
        return out

    def run(self, cmd, timeout=30.0):
        """Types `cmd` and Enter; returns what the command printed (cleaned, no echo)."""
        return clean(self.type_line(cmd + ENTER, timeout))

    def run_json(self, cmd, timeout=30.0):
        """The JSON value a command printed; log notices the console prints after it are left out."""
        out = self.run(cmd, timeout)
        try:
            return json.JSONDecoder().raw_decode(out.lstrip())[0]
        except ValueError as e:
            raise RigError("'%s' printed no JSON (%s): %r" % (cmd, e, out[:300]))

    pace = 0.0

    def poweroff(self, timeout=30.0):
        """Types `poweroff` and checks the emulator ends cleanly; raises RigError if not."""
        with self.cond:
            self.pos = len(self.buf)
        self.send("poweroff" + ENTER)
        self.expect(r"powering off", timeout)
        status = self.wait_exit(timeout)
        if status is None:
            raise RigError("%s still running %.0f s after poweroff; last output: %r"
                           % (self.name, timeout, clean(self.output()[-300:])))
        self.check_exit(status)

    def check_exit(self, status):
        if status != 0:
            raise RigError("%s exited with status %d after poweroff (log: %s)"
                           % (self.name, status, self.emu_log))


class QemuRig(Rig):
    """QEMU with TCG (TESTRIGS.md: KVM here cannot run a normal guest); COM1 on a unix socket."""

    def __init__(self, cpu="max", smp=2, mem="512M", extra_args=(), **kw):
        super().__init__(**kw)
        self.cpu, self.smp, self.mem = cpu, smp, mem
        self.extra_args = list(extra_args)
        self.qemu = need_program("qemu-system-x86_64", "qemu-system-x86")
        self.serial_path = os.path.join(self.tmp, "com1.sock")
        # QEMU's human monitor, for what only the machine can do (inject an NMI) and for the
        # shutdown watch: a shutdown (power-off or triple fault) pauses QEMU instead of ending
        # it, the rig records every CPU's registers if it was a triple fault, then lets it go.
        self.monitor_path = os.path.join(self.tmp, "monitor.sock")
        self.qemu_log = os.path.join(self.log_dir, "%s.qemu.log" % self.tag)
        self.fault_dump = os.path.join(self.log_dir, "%s.triple-fault.txt" % self.tag)
        self.monitor_lock = threading.Lock()
        self.watcher = None

    def base_command(self):
        return [self.qemu, "-accel", os.environ.get("BULWARK_TCG", DEFAULT_TCG), "-machine", "q35", "-cpu", self.cpu,
                "-smp", str(self.smp), "-m", self.mem, "-display", "none", "-vga", "none",
                "-net", "none", "-action", "reboot=shutdown,shutdown=pause",
                "-monitor", "unix:%s,server=on,wait=off" % self.monitor_path,
                "-d", os.environ.get("BULWARK_QEMU_DEBUG", "cpu_reset"), "-D", self.qemu_log,
                "-chardev", "socket,id=com1,path=%s,server=on,wait=on" % self.serial_path,
                "-serial", "chardev:com1"] + self.extra_args

    def connect(self):
        return self._connect_retry(socket.AF_UNIX, self.serial_path)

    def start(self):
        if os.path.exists(self.qemu_log):
            os.remove(self.qemu_log)
        super().start()
        self.watcher = threading.Thread(target=self._watch_shutdown, daemon=True)
        self.watcher.start()
        return self

    def _monitor(self, cmd, timeout=10.0, reply=True):
        with self.monitor_lock:
            s = self._connect_retry(socket.AF_UNIX, self.monitor_path, timeout)
            s.settimeout(timeout)
            try:
                def until_prompt():
                    buf, deadline = b"", time.monotonic() + timeout
                    while not buf.endswith(b"(qemu) ") and time.monotonic() < deadline:
                        data = s.recv(4096)
                        if not data:
                            break
                        buf += data
                    if not buf.endswith(b"(qemu) "):
                        raise RigError("QEMU's monitor did not prompt: %r" % buf[-200:])
                    return buf
                until_prompt()  # the greeting
                s.sendall(cmd.encode() + b"\n")
                if reply:
                    return clean(until_prompt()).rsplit("(qemu)", 1)[0]
                while s.recv(4096):  # 'quit' has no reply: QEMU closes the socket as it goes
                    pass
                return ""
            except OSError as e:
                raise RigError("QEMU monitor '%s': %s" % (cmd, e))
            finally:
                s.close()

    def monitor(self, cmd, timeout=10.0):
        """Runs one command in QEMU's human monitor; returns what it printed."""
        return self._monitor(cmd, timeout)

    def _watch_shutdown(self):
        """Once QEMU paused on a shutdown: the registers of every CPU if it was a triple fault, then quit."""
        while self.alive():
            time.sleep(0.5)
            try:
                if "paused (shutdown)" not in self._monitor("info status"):
                    continue
                self._record_triple_fault()
                self._monitor("quit", reply=False)
            except RigError:
                continue
            return

    def _record_triple_fault(self):
        try:
            with open(self.qemu_log, errors="replace") as f:
                if "Triple fault" not in f.read():
                    return
        except OSError:
            return
        with open(self.fault_dump, "w") as out:
            # `info mem` walks each CPU's page tables from its CR3 as they are in memory now: a
            # mapping missing there was unmapped, one present there was mistranslated.
            for cmd in ("info registers -a", "info lapic 0", "info lapic 1", "cpu 0", "info mem", "cpu 1", "info mem"):
                out.write("### %s\n%s\n" % (cmd, self._monitor(cmd)))
        sys.stderr.write("# %s: the emulated machine triple-faulted; every CPU's registers are in %s\n"
                         % (self.tag, self.fault_dump))


class QemuOvmfRig(QemuRig):
    """UEFI: OVMF boots EFI/BOOT/BOOTX64.EFI from a copy of the ESP directory."""

    name = "qemu-ovmf"
    boot_timeout = 90.0

    def __init__(self, esp=ESP, esp_extra=None, **kw):
        super().__init__(**kw)
        need_file(OVMF_CODE, "ovmf")
        need_file(OVMF_VARS, "ovmf")
        need_image(os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"))
        need_image(os.path.join(esp, "bulwark", "bulwark.elf"))
        # A private copy: QEMU's fat:rw: writes back, and suites may run side by side.
        self.esp = os.path.join(self.tmp, "esp")
        shutil.copytree(esp, self.esp)
        for dest, src in (esp_extra or {}).items():
            path = os.path.join(self.esp, dest)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copy(src, path)
        self.vars = os.path.join(self.tmp, "OVMF_VARS.fd")
        shutil.copy(OVMF_VARS, self.vars)

    def command(self):
        return self.base_command() + [
            "-drive", "if=pflash,format=raw,readonly=on,file=%s" % OVMF_CODE,
            "-drive", "if=pflash,format=raw,file=%s" % self.vars,
            "-drive", "format=raw,file=fat:rw:%s" % self.esp]


class QemuGrubRig(QemuRig):
    """Multiboot2: SeaBIOS boots the GRUB ISO from a CD-ROM."""

    name = "qemu-grub"
    boot_timeout = 60.0

    def __init__(self, iso=ISO, **kw):
        super().__init__(**kw)
        need_image(iso)
        self.iso = iso

    def command(self):
        return self.base_command() + ["-cdrom", self.iso, "-boot", "d"]


class BochsRig(Rig):
    """Multiboot2 under Bochs with a VT-x CPU model; COM1 is a TCP socket Bochs serves."""

    name = "bochs"
    boot_timeout = 240.0
    pace = 0.0

    def __init__(self, iso=ISO, cpus=2, megs=256, model="corei7_skylake_x", ips=100000000, **kw):
        super().__init__(**kw)
        self.bochs = need_program("bochs", "bochs")
        need_file(BOCHS_BIOS, "bochsbios")
        need_file(VGA_BIOS, "vgabios")
        need_image(iso)
        self.iso, self.cpus, self.megs, self.model, self.ips = iso, cpus, megs, model, ips
        self.port = free_tcp_port()
        self.bochs_log = os.path.join(self.log_dir, "%s.bochs.log" % self.tag)
        self.rc = os.path.join(self.tmp, "bochsrc")
        self.cmds = os.path.join(self.tmp, "cmds")

    def command(self):
        with open(self.rc, "w") as f:
            f.write("\n".join([
                "megs: %d" % self.megs,
                "cpu: model=%s, count=%d, ips=%d" % (self.model, self.cpus, self.ips),
                "romimage: file=%s" % BOCHS_BIOS,
                "vgaromimage: file=%s" % VGA_BIOS,
                "ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14",
                "ata0-slave: type=cdrom, path=%s, status=inserted" % self.iso,
                "boot: cdrom",
                "com1: enabled=1, mode=socket-server, dev=localhost:%d" % self.port,
                "log: %s" % self.bochs_log,
                "panic: action=fatal",
                "error: action=report",
                "speaker: enabled=0",
                # Debian's Bochs aborts in its mixer thread without a dummy sound driver.
                "sound: driver=dummy",
                'display_library: rfb, options="timeout=0"',
                "port_e9_hack: enabled=1",
                "clock: sync=none, time0=local",
                ""]))
        with open(self.cmds, "w") as f:
            f.write("c\n")
        return [self.bochs, "-q", "-f", self.rc, "-rc", self.cmds]

    def connect(self):
        return self._connect_retry(socket.AF_INET, ("127.0.0.1", self.port), timeout=30.0)

    def bochs_log_text(self):
        try:
            with open(self.bochs_log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def check_exit(self, status):
        # Bochs reports an ACPI S5 as a "panic" and, with action=fatal, exits with status 1.
        if BOCHS_POWEROFF in self.bochs_log_text():
            return
        raise RigError("Bochs exited with status %d without '%s' in its log (%s)"
                       % (status, BOCHS_POWEROFF, self.bochs_log))


# ---- one-boot suites ----
# The standard rig of each backend: AMD-V under QEMU/OVMF (TCG, -cpu max), VT-x under Bochs
# (corei7_skylake_x); 2 CPUs each. `slow` is how much longer the checks wait (Bochs interprets the
# hypervisor and its guests), `poweroff_s` how long the power-off may take.
BACKENDS = {
    "svm": {"emulator": "QEMU", "banner": "banner: AMD-V with NPT", "virt": "virt: AMD-V (NPT",
            "slow": 1, "poweroff_s": 30.0,
            "rig": lambda **kw: QemuOvmfRig(**{"cpu": "max", "smp": 2, "mem": "1G", **kw})},
    "vmx": {"emulator": "Bochs", "banner": "banner: VT-x with EPT", "virt": "virt: VT-x (EPT",
            "slow": 3, "poweroff_s": 120.0,
            "rig": lambda **kw: BochsRig(**{"cpus": 2, "megs": 512, "model": "corei7_skylake_x", **kw})},
}
# Results one_boot_suite prints besides the checks': the banner, poweroff.
ONE_BOOT_PLAN = 2


def one_boot_suite(t, backend, tag, checks, boot_timeout=None, **rig_kw):
    """Boots BACKENDS[backend]'s rig (log tag TAG; rig_kw adds to or overrides its arguments),
    checks that the banner names the backend, runs checks(rig, slow), powers off. A RigError
    that escapes the checks is one failure (the plan then comes up short, which fails too)."""
    b = BACKENDS[backend]
    try:
        with b["rig"](tag=tag, **rig_kw).start() as rig:
            banner = rig.boot(boot_timeout)
            t.ok(b["banner"], b["virt"] in banner, banner[-400:])
            checks(rig, b["slow"])
            t.check("poweroff ends %s cleanly" % b["emulator"], rig.poweroff, b["poweroff_s"])
    except RigError as e:
        t.fail("rig", e)
