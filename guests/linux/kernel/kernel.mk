# The Linux guest: its kernel (built from linux-source-6.1 with config.fragment) and its
# initramfs (busybox, init, the services in guests/linux/rootfs/).
# SPDX-License-Identifier: MIT

PACKAGES += linux-source-6.1 bc flex bison libelf-dev libssl-dev busybox-static cpio gzip lz4

LINUX_GUEST_DIR := $(BUILD)/guests/linux
LINUX_BZIMAGE := $(LINUX_GUEST_DIR)/bzImage
LINUX_ROOTFS := $(LINUX_GUEST_DIR)/rootfs.cpio.gz
LINUX_ROOTFS_INPUTS := $(shell find guests/linux/rootfs -type f 2>/dev/null)

$(LINUX_BZIMAGE): guests/linux/kernel/build.sh guests/linux/kernel/config.fragment
	BULWARK_THIRD_PARTY=$(BUILD)/third_party guests/linux/kernel/build.sh $@

# With the container runtime and the guest agent (init starts it: rootfs/init.d/agent).
$(LINUX_ROOTFS): $(LINUX_ROOTFS_INPUTS) $(BWRUN) $(AGENT)
	@mkdir -p $(@D)
	guests/linux/rootfs/mkrootfs.sh $@ $(BWRUN):bin/bwrun $(AGENT):bin/bulwark-agent

ALL_TARGETS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS)
CHECK_DEPS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS)
TEST_SUITES += tests/system/linux_direct_qemu.py
BENCH_DEPS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS)
BENCH_SUITES += tests/bench/linux_boot.py

# The images disk: a read-only ext2 filesystem with the busybox OCI image layout and every
# IMAGES entry ("PATH:NAME", PATH an OCI image layout directory or tar), made without root by
# mke2fs -d; the guest mounts it at /images and the agent lists and imports what it holds.
PACKAGES += e2fsprogs
IMAGES ?=
LINUX_IMAGES_DISK := $(LINUX_GUEST_DIR)/images.img
LINUX_IMAGES_LIST := $(LINUX_GUEST_DIR)/images.list
# The list of IMAGES as a file, rewritten only when it changes, so that the disk follows it.
$(shell mkdir -p $(LINUX_GUEST_DIR) && echo "$(IMAGES)" | cmp -s - $(LINUX_IMAGES_LIST) 2>/dev/null || \
	echo "$(IMAGES)" >$(LINUX_IMAGES_LIST))
$(LINUX_IMAGES_DISK): guests/linux/image/mkimagesdisk.sh $(BUSYBOX_IMAGE)/index.json $(LINUX_IMAGES_LIST) \
		$(foreach i,$(IMAGES),$(firstword $(subst :, ,$(i))))
	guests/linux/image/mkimagesdisk.sh $@ $(BUSYBOX_IMAGE):busybox $(IMAGES)
ALL_TARGETS += $(LINUX_IMAGES_DISK)
CHECK_DEPS += $(LINUX_IMAGES_DISK)

# Boot modules on the ESP and the ISO:
# `vm create linux0 kernel=bzImage initrd=rootfs.cpio.gz disk=images.img,ro ...`.
GUEST_FILES += $(LINUX_BZIMAGE):bzImage $(LINUX_ROOTFS):rootfs.cpio.gz $(LINUX_IMAGES_DISK):images.img
TEST_SUITES += tests/system/linux_vm_qemu.py tests/system/linux_vm_bochs.py
TEST_SUITES += tests/system/ct_linux_qemu.py tests/system/ct_linux_bochs.py
# ct run -i, ct exec -i and ct logs -f against the real agent.
TEST_SUITES += tests/system/ct_attach_qemu.py
# ct run against bwrun in the same guest, the guest's memory with one container, density.
BENCH_DEPS += $(LINUX_IMAGES_DISK) $(ESP_FILES)
BENCH_SUITES += tests/bench/ct_qemu.py
