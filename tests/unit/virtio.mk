# Host unit tests of the virtio-mmio devices (hypervisor/dev/virtio/): the split virtqueue walker, the transport.
# SPDX-License-Identifier: MIT
VIRTIO_VQ_SRCS := hypervisor/dev/virtio/virtqueue.c hypervisor/dev/virtio/vram.c
UNIT_TEST_NAMES += virtio_vq
UNIT_virtio_vq_SRCS := tests/unit/virtio_vq.c $(VIRTIO_VQ_SRCS)
UNIT_TEST_NAMES += virtio_mmio
UNIT_virtio_mmio_SRCS := tests/unit/virtio_mmio.c hypervisor/dev/virtio/transport.c $(VIRTIO_VQ_SRCS)
