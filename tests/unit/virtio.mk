# Host unit tests of the virtio-mmio devices (hypervisor/dev/virtio/): the split virtqueue walker.
# SPDX-License-Identifier: MIT
VIRTIO_VQ_SRCS := hypervisor/dev/virtio/virtqueue.c hypervisor/dev/virtio/vram.c
UNIT_TEST_NAMES += virtio_vq
UNIT_virtio_vq_SRCS := tests/unit/virtio_vq.c $(VIRTIO_VQ_SRCS)
