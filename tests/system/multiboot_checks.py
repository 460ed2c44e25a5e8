# Multiboot and Linux loader checks through the console, shared by the AMD-V (QEMU) and VT-x (Bochs) suites.
# SPDX-License-Identifier: MIT
"""The mbinfo guest (guests/test/mbinfo.c) prints its Multiboot information and writes a
result word V to the debug-exit port; the VM then stops with exit status (V << 1) | 1.

Expected values come from the Multiboot Specification 0.6.96 and the platform's memory
map written out here, not from the loader: RAM [0, 0x9FC00), the EBDA and the BIOS area
reserved, RAM from 1 MiB to the end.
"""

import os
import re
import struct

import vm_checks as V

OK_ALL = 0x7F  # magic, mem, mmap, cmdline, loader name, modules, ACPI RSDP: every check of mbinfo passed


def mbinfo_status(nmods):
    return ((OK_ALL | nmods << 8) << 1) | 1


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def expected_mmap(mem):
    # the last: the device MMIO window, virtio-mmio slots at 0xFEB00000 up to the end of the LAPIC page
    return [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xE0000, 0x20000, 2), (0x100000, mem - 0x100000, 1),
            (0xFEB00000, 0x301000, 2)]


def synthetic_bzimage(path, kernel_bytes=2560 * 1024, init_size=8 << 20, cmdline_size=64):
    """A bzImage of boot protocol 2.15 (Documentation/arch/x86/boot.rst offsets), relocatable, at 16 MiB."""
    setup = 2 * 512
    img = bytearray(setup + kernel_bytes)
    img[0x1F1] = 1                                   # setup_sects
    struct.pack_into("<I", img, 0x1F4, kernel_bytes // 16)
    struct.pack_into("<H", img, 0x1FE, 0xAA55)
    img[0x200:0x206] = b"\xeb\x6aHdrS"
    struct.pack_into("<H", img, 0x206, 0x020F)
    img[0x211] = 0x01                                # LOADED_HIGH
    struct.pack_into("<II", img, 0x22C, 0x7FFFFFFF, 0x200000)
    img[0x234] = 1
    struct.pack_into("<I", img, 0x238, cmdline_size)
    struct.pack_into("<QI", img, 0x258, 16 << 20, init_size)
    img[setup:] = os.urandom(kernel_bytes)
    with open(path, "wb") as f:
        f.write(img)


def multiboot_output(rig, name):
    return V.output(rig, name, 6000)


def check_mbinfo_run(rig, name, mem, modules, cmdline, slow):
    """Waits for the VM to stop and checks its status and what mbinfo printed."""
    V.wait_state(rig, name, "stopped", 60 * slow)
    vm = V.vm_list(rig)[name]
    assert vm["exit_status"] == mbinfo_status(len(modules)), vm
    assert "debug-exit" in vm["reason"], vm
    out = multiboot_output(rig, name)
    assert "mbinfo: magic 0x2badb002" in out, out
    out = out[out.rfind("mbinfo: magic"):]  # this boot's lines only
    assert "mbinfo: result 0x%x" % (OK_ALL | len(modules) << 8) in out, out
    assert "mbinfo: mem_lower 639 KiB, mem_upper %d KiB" % ((mem >> 10) - 1024) in out, out
    got = [(int(b, 16), int(n, 16), int(t)) for b, n, t in re.findall(r"mmap 0x([0-9a-f]+) \+0x([0-9a-f]+) type (\d+)", out)]
    assert got == expected_mmap(mem), got
    assert "mbinfo: cmdline '%s'" % cmdline in out, out
    assert "mbinfo: boot loader 'Bulwark'" in out, out
    assert "mbinfo: acpi rsdp at 0xe0000, revision 2, checksum ok" in out, out
    for i, (mod_name, data) in enumerate(modules):
        line = "mbinfo: module %d '%s' %d bytes at 0x" % (i, mod_name, len(data))
        assert line in out, (line, out)
        assert "fnv1a 0x%08x" % fnv1a(data) in out.split(line, 1)[1].split("\n", 1)[0], out
    assert "still running" not in out, out


def medium_files(tmp):
    """The files both suites put on the boot medium beside data/multiboot.cfg: a 10 MiB random
    initramfs.big and a synthetic 2.5 MiB bzimage-test. Returns their paths."""
    big = os.path.join(tmp, "initramfs.big")
    with open(big, "wb") as f:
        f.write(os.urandom(10 << 20))
    bz = os.path.join(tmp, "bzimage-test")
    synthetic_bzimage(bz)
    return big, bz


# Results medium_checks prints: the files listed whole, the VM of bulwark.cfg.
MEDIUM_PLAN = 2


def medium_checks(t, rig, guests_dir, arrived, slow):
    """The medium_files() and data/multiboot.cfg as the hypervisor found them; ARRIVED names the
    first check (which medium brought them)."""
    images = rig.run("vm images", 60)
    t.ok(arrived, "initramfs.big" in images and str(10 << 20) in images and str(2 * 512 + 2560 * 1024) in images,
         images)

    def from_config():
        hello = ("hello.elf", open(os.path.join(guests_dir, "hello.elf"), "rb").read())
        check_mbinfo_run(rig, "mbcfg", 8 << 20, [hello], "from the config # not a comment", slow)

    t.check("bulwark.cfg: Multiboot VM with a quoted cmdline autostarts and exits with its status", from_config)


# Results multiboot_checks prints; a suite's plan adds it up (tap.Tap).
PLAN = 5


def multiboot_checks(t, rig, guests_dir, big, slow):
    """big: (module name, bytes) of a file of several MiB on the boot medium."""
    hello = ("hello.elf", open(os.path.join(guests_dir, "hello.elf"), "rb").read())

    def run_two_modules():
        free0 = rig.run_json("mem --json", 60)["free_bytes"]
        cmd = 'vm create mb1 kernel=mbinfo.elf module=hello.elf module=%s cmdline="multiboot \\"quoted\\" words" ' \
              'debug_exit=yes mem=32M vcpus=2' % big[0]
        out = rig.run(cmd, 60)
        assert "created vm" in out, out
        assert "is running" in rig.run("vm start mb1", 60)
        check_mbinfo_run(rig, "mb1", 32 << 20, [hello, big], 'multiboot "quoted" words', slow)
        listing = rig.run("vm list", 60)
        row = [ln for ln in listing.splitlines() if " mb1 " in ln]
        assert row and row[0].split()[-1] == str(mbinfo_status(2)), listing
        assert "is running" in rig.run("vm start mb1", 60)  # a second boot sets the status afresh
        check_mbinfo_run(rig, "mb1", 32 << 20, [hello, big], 'multiboot "quoted" words', slow)
        assert "destroyed" in rig.run("vm destroy mb1", 60)
        assert rig.run_json("mem --json", 60)["free_bytes"] == free0

    def port_off_without_debug_exit():
        assert "created vm" in rig.run("vm create mb2 kernel=mbinfo.elf mem=8M", 60)
        assert "is running" in rig.run("vm start mb2", 60)
        V.wait_state(rig, "mb2", "stopped", 60 * slow)
        vm = V.vm_list(rig)["mb2"]
        assert vm["exit_status"] is None and "halted" in vm["reason"], vm
        out = multiboot_output(rig, "mb2")
        assert "mbinfo: result 0x%x" % OK_ALL in out and "still running: the debug-exit port is off" in out, out
        assert "destroyed" in rig.run("vm destroy mb2", 60)

    def kind_from_bytes():
        # The same bytes under a name that says otherwise still boot as Multiboot.
        assert "created vm" in rig.run("vm create mb3 kernel=looks-like.bzImage debug_exit=yes mem=4M", 60)
        assert "is running" in rig.run("vm start mb3", 60)
        V.wait_state(rig, "mb3", "stopped", 60 * slow)
        assert V.vm_list(rig)["mb3"]["exit_status"] == mbinfo_status(0)
        assert "destroyed" in rig.run("vm destroy mb3", 60)

    def refusals_leave_nothing():
        free0 = rig.run_json("mem --json", 60)["free_bytes"]
        V.expect_error(rig, "vm create x kernel=mbinfo.elf initrd=hello.elf", "not initrd=")
        V.expect_error(rig, 'vm create x kernel=hello.elf cmdline="a b"', "plain ELF")
        V.expect_error(rig, "vm create x kernel=mbinfo.elf module=nosuch.bin", "no module 'nosuch.bin'")
        V.expect_error(rig, "vm create x kernel=bulwark.cfg", "not an ELF, Multiboot or Linux bzImage")
        V.expect_error(rig, "vm create x kernel=mbinfo.elf module=%s mem=8M" % big[0], "does not fit")
        V.expect_error(rig, "vm create x kernel=mbinfo.elf mem=4G", "at most 3072 MiB")
        V.expect_error(rig, "vm create x kernel=mbinfo.elf image=hello.elf", "once")
        V.expect_error(rig, "vm create x kernel=bzimage-test initrd=%s mem=16M" % big[0], "give it more mem=")
        V.expect_error(rig, "vm create x kernel=bzimage-test initrd=%s mem=26M" % big[0], "initramfs")
        V.expect_error(rig, "vm create x kernel=bzimage-test cmdline=%s mem=32M" % ("c" * 65), "command line")
        V.expect_error(rig, "vm create x kernel=bzimage-test module=hello.elf mem=32M", "not module=")
        assert "x" not in V.vm_list(rig)
        assert rig.run_json("mem --json", 60)["free_bytes"] == free0

    def linux_kernel_loads():
        out = rig.run('vm create lx kernel=bzimage-test initrd=%s cmdline="console=ttyS0 quiet" mem=64M vcpus=2'
                      % big[0], 60)
        assert "created vm" in out, out
        assert "Linux bzImage" in rig.run("log -n 5", 60)
        assert "destroyed" in rig.run("vm destroy lx", 60)

    for name, fn in (("Multiboot guest with 2 modules (one of %d MiB), a quoted cmdline, 2 vCPUs: "
                      "its information and exit status" % (len(big[1]) >> 20), run_two_modules),
                     ("without debug_exit=yes port 0xF4 is unassigned: no status", port_off_without_debug_exit),
                     ("image kind comes from the bytes, not the name", kind_from_bytes),
                     ("bad kernel/initrd/module/cmdline/mem words refused, nothing allocated", refusals_leave_nothing),
                     ("a 2.5 MiB bzImage with a %d MiB initramfs loads" % (len(big[1]) >> 20), linux_kernel_loads)):
        t.check(name, fn)
