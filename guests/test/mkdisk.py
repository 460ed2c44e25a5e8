#!/usr/bin/env python3
# Writes the test disk for virtio-blk: SECTORS 512-byte sectors, sector n starting with "BWSECTOR%08d" % n.
# SPDX-License-Identifier: MIT
import sys

out, sectors = sys.argv[1], int(sys.argv[2])
disk = bytearray(512 * sectors)
for n in range(sectors):
    tag = b"BWSECTOR%08d" % n
    disk[512 * n:512 * n + len(tag)] = tag
with open(out, "wb") as f:
    f.write(disk)
