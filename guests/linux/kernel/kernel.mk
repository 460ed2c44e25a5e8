# The Linux guest: its kernel (built from linux-source-6.1 with config.fragment) and its
# initramfs (busybox, init, the services in guests/linux/rootfs/).
# SPDX-License-Identifier: MIT

PACKAGES += linux-source-6.1 bc flex bison libelf-dev libssl-dev busybox-static cpio gzip

LINUX_GUEST_DIR := $(BUILD)/guests/linux
LINUX_BZIMAGE := $(LINUX_GUEST_DIR)/bzImage
LINUX_ROOTFS := $(LINUX_GUEST_DIR)/rootfs.cpio.gz
LINUX_ROOTFS_INPUTS := $(shell find guests/linux/rootfs -type f 2>/dev/null)

$(LINUX_BZIMAGE): guests/linux/kernel/build.sh guests/linux/kernel/config.fragment
	BULWARK_THIRD_PARTY=$(BUILD)/third_party guests/linux/kernel/build.sh $@

$(LINUX_ROOTFS): $(LINUX_ROOTFS_INPUTS)
	@mkdir -p $(@D)
	guests/linux/rootfs/mkrootfs.sh $@

ALL_TARGETS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS)
CHECK_DEPS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS)
TEST_SUITES += tests/system/linux_direct_qemu.py
BENCH_DEPS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS)
BENCH_SUITES += tests/bench/linux_boot.py

# Boot modules on the ESP and the ISO: `vm create linux0 kernel=bzImage initrd=rootfs.cpio.gz ...`.
GUEST_FILES += $(LINUX_BZIMAGE):bzImage $(LINUX_ROOTFS):rootfs.cpio.gz
TEST_SUITES += tests/system/linux_vm_qemu.py
