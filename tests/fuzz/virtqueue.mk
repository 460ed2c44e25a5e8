# Fuzz harness of the device-side split virtqueue walker (hypervisor/dev/virtio/virtqueue.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += virtqueue
FUZZ_virtqueue_SRCS := tests/fuzz/virtqueue.c hypervisor/dev/virtio/virtqueue.c hypervisor/dev/virtio/vram.c
