#!/usr/bin/env python3
# Writes the binary seed corpora (tests/fuzz/corpus/NAME/) from the specs' layouts: valid inputs plus edge cases.
# SPDX-License-Identifier: MIT
#
# Usage: tests/fuzz/mkseeds.py [NAME...]   (default: every generator below)
# The seeds are committed; re-running the script rewrites them byte for byte.
import os
import struct
import sys

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


GENERATORS = {"elf": gen_elf, "bzimage": gen_bzimage, "multiboot": gen_multiboot}

if __name__ == "__main__":
    for n in sys.argv[1:] or sorted(GENERATORS):
        GENERATORS[n]()
