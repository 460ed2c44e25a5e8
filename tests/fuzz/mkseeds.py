#!/usr/bin/env python3
# Writes the binary seed corpora (tests/fuzz/corpus/NAME/) from the specs' layouts: valid inputs plus edge cases.
# SPDX-License-Identifier: MIT
#
# Usage: tests/fuzz/mkseeds.py [NAME...]   (default: every generator below)
# The seeds are committed; re-running the script rewrites them byte for byte.
import gzip
import io
import json
import os
import struct
import sys
import tarfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(name, seed, data):
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, seed), "wb") as f:
        f.write(data)


# ---- ELF (System V gABI ch. 4; i386 and x86-64 psABI): ET_EXEC images for the guest loader.

def elf32(segs, entry, phnum=None, machine=3, etype=2, phentsize=32):
    """segs: (type, offset, paddr, filesz, memsz, flags); the file is padded to cover them."""
    hdr = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIIIIIHHHHHH", etype, machine, 1, entry, 52, 0, 0, 52, phentsize,
                       len(segs) if phnum is None else phnum, 40, 0, 0)
    ph = b"".join(struct.pack("<IIIIIIII", t, off, pa, pa, fs, ms, fl, 0x1000)
                  for t, off, pa, fs, ms, fl in segs)
    img = bytearray(hdr + ph)
    end = max([off + fs for _, off, _, fs, _, _ in segs if off < 1 << 20] + [len(img)])
    img += bytes(max(0, end - len(img)))
    for _, off, _, fs, _, _ in segs:
        if off + fs <= len(img) and off >= len(hdr + ph):
            img[off:off + fs] = bytes((0x90 + i) & 0xFF for i in range(fs))
    return bytes(img)


def elf64(segs, entry, phnum=None, machine=62, etype=2, phentsize=56):
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, 64, 0, 0, 64, phentsize,
                       len(segs) if phnum is None else phnum, 64, 0, 0)
    ph = b"".join(struct.pack("<IIQQQQQQ", t, fl, off, pa, pa, fs, ms, 0x1000)
                  for t, off, pa, fs, ms, fl in segs)
    img = bytearray(hdr + ph)
    end = max([off + fs for _, off, _, fs, _, _ in segs if off < 1 << 20] + [len(img)])
    img += bytes(max(0, end - len(img)))
    for _, off, _, fs, _, _ in segs:
        if off + fs <= len(img) and off >= len(hdr + ph):
            img[off:off + fs] = bytes((0x90 + i) & 0xFF for i in range(fs))
    return bytes(img)


PT_LOAD, PT_NOTE, RX, RW = 1, 4, 5, 6
MIB = 1 << 20


def gen_elf():
    # Valid: the shape of the test guests (ELF32 at 1 MiB, code plus data and .bss).
    write("elf", "valid-elf32-text-bss", elf32([(PT_LOAD, 0x100, MIB, 0x40, 0x40, RX),
                                                (PT_LOAD, 0x140, MIB + 0x1000, 0x10, 0x800, RW)], MIB))
    write("elf", "valid-elf64-note-and-load", elf64([(PT_NOTE, 0xb0, 0, 8, 8, 0),
                                                     (PT_LOAD, 0xc0, 2 * MIB, 0x20, 0x20, RX)], 2 * MIB + 4))
    write("elf", "valid-elf32-last-byte-of-ram", elf32([(PT_LOAD, 0x60, 4 * MIB - 0x10, 0x10, 0x10, RX)],
                                                       4 * MIB - 1))
    # Edge cases, each refused for one reason.
    write("elf", "truncated-header", elf32([(PT_LOAD, 0x60, MIB, 4, 4, RX)], MIB)[:40])
    write("elf", "elf64-header-only", elf64([], 0, phnum=1)[:60])
    write("elf", "no-phdrs", elf32([], MIB, phnum=0))
    write("elf", "phdrs-past-eof", elf32([(PT_LOAD, 0x60, MIB, 4, 4, RX)], MIB, phnum=64)[:0x60])
    write("elf", "bad-phentsize", elf64([(PT_LOAD, 0x80, MIB, 4, 4, RX)], MIB, phentsize=32))
    write("elf", "wrong-machine", elf32([(PT_LOAD, 0x60, MIB, 4, 4, RX)], MIB, machine=62))
    write("elf", "et-dyn", elf64([(PT_LOAD, 0x80, MIB, 4, 4, RX)], MIB, etype=3))
    write("elf", "filesz-gt-memsz", elf32([(PT_LOAD, 0x60, MIB, 0x20, 0x10, RX)], MIB))
    write("elf", "segment-past-eof", elf32([(PT_LOAD, 0x60, MIB, 0x10000, 0x10000, RX)], MIB)[:0x80])
    write("elf", "segment-past-ram", elf32([(PT_LOAD, 0x60, 4 * MIB - 8, 0x10, 0x10, RX)], 4 * MIB - 8))
    write("elf", "paddr-wraps", elf64([(PT_LOAD, 0x80, 2**64 - 0x1000, 0x10, 0x2000, RX)], 0))
    write("elf", "offset-wraps", elf64([(PT_LOAD, 2**64 - 8, MIB, 0x10, 0x10, RX)], MIB))
    write("elf", "entry-in-data", elf32([(PT_LOAD, 0x60, MIB, 0x10, 0x10, RX),
                                         (PT_LOAD, 0x70, 2 * MIB, 0x10, 0x10, RW)], 2 * MIB))
    write("elf", "only-empty-loads", elf32([(PT_LOAD, 0x60, MIB, 0, 0, RX)], MIB))


# ---- Linux bzImage (Documentation/arch/x86/boot.rst): setup header fields at their offsets.

def bzimage(sects=1, kernel=0x2000, version=0x020F, loadflags=1, reloc=1, align=0x200000, pref=16 * MIB,
            init_size=0x400000, cmdline_size=2047, initrd_max=0x7FFFFFFF, syssize=None, jump=0x6A):
    setup = ((sects or 4) + 1) * 512
    img = bytearray(setup + kernel)
    img[0x1F1] = sects
    struct.pack_into("<I", img, 0x1F4, kernel // 16 if syssize is None else syssize)
    struct.pack_into("<H", img, 0x1FE, 0xAA55)
    img[0x200:0x202] = bytes([0xEB, jump])
    img[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", img, 0x206, version)
    img[0x211] = loadflags
    struct.pack_into("<IIIBBHI", img, 0x22C, initrd_max, align, 0, 0, 0, 0, 0)
    img[0x234] = reloc
    struct.pack_into("<I", img, 0x238, cmdline_size)
    struct.pack_into("<QI", img, 0x258, pref, init_size)
    img[setup:] = bytes((0x90 + i) & 0xFF for i in range(kernel))
    return bytes(img)


def gen_bzimage():
    write("bzimage", "valid-2.15", bzimage())
    write("bzimage", "valid-setup-sects-0", bzimage(sects=0))
    write("bzimage", "valid-not-relocatable", bzimage(reloc=0, pref=MIB))
    write("bzimage", "truncated", bzimage()[:0x1000])
    write("bzimage", "header-only", bzimage()[:0x268])
    write("bzimage", "protocol-2.11", bzimage(version=0x020B))
    write("bzimage", "not-loaded-high", bzimage(loadflags=0))
    write("bzimage", "syssize-past-eof", bzimage(syssize=0x100000))
    write("bzimage", "bad-alignment", bzimage(align=0x300000))
    write("bzimage", "kernel-past-ram", bzimage(pref=31 * MIB))
    write("bzimage", "short-header", bzimage(jump=0x10))
    write("bzimage", "cmdline-size-small", bzimage(cmdline_size=4))
    write("bzimage", "initrd-max-below-kernel", bzimage(initrd_max=16 * MIB))


# ---- Multiboot 0.6.96 (section 3.1): the header, a.out kludge or ELF.

def mb_header(flags, fields=()):
    return struct.pack("<III", 0x1BADB002, flags, (-(0x1BADB002 + flags)) & 0xFFFFFFFF) + \
        struct.pack("<%dI" % len(fields), *fields)


def mb_kludge(flags=0x10003, load=MIB, load_end=MIB + 0x1000, bss_end=MIB + 0x3000, entry=MIB + 0x40, size=0x1000):
    img = bytearray(size)
    img[0:32] = mb_header(flags, (MIB, load, load_end, bss_end, entry))
    return bytes(img)


def gen_multiboot():
    write("multiboot", "valid-kludge", mb_kludge())
    write("multiboot", "valid-kludge-no-bss", mb_kludge(load_end=0, bss_end=0))
    elf = bytearray(elf32([(PT_LOAD, 0x1000, 2 * MIB, 0x100, 0x2000, 7)], 2 * MIB + 0x10))
    elf[0x1000:0x100c] = mb_header(3)
    write("multiboot", "valid-elf", bytes(elf))
    write("multiboot", "video-mode", mb_kludge(flags=0x10007))
    write("multiboot", "unknown-required-flag", mb_kludge(flags=0x10013))
    write("multiboot", "not-elf-no-kludge", mb_kludge(flags=3))
    write("multiboot", "below-1mib", mb_kludge(load=0x8000))
    write("multiboot", "load-end-past-eof", mb_kludge(load_end=MIB + 0x100000))
    write("multiboot", "entry-outside", mb_kludge(entry=MIB + 0x2000))
    write("multiboot", "bss-past-ram", mb_kludge(bss_end=0xF0000000))
    write("multiboot", "header-truncated", mb_kludge()[:20])


# ---- Console line editor: keys as a VT100/xterm terminal sends them (ECMA-48 CSI and SS3 sequences).

def gen_lineedit():
    up, down, right, left = b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D"
    seeds = {
        "command-cr": b"help\r",
        "command-crlf-json": b"vm list --json\r\n",
        "arrows-insert": b"abc" + left + left + b"X" + right + b"Y\r",
        "history-up-down": b"one\rtwo\rthree\r" + up + up + down + b"!\r" + up * 40 + down * 40,
        "home-end-delete": b"hello world\x1b[H\x1b[3~\x1b[F\x1b[1~X\x1b[4~Y\x1bOH\x1bOFZ\r",
        "control-keys": b"abc def ghi\x01\x05\x17\x15xyz\x01\x0b\x0c\x03again\x7f\x08\r",
        "tab-complete": b"v\t\tve\t\r" + b"vm\t\r" + b"zz\t\r" + b"help i\t\t\r",
        "line-255": b"a" * 255 + b"\r",
        "line-256-refused": b"b" * 256 + b"\rok\r",
        "long-then-complete": b"x " * 120 + b"v\t\t\r",
        "escape-too-long": b"\x1b[" + b"1;" * 20 + b"Dtext\x1b\x1b[\x1bOZ\r",
        "bytes-0-to-255": bytes(range(256)) + b"\r",
        "cr-lf-mixes": b"a\r\nb\n\rc\r\r\nd\n\n",
    }
    for name, data in seeds.items():
        write("lineedit", name, data)


# ---- Console commands: lines as the editor hands them over (README "The console").

def gen_console():
    seeds = {
        "help": b"help\nhelp log\nhelp --json\nhelp nosuch\n",
        "host-commands": b"version --json\ninfo\ninfo --json\ncpus\nmem --json\nuptime\n",
        "log-options": b"log -n 2\nlog -n=1 --json\nlog -n 0x10\nlog -n\nlog -n abc\nlog -n 99999999999999999999\n",
        "options-end": b"log -- -n\nversion -- --json\nhelp -- help\n",
        "quotes": b'help "log"\nhelp "unterminated\nhelp a\\ b\nhelp "esc \\" quote"\nhelp trailing\\\n',
        "too-many-words": b"help" + b" w" * 40 + b"\n",
        "unknown-and-blank": b"\n   \n\t\nnosuch\nvm\nvm start web\n",
        "control-bytes": b"help \x1b[2J\nno\x07such\x7f\xff\nlog --\x1bjson\n",
        "power": b"poweroff\nreboot now\nreboot\n",
        "line-255": b"help " + b"a" * 250 + b"\n",
    }
    for name, data in seeds.items():
        write("console", name, data)


# ---- Boot configuration (hypervisor/config.h): `vm NAME KEY=VALUE...` lines; bulwark.cfg and
# bad.cfg are copies of guests/bulwark.cfg and tests/system/data/bad.cfg.

def gen_config():
    seeds = {
        "every-key": b"vm a.b_c-1 image=x.elf mem=1G vcpus=8 cpus=0-3,5,63 autostart=no\n",
        "sizes": b"vm s1 image=i mem=4096\nvm s2 image=i mem=0x100000\nvm s3 image=i mem=64MiB\n"
                 b"vm s4 image=i mem=16k\nvm s5 image=i mem=17179869184T\nvm s6 image=i mem=1X\n",
        "cpu-lists": b"vm c1 image=i cpus=all\nvm c2 image=i cpus=3-1\nvm c3 image=i cpus=64\n"
                     b"vm c4 image=i cpus=0,\nvm c5 image=i cpus=,1\nvm c6 image=i cpus=1-\n",
        "vcpus": b"vm v0 image=i vcpus=0\nvm v9 image=i vcpus=9\nvm vx image=i vcpus=0x8\n",
        "names": b"vm " + b"n" * 31 + b" image=i\nvm " + b"n" * 32 + b" image=i\nvm -lead image=i\nvm \"q n\" image=i\n",
        "image-63": b"vm img image=" + b"f" * 63 + b"\nvm img2 image=" + b"f" * 64 + b"\nvm e image=\n",
        "words": b"vm w image=i " + b"k=v " * 20 + b"\nvm w2 image=i noequals\nvm w3 =v image=i\n"
                 b"vm w4 image=i keytoolongforit=1\n",
        "comments-quotes": b"# c\n\n   \t\nvm q image=\"a b\" # trailing\nvm q2 image=a\\ b\nvm q3 image=\"x\n",
        "line-511-512": b"vm l image=i " + b" " * (511 - 13) + b"\nvm l2 image=i " + b" " * (512 - 14) + b"\n",
        "nul-and-cr": b"vm n1 image=i\x00\nvm n2 image=i\r\nvm n3 image=i",
    }
    for name, data in seeds.items():
        write("config", name, data)


# ---- ACPI tables (ACPI 6.5 chapter 5; IA-PC HPET 3.2.4; PCI Firmware 4.1.2), as tests/fuzz/acpi.c
# reads them: a flags byte (bit 0 repair checksums, bit 1 run the \\_S5 finder on everything),
# then physical memory from 0xE0000 with the RSDP first.

ACPI_BASE = 0xE0000


def csum_fix(b, at):
    b[at] = 0
    b[at] = (0x100 - sum(b) % 256) % 256
    return b


def acpi_table(sig, body, rev=1):
    t = bytearray(sig + struct.pack("<IBB", 36 + len(body), rev, 0) + b"BULWRK" + b"FUZZSEED"
                  + struct.pack("<I", 1) + b"BWRK" + struct.pack("<I", 1) + body)
    return bytes(csum_fix(t, 9))


def rsdp(rsdt, xsdt=None, rev=2):
    r = bytearray(b"RSD PTR " + b"\0" + b"BULWRK" + bytes([rev]) + struct.pack("<I", rsdt))
    csum_fix(r, 8)
    if rev >= 2:
        r += struct.pack("<IQ", 36, xsdt or 0) + bytes(4)
        r[:20] = csum_fix(bytearray(r[:20]), 8)
        csum_fix(r, 32)
    return bytes(r)


def gas(space, width, addr):
    return struct.pack("<BBBBQ", space, width, 0, 1 if width == 8 else 2, addr)


def fadt(dsdt, length=276, rev=6, reset=True, x_pm1a=0):
    f = bytearray(length - 36)
    def put(off, fmt, *v):
        struct.pack_into(fmt, f, off - 36, *v)
    put(40, "<I", dsdt)                      # DSDT
    put(46, "<H", 9)                         # SCI_INT
    put(56, "<I", 0x600)                     # PM1a_EVT_BLK
    put(64, "<I", 0x604)                     # PM1a_CNT_BLK
    if length >= 129:
        put(112, "<I", (1 << 10) if reset else 0)  # Flags.RESET_REG_SUP
        f[116 - 36:128 - 36] = gas(1, 8, 0xCF9)  # RESET_REG
        put(128, "<B", 6)                    # RESET_VALUE
    if length >= 148:
        put(140, "<Q", dsdt)                 # X_DSDT
    if length >= 184 and x_pm1a:
        f[172 - 36:184 - 36] = gas(1, 16, x_pm1a)  # X_PM1a_CNT_BLK
    return acpi_table(b"FACP", bytes(f), rev)


def madt(entries, lapic=0xFEE00000, flags=1):
    return acpi_table(b"APIC", struct.pack("<II", lapic, flags) + b"".join(entries), 5)


def lapic(uid, apic_id, flags=1):
    return struct.pack("<BBBBI", 0, 8, uid, apic_id, flags)


def ioapic(ioid, addr, gsi):
    return struct.pack("<BBBBII", 1, 12, ioid, 0, addr, gsi)


def override(src, gsi, flags):
    return struct.pack("<BBBBIH", 2, 10, 0, src, gsi, flags)


def x2apic(apic_id, uid, flags=1):
    return struct.pack("<BBHIII", 9, 16, 0, apic_id, flags, uid)


def lapic_addr_override(addr):
    return struct.pack("<BBHQ", 5, 12, 0, addr)


S5_PKG = bytes([0x08]) + b"_S5_" + bytes([0x12, 0x07, 0x04, 0x0A, 0x05, 0x00, 0x00, 0x00])
AML_PREFIX = bytes([0x10, 0x05]) + b"_SB_" + bytes([0x14, 0x06]) + b"_PTS" + bytes([0x01, 0xA3])


def dsdt(aml):
    return acpi_table(b"DSDT", aml, 2)


def hpet(addr):
    return acpi_table(b"HPET", struct.pack("<I", 0x8086A201) + gas(0, 64, addr) + bytes([0]) +
                      struct.pack("<HB", 0x80, 0))


def mcfg(allocs):
    return acpi_table(b"MCFG", bytes(8) + b"".join(struct.pack("<QHBBI", base, seg, 0, 255, 0)
                                                    for base, seg in allocs))


def window(parts, flags=0):
    """parts: {offset: bytes}; returns flags byte + the memory image."""
    size = max(off + len(b) for off, b in parts.items())
    m = bytearray(size)
    for off, b in parts.items():
        m[off:off + len(b)] = b
    return bytes([flags]) + bytes(m)


def gen_acpi():
    A = lambda off: ACPI_BASE + off
    cpus = [lapic(0, 0), lapic(1, 1), lapic(2, 2, 0)]
    madt_q35 = madt(cpus + [ioapic(0, 0xFEC00000, 0), override(0, 2, 0), override(9, 9, 0xD),
                            bytes([4, 6, 0xFF, 0, 0, 1])])
    full = {
        0x000: rsdp(A(0x40), A(0x100)),
        0x040: acpi_table(b"RSDT", struct.pack("<IIII", A(0x200), A(0x400), A(0x600), A(0x700))),
        0x100: acpi_table(b"XSDT", struct.pack("<QQQQ", A(0x200), A(0x400), A(0x600), A(0x700))),
        0x200: fadt(A(0x800)),
        0x400: madt_q35,
        0x600: hpet(0xFED00000),
        0x700: mcfg([(0xB0000000, 0)]),
        0x800: dsdt(AML_PREFIX + S5_PKG),
    }
    write("acpi", "valid-xsdt-fadt-madt-hpet-mcfg-dsdt", window(full))
    write("acpi", "valid-repair-and-find-s5", window(full, 3))
    write("acpi", "valid-rsdp-v0-rsdt", window({
        0x000: rsdp(A(0x40), rev=0),
        0x040: acpi_table(b"RSDT", struct.pack("<II", A(0x200), A(0x400))),
        0x200: fadt(A(0x800), length=116, rev=1),
        0x400: madt([lapic(0, 0), ioapic(1, 0xFEC00000, 0)]),
        0x800: dsdt(bytes([0x08, 0x5C]) + S5_PKG[1:]),
    }))
    write("acpi", "madt-x2apic-and-address-override", window({
        0x000: rsdp(A(0x40), A(0x100)),
        0x100: acpi_table(b"XSDT", struct.pack("<Q", A(0x400))),
        0x400: madt([lapic(0, 0), x2apic(0, 0), x2apic(0x100, 7), lapic_addr_override(0xFEE01000)]),
    }))
    write("acpi", "madt-entry-length-0", window({
        0x000: rsdp(A(0x40), rev=0),
        0x040: acpi_table(b"RSDT", struct.pack("<I", A(0x400))),
        0x400: madt([lapic(0, 0), bytes([0, 0, 0, 0])]),
    }))
    write("acpi", "madt-entry-past-table", window({
        0x000: rsdp(A(0x40), rev=0),
        0x040: acpi_table(b"RSDT", struct.pack("<I", A(0x400))),
        0x400: madt([lapic(0, 0), bytes([1, 40, 0, 0])]),
    }))
    write("acpi", "madt-short-entries", window({
        0x000: rsdp(A(0x40), rev=0),
        0x040: acpi_table(b"RSDT", struct.pack("<I", A(0x400))),
        0x400: madt([bytes([0, 4, 0, 0]), bytes([1, 8]) + bytes(6), bytes([9, 12]) + bytes(10),
                     bytes([5, 8]) + bytes(6)]),
    }))
    write("acpi", "madt-too-many", window({
        0x000: rsdp(A(0x40), rev=0),
        0x040: acpi_table(b"RSDT", struct.pack("<I", A(0x400))),
        0x400: madt([lapic(i, i) for i in range(70)] + [ioapic(i, 0xFEC00000 + i * 0x1000, 24 * i)
                                                         for i in range(10)] +
                    [override(i, i, 0) for i in range(20)]),
    }))
    write("acpi", "rsdp-bad-checksum", bytes([0]) + bytes([rsdp(A(0x40), rev=0)[0]]) + b"SD PTR \x01" + bytes(16))
    write("acpi", "rsdp-v2-bad-length", window({0x000: bytearray(rsdp(A(0x40), A(0x100)))[:20] +
                                                struct.pack("<IQ", 5000, A(0x100)) + bytes(4)}, 1))
    write("acpi", "xsdt-bad-falls-back-to-rsdt", window({
        0x000: rsdp(A(0x40), A(0x100)),
        0x040: acpi_table(b"RSDT", struct.pack("<I", A(0x200))),
        0x100: b"XSDT" + struct.pack("<I", 0x10000000) + bytes(28),
        0x200: fadt(A(0x800), length=244, rev=3, x_pm1a=0x704),
        0x800: dsdt(AML_PREFIX),
    }))
    write("acpi", "tables-past-window", window({
        0x000: rsdp(A(0x40), rev=0),
        0x040: acpi_table(b"RSDT", struct.pack("<IIII", A(0x80), 0, 0xFFFFFFFF, A(0x40))),
        0x080: b"APIC" + struct.pack("<I", 0x1000),
    }))
    write("acpi", "dsdt-s5-edge-packages", bytes([2]) + bytes(AML_PREFIX) +
          bytes([0x08]) + b"_S5_" + bytes([0x12, 0x40]) +                 # PkgLength with bad bits
          bytes([0x08, 0x5E, 0x5E]) + b"_S5_" + bytes([0x12, 0x03, 0x02, 0x0A]) +  # integer cut short
          bytes([0x08]) + b"_S5_" + bytes([0x12, 0x4A, 0x00, 0x02, 0x0C, 1, 2]))   # 2-byte PkgLength past end


# ---- Device models (hypervisor/dev/): records of device, op, offset, value, time step (tests/fuzz/vdev.c).

def rec(dev, op, off, value, dt=0):
    return struct.pack("<BBHII", dev, op, off, value & 0xFFFFFFFF, dt)


def gen_vdev():
    LAPIC, IOAPIC, PIC, PIT, RTC, PM, RESET, TICK = range(8)
    w32 = 0x02 | 0x04  # write, 32-bit
    # Linux's xAPIC bring-up on CPU 0: SVR enable, LVTs, one-shot timer, an IPI to CPU 1, EOI.
    write("vdev", "lapic-xapic-boot", b"".join([
        rec(LAPIC, w32, 0xF0, 0x1FF), rec(LAPIC, w32, 0x3E0, 0x3), rec(LAPIC, w32, 0x320, 0xEC),
        rec(LAPIC, w32, 0x380, 100000), rec(TICK, 0, 0, 0, 2000000), rec(LAPIC, 0x0C | 0x02, 0x390, 0),
        rec(LAPIC, 0x10 | w32, 0xF0, 0x1FF), rec(LAPIC, w32, 0x310, 0x01000000), rec(LAPIC, w32, 0x300, 0x40FD),
        rec(LAPIC, 0x0C | 0x04, 0, 0), rec(LAPIC, w32, 0xB0, 0)]))
    # x2APIC: enable through IA32_APIC_BASE, SVR, TSC-deadline timer, self IPI, ICR.
    write("vdev", "lapic-x2apic", b"".join([
        rec(LAPIC, 0x0C, 0x0001, 0xFEE00C00), rec(LAPIC, 0x08, 0x010F, 0x1FF), rec(LAPIC, 0x08, 0x0132, 0x400EF),
        rec(LAPIC, 0x0C, 0x0002, 5000), rec(TICK, 0, 0, 0, 10000), rec(LAPIC, 0x08, 0x013F, 0x41),
        rec(LAPIC, 0x08, 0x0330, 0x4042), rec(LAPIC, 0x08, 0x0130, 0x000C4043)]))
    # IOAPIC: a level entry for the SCI and an edge one for the PIT, pins toggled, EOI.
    write("vdev", "ioapic-routes", b"".join([
        rec(LAPIC, w32, 0xF0, 0x1FF), rec(IOAPIC, 0x09, 0x00, 0x10 + 18), rec(IOAPIC, 0x09, 0x10, 0x8029),
        rec(IOAPIC, 0x09, 0x00, 0x10 + 4), rec(IOAPIC, 0x09, 0x10, 0x0030), rec(IOAPIC, 0x02, 9, 1),
        rec(IOAPIC, 0x02, 2, 1), rec(IOAPIC, 0x02, 2, 0), rec(IOAPIC, 0x03, 0, 0x29), rec(IOAPIC, 0x02, 9, 0),
        rec(IOAPIC, 0x09, 0x00, 0x01), rec(IOAPIC, 0x08, 0x10, 0)]))
    # 8259: Linux's init_8259A and mask, an interrupt, poll.
    write("vdev", "pic-init", b"".join([
        rec(PIC, 1, 0x0001, 0xFF), rec(PIC, 1, 0x0000, 0x11), rec(PIC, 1, 0x0001, 0x30), rec(PIC, 1, 0x0001, 0x04),
        rec(PIC, 1, 0x0001, 0x01), rec(PIC, 1, 0x0100, 0x11), rec(PIC, 1, 0x0101, 0x38), rec(PIC, 1, 0x0101, 0x02),
        rec(PIC, 1, 0x0101, 0x01), rec(PIC, 1, 0x0001, 0xFB), rec(PIC, 2, 12, 1), rec(PIC, 5, 0, 0),
        rec(PIC, 1, 0x0000, 0x0C), rec(PIC, 0, 0x0000, 0)]))
    # PIT: channel 2 calibration through port 0x61, channel 0 rate generator, latch and read-back.
    write("vdev", "pit-calibrate", b"".join([
        rec(PIT, 3, 0, 0x01), rec(PIT, 1, 3, 0xB0), rec(PIT, 1, 2, 0xFF), rec(PIT, 1, 2, 0xFF),
        rec(PIT, 0, 2, 0, 50000), rec(PIT, 0, 2, 0), rec(PIT, 2, 0, 0, 60000000), rec(PIT, 1, 3, 0x34),
        rec(PIT, 1, 0, 0xA9), rec(PIT, 1, 0, 0x04), rec(TICK, 0, 0, 0, 1000000), rec(PIT, 1, 3, 0x00),
        rec(PIT, 0, 0, 0), rec(PIT, 1, 3, 0xC2), rec(PIT, 0, 0, 0), rec(PIT, 0, 0, 0)]))
    # RTC: time reads in both formats, setting the clock with SET, NVRAM.
    write("vdev", "rtc-set", b"".join([
        rec(RTC, 1, 0, 0x0A), rec(RTC, 0, 1, 0), rec(RTC, 1, 0, 0x0B), rec(RTC, 1, 1, 0x86),
        rec(RTC, 1, 0, 0x04), rec(RTC, 1, 1, 23), rec(RTC, 1, 0, 0x0B), rec(RTC, 1, 1, 0x06),
        rec(RTC, 1, 0, 0x8E), rec(RTC, 1, 1, 0x42), rec(RTC, 0, 1, 0)]))
    # ACPI PM: enable the power button, press it, clear it, timer reads, S5.
    write("vdev", "pm-s5", b"".join([
        rec(PM, 0x03, 0x02, 0x0100), rec(PM, 0x02, 0, 0), rec(PM, 0x04, 0x00, 0), rec(PM, 0x03, 0x00, 0x0100),
        rec(PM, 0x08, 0x08, 0, 2500000000), rec(PM, 0x04, 0x00, 0), rec(PM, 0x03, 0x04, 0x3401)]))
    write("vdev", "reset-paths", b"".join([
        rec(RESET, 0, 0, 0x02), rec(RESET, 0, 0, 0x06), rec(RESET, 1, 0, 0x01), rec(RESET, 2, 0, 0xFE),
        rec(RESET, 3, 0, 0x55)]))

# ---- Image layers (OCI image-spec layer.md: tar, optionally gzip, whiteouts .wh.NAME and
# .wh..wh..opq), laid over the lower layer tests/fuzz/tar_layer.c builds (etc/passwd,
# dir/sub/file, and symlinks abs, rel and dir/canary that point out of the rootfs).

def tar_bytes(members, fmt=tarfile.USTAR_FORMAT, gz=False):
    """members: (name, type, data-or-linkname, mode); deterministic (mtime, uid, names fixed)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, kind, payload, mode in members:
            ti = tarfile.TarInfo(name)
            ti.mtime, ti.mode, ti.uid, ti.gid = 1700000000, mode, 0, 0
            ti.uname = ti.gname = ""
            ti.type = kind
            if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                ti.linkname = payload
                t.addfile(ti)
            elif kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                ti.devmajor, ti.devminor = payload
                t.addfile(ti)
            elif kind == tarfile.REGTYPE:
                ti.size = len(payload)
                t.addfile(ti, io.BytesIO(payload))
            else:
                t.addfile(ti)
        end = t.offset
    data = buf.getvalue()[:end + 1024]  # the two zero blocks, without tarfile's record padding
    if gz:
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
            g.write(data)
        data = out.getvalue()
    return data


def gen_tar_layer():
    F, D, S, L, C, B, P = (tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE,
                           tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE)
    base = [("bin", D, None, 0o755), ("bin/busybox", F, b"\x7fELF" + bytes(60), 0o755),
            ("bin/sh", S, "busybox", 0o777), ("bin/ls", L, "bin/busybox", 0o755),
            ("etc/hostname", F, b"box\n", 0o644), ("dev", D, None, 0o755),
            ("dev/null", C, (1, 3), 0o666), ("dev/sda", B, (8, 0), 0o660), ("run/fifo", P, None, 0o600)]
    write("tar_layer", "layer-ustar", tar_bytes(base))
    write("tar_layer", "layer-gzip", tar_bytes(base, gz=True))
    write("tar_layer", "layer-whiteouts", tar_bytes([
        ("dir/.wh..wh..opq", F, b"", 0o644), ("dir/new", F, b"upper\n", 0o644),
        ("etc/.wh.passwd", F, b"", 0o644), ("./.wh.rel", F, b"", 0o644), ("etc/.wh.", F, b"", 0o644),
        ("etc/.wh..", F, b"", 0o644), (".wh..wh..opq", F, b"", 0o644)]))
    long = "d" * 120 + "/" + "f" * 130
    write("tar_layer", "layer-gnu-long-names", tar_bytes([
        (long, F, b"long\n", 0o644), ("l" * 110, S, "t" * 150, 0o777)], fmt=tarfile.GNU_FORMAT))
    write("tar_layer", "layer-pax", tar_bytes([
        ("p" * 200 + "/x", F, b"pax\n", 0o644), ("caf\u00e9", F, b"utf8\n", 0o644),
        ("lnk", S, "/" + "q" * 120, 0o777)], fmt=tarfile.PAX_FORMAT))
    # Escape attempts, each of which must stay inside the rootfs (or be refused).
    write("tar_layer", "escape-dotdot", tar_bytes([("../outside/evil", F, b"x", 0o644)]))
    write("tar_layer", "escape-absolute-name", tar_bytes([("/tmp/w/outside/evil", F, b"x", 0o644)]))
    write("tar_layer", "escape-through-lower-symlinks", tar_bytes([
        ("abs/evil", F, b"x", 0o644), ("rel/evil", F, b"x", 0o644), ("abs/sub", D, None, 0o755),
        ("dir/canary", F, b"overwritten", 0o644)]))
    write("tar_layer", "escape-own-symlink", tar_bytes([
        ("up", S, "../..", 0o777), ("up/outside/evil", F, b"x", 0o644),
        ("root", S, "/", 0o777), ("root/tmp/w/outside/evil", F, b"x", 0o644)]))
    write("tar_layer", "escape-hardlinks", tar_bytes([
        ("h1", L, "../outside/canary", 0o644), ("h2", L, "dir/canary", 0o644),
        ("h3", L, "abs/canary", 0o644), ("h4", L, "/tmp/w/outside/canary", 0o644)]))
    write("tar_layer", "escape-whiteouts", tar_bytes([
        ("abs/.wh.canary", F, b"", 0o644), ("rel/.wh..wh..opq", F, b"", 0o644),
        ("dir/.wh.canary", F, b"", 0o644)]))
    write("tar_layer", "replace-dir-with-file", tar_bytes([
        ("dir", F, b"now a file", 0o4755), ("etc", S, "/tmp/w/outside", 0o777), ("etc/x", F, b"x", 0o644)]))
    good = tar_bytes(base)
    bad = bytearray(good)
    bad[148:156] = b"0000000\0"
    write("tar_layer", "bad-checksum", bytes(bad))
    write("tar_layer", "truncated-data", good[:512 + 100])
    write("tar_layer", "truncated-gzip", tar_bytes(base, gz=True)[:80])
    huge = bytearray(tar_bytes([("big", F, b"", 0o644)]))
    huge[124:136] = b"\x80" + b"\xff" * 11   # base-256 size near 2^88
    struct.pack_into("8s", huge, 148, b"%06o\0 " % (sum(huge[:148]) + 8 * 32 + sum(huge[156:512])))
    write("tar_layer", "size-base256-huge", bytes(huge))


# ---- OCI image layouts (image-spec image-index.md, manifest.md, config.md), as
# tests/fuzz/oci_image.c reads them: index.json, then blobs after "\n--blob--\n" lines;
# "sha256:@K" stands for blob K's digest. Odd-sized inputs import the ref "busybox".

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_TGZ = "application/vnd.oci.image.layer.v1.tar+gzip"
MT_TAR = "application/vnd.oci.image.layer.v1.tar"


def desc(mt, k, ref=None):
    d = {"mediaType": mt, "digest": "sha256:@%d" % k, "size": 0}
    if ref:
        d["annotations"] = {"org.opencontainers.image.ref.name": ref}
    return d


def layout(index, *blobs, odd=None):
    parts = [json.dumps(index, separators=(",", ":")).encode()]
    parts += [b if isinstance(b, bytes) else json.dumps(b, separators=(",", ":")).encode() for b in blobs]
    data = b"\n--blob--\n".join(parts)
    if odd is not None and (len(data) % 2 == 1) != odd:
        data += b" " if parts[-1][-1:] in (b"}", b"]") else b""
        if (len(data) % 2 == 1) != odd:
            data = data[:-1] if data.endswith(b" ") else data + b" "
    return data


def gen_oci_image():
    F, D, S = tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE
    rootfs = tar_bytes([("bin", D, None, 0o755), ("bin/sh", F, b"#!sh\n", 0o755),
                        ("etc", D, None, 0o755),
                        ("etc/passwd", F, b"root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n", 0o644),
                        ("etc/group", F, b"root:x:0:\napp:x:1000:\nstaff:x:50:\n", 0o644)], gz=True)
    upper = tar_bytes([("etc/.wh.hostname", F, b"", 0o644), ("home/app/.profile", F, b"x=1\n", 0o644),
                       ("lib", S, "/usr/lib", 0o777)])
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"Env": ["PATH=/bin", "HOME=/home/app"], "Entrypoint": ["/bin/sh", "-c"],
                      "Cmd": ["echo hi"], "WorkingDir": "/home/app", "User": "app:staff"},
           "rootfs": {"type": "layers", "diff_ids": []}}
    manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": desc(MT_CONFIG, 2),
                "layers": [desc(MT_TGZ, 3), desc(MT_TAR, 4)]}
    write("oci_image", "valid-two-layers-user-by-name",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1, "busybox")]},
                 manifest, cfg, rootfs, upper, odd=True))
    write("oci_image", "valid-no-ref-numeric-user",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1)]},
                 {"schemaVersion": 2, "config": desc(MT_CONFIG, 2), "layers": [desc(MT_TGZ, 3)]},
                 {"config": {"User": "1000:50", "Cmd": ["sh"]}}, rootfs, odd=False))
    write("oci_image", "valid-nested-index",
          layout({"schemaVersion": 2, "manifests": [desc(MT_INDEX, 1, "busybox")]},
                 {"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 2)]},
                 {"schemaVersion": 2, "config": desc(MT_CONFIG, 3), "layers": [desc(MT_TGZ, 4)]},
                 {"config": {}}, rootfs, odd=True))
    write("oci_image", "ref-not-found",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1, "other")]},
                 manifest, cfg, rootfs, upper, odd=True))
    write("oci_image", "bad-digests",
          layout({"schemaVersion": 2, "manifests": [dict(desc(MT_MANIFEST, 1), digest="sha256:" + "A" * 64),
                                                    desc(MT_MANIFEST, 1)]},
                 {"schemaVersion": 2, "config": {"digest": "sha256:../../../etc/passwd"},
                  "layers": [{"digest": "sha512:" + "0" * 128}]}, odd=False))
    write("oci_image", "digest-mismatch",
          layout({"schemaVersion": 2, "manifests": [dict(desc(MT_MANIFEST, 1), digest="sha256:" + "0" * 64)]},
                 manifest, odd=False))
    write("oci_image", "zstd-layer",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1)]},
                 {"schemaVersion": 2, "config": desc(MT_CONFIG, 2),
                  "layers": [desc("application/vnd.oci.image.layer.v1.tar+zstd", 3)]},
                 cfg, rootfs, odd=False))
    write("oci_image", "image-config-odd-values",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1)]},
                 {"schemaVersion": 2, "config": desc(MT_CONFIG, 2), "layers": [desc(MT_TGZ, 3)]},
                 {"config": {"Env": ["NOPATH=1", None], "Entrypoint": ["sh"], "Cmd": None}}, rootfs, odd=False))
    write("oci_image", "image-config-relative-workdir",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1)]},
                 {"schemaVersion": 2, "config": desc(MT_CONFIG, 2), "layers": [desc(MT_TGZ, 3)]},
                 {"config": {"WorkingDir": "relative", "User": "nobody:nogroup", "Env": ["NOPATH=1"]}},
                 rootfs, odd=False))
    write("oci_image", "no-manifests-no-layers",
          layout({"schemaVersion": 2, "manifests": []}, odd=False))
    write("oci_image", "manifest-without-layers",
          layout({"schemaVersion": 2, "manifests": [desc(MT_MANIFEST, 1)]},
                 {"schemaVersion": 2, "config": desc(MT_CONFIG, 2), "layers": {}}, cfg, odd=False))
    write("oci_image", "not-json", b"\x00\xffnot json\n--blob--\n[]")

# ---- split virtqueues (virtio 1.2 2.7.5, 2.7.6, 2.7.8): header (num, desc, avail, used, direction) + guest RAM.

def vq_seed(num, descs, heads, dir_=0, desc_at=0x1000, avail=0x2000, used=0x3000, idx=None):
    """descs: {index: (addr, len, flags, next)}; heads: the available ring's entries in order."""
    ram = bytearray(0x4000)
    for i, (addr, ln, fl, nx) in descs.items():
        struct.pack_into("<QIHH", ram, desc_at + 16 * i, addr, ln, fl, nx)
    for k, h in enumerate(heads):
        struct.pack_into("<H", ram, avail + 4 + 2 * (k % max(num, 1)), h)
    struct.pack_into("<H", ram, avail + 2, len(heads) if idx is None else idx)
    return struct.pack("<HIIIB", num, desc_at, avail, used, dir_) + bytes(ram)


def gen_virtqueue():
    n = "virtqueue"
    write(n, "blk-request", vq_seed(8, {0: (0x3800, 16, 1, 1), 1: (0x3900, 512, 3, 2), 2: (0x3b00, 1, 2, 0)}, [0]))
    write(n, "tx-two-chains", vq_seed(4, {0: (0x3800, 64, 0, 0), 1: (0x3900, 32, 1, 3), 3: (0x3a00, 8, 0, 0)},
                                      [0, 1], dir_=1))
    write(n, "rx-writable", vq_seed(16, {i: (0x3800 + 16 * i, 16, 2, 0) for i in range(16)}, list(range(16)), dir_=2))
    write(n, "out-of-ram", vq_seed(8, {0: (0x10000, 16, 0, 0)}, [0]))
    write(n, "addr-wraps", vq_seed(8, {0: (0xfffffffffffff000, 0x2000, 0, 0)}, [0]))
    write(n, "len-zero", vq_seed(8, {0: (0x3800, 0, 0, 0)}, [0]))
    write(n, "len-huge", vq_seed(8, {0: (0x3800, 0xffffffff, 0, 0)}, [0]))
    write(n, "loop", vq_seed(8, {0: (0x3800, 16, 1, 1), 1: (0x3800, 16, 1, 0)}, [0]))
    write(n, "next-out-of-range", vq_seed(8, {0: (0x3800, 16, 1, 8)}, [0]))
    write(n, "head-out-of-range", vq_seed(8, {}, [9]))
    write(n, "avail-jump", vq_seed(8, {0: (0x3800, 16, 0, 0)}, [0], idx=9))
    write(n, "write-in-tx", vq_seed(8, {0: (0x3800, 16, 2, 0)}, [0], dir_=1))
    write(n, "read-in-rx", vq_seed(8, {0: (0x3800, 16, 0, 0)}, [0], dir_=2))
    write(n, "indirect", vq_seed(8, {0: (0x3800, 16, 4, 0)}, [0]))
    write(n, "num-not-pow2", vq_seed(6, {0: (0x3800, 16, 0, 0)}, [0]))
    write(n, "rings-unset", vq_seed(8, {}, [], desc_at=0, avail=0, used=0))


# ---- IPv4 + TCP (RFC 791 3.1, RFC 9293 3.1): SYNs as the NIC delivers them, for the SYN parser.

def ipv4_tcp(flags, sport=55696, dport=8080, seq=5504001, ihl=5, doff=6, frag=0x4000, proto=6, pad=0):
    opts = bytes(ihl * 4 - 20)
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq, 0, doff << 4, flags, 65535, 0, 0)
    tcp += bytes([2, 4, 5, 180]) + bytes(max(0, doff * 4 - 24))
    total = ihl * 4 + len(tcp)
    hdr = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, frag, 64, proto, 0,
                      bytes([10, 0, 2, 2]), bytes([10, 0, 2, 15])) + opts
    s = sum(struct.unpack(">%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    hdr = hdr[:10] + struct.pack(">H", ~s & 0xffff) + hdr[12:]
    return hdr + tcp + bytes(pad)


def gen_tcp_syn():
    n = "tcp_syn"
    write(n, "syn", ipv4_tcp(0x02))
    write(n, "syn-padded", ipv4_tcp(0x02, pad=16))
    write(n, "syn-ip-options", ipv4_tcp(0x02, ihl=6))
    write(n, "syn-ack", ipv4_tcp(0x12))
    write(n, "rst", ipv4_tcp(0x04))
    write(n, "fragment", ipv4_tcp(0x02, frag=0x2000))
    write(n, "udp", ipv4_tcp(0x02, proto=17))
    write(n, "doff-short", ipv4_tcp(0x02, doff=4))
    write(n, "empty", b"")


# One generator per harness, one a line (so parallel additions merge cleanly).
GENERATORS = {
    "acpi": gen_acpi,
    "bzimage": gen_bzimage,
    "config": gen_config,
    "console": gen_console,
    "elf": gen_elf,
    "lineedit": gen_lineedit,
    "multiboot": gen_multiboot,
    "oci_image": gen_oci_image,
    "tar_layer": gen_tar_layer,
    "tcp_syn": gen_tcp_syn,
    "vdev": gen_vdev,
    "virtqueue": gen_virtqueue,
}

if __name__ == "__main__":
    for n in sys.argv[1:] or sorted(GENERATORS):
        GENERATORS[n]()
