# The Linux guest: the bwrun container runtime, the busybox OCI image, the cgroup v2 test VM.
# SPDX-License-Identifier: MIT

PACKAGES += libseccomp-dev libjson-c-dev zlib1g-dev busybox-static linux-image-amd64 \
	cpio runc crun gzip tar

BWRUN := $(BUILD)/guests/linux/bwrun
BWRUN_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
BWRUN_SRCS := $(sort $(wildcard guests/linux/runtime/*.c))
BWRUN_OBJS := $(patsubst guests/linux/runtime/%.c,$(BUILD)/guests/linux/runtime/%.o,$(BWRUN_SRCS))
BWRUN_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes \
	-D_FILE_OFFSET_BITS=64 -DBWRUN_VERSION=\"$(VERSION)\" \
	-DBWRUN_COMMIT=\"$(BWRUN_COMMIT)\" -MMD -MP
BWRUN_LIBS := -lseccomp -ljson-c -lz

$(BUILD)/guests/linux/runtime/%.o: guests/linux/runtime/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(BWRUN_CFLAGS) -c -o $@ $<

# Static, so it drops into the guest initramfs without a loader or libraries.
$(BWRUN): $(BWRUN_OBJS)
	$(HOST_CC) -static -o $@ $(BWRUN_OBJS) $(BWRUN_LIBS)

-include $(BWRUN_OBJS:.o=.d)

ALL_TARGETS += $(BWRUN)

# A small real OCI image: Debian's busybox-static in one gzip layer.
BUSYBOX_IMAGE := $(BUILD)/guests/linux/busybox-oci
$(BUSYBOX_IMAGE)/index.json: guests/linux/image/mkimage.sh /bin/busybox
	guests/linux/image/mkimage.sh $(BUSYBOX_IMAGE)

ALL_TARGETS += $(BUSYBOX_IMAGE)/index.json

TEST_SUITES += tests/system/runtime/native.sh tests/system/runtime/oci_native.sh

include guests/linux/agent/agent.mk
include guests/linux/kernel/kernel.mk
include guests/linux/hostile/hostile.mk

# The cgroup v2 test VM: Debian's kernel (copied once per kernel version) and initramfs.
LINUX_KERNEL_SRC := $(lastword $(sort $(wildcard /boot/vmlinuz-*)))
GUEST_KERNEL := $(BUILD)/guests/linux/vmlinuz
TEST_INITRAMFS := $(BUILD)/guests/linux/initramfs-test.cpio.gz
BENCH_INITRAMFS := $(BUILD)/guests/linux/initramfs-bench.cpio.gz
INITRAMFS_INPUTS := $(BWRUN) $(BUSYBOX_IMAGE)/index.json $(wildcard guests/linux/initramfs/*) \
	tests/system/runtime/bundle.sh

$(GUEST_KERNEL): $(LINUX_KERNEL_SRC)
	@test -n "$<" || { echo "no /boot/vmlinuz-*: apt-get install linux-image-amd64"; exit 1; }
	@mkdir -p $(@D)
	cp $< $@

# The OCI suite in the VM (bwmode=oci): a static helper (console socket, huge pages) and
# the guest kernel's RAM disk module for the device and io checks.
OCI_HELPER := $(BUILD)/guests/linux/oci_helper
$(OCI_HELPER): tests/system/runtime/oci_helper.c
	@mkdir -p $(@D)
	$(HOST_CC) -static -O2 -Wall -Wextra -Werror -Wmissing-prototypes -o $@ $<
GUEST_KVER := $(patsubst /boot/vmlinuz-%,%,$(LINUX_KERNEL_SRC))
BRD_MODULE := $(wildcard /lib/modules/$(GUEST_KVER)/kernel/drivers/block/brd.ko)
OCI_VM_FILES := tests/system/runtime/vm-oci.sh $(OCI_HELPER) $(BRD_MODULE)

$(TEST_INITRAMFS): $(INITRAMFS_INPUTS) tests/system/runtime/vm-test.sh $(OCI_VM_FILES)
	guests/linux/initramfs/mkinitramfs.sh $@ $(BWRUN) $(BUSYBOX_IMAGE) \
		tests/system/runtime/bundle.sh tests/system/runtime/vm-test.sh $(OCI_VM_FILES)

$(BENCH_INITRAMFS): $(INITRAMFS_INPUTS) tests/bench/runtime/vm-bench.sh
	guests/linux/initramfs/mkinitramfs.sh --with-runtimes $@ $(BWRUN) $(BUSYBOX_IMAGE) \
		tests/system/runtime/bundle.sh tests/bench/runtime/vm-bench.sh

CHECK_DEPS += $(GUEST_KERNEL) $(TEST_INITRAMFS)
TEST_SUITES += tests/system/runtime/vm.sh tests/system/runtime/vm_oci.sh

# Benchmarks: natively bwrun vs runc; in the VM bwrun vs crun vs runc, smallest memory.max.
PEAKRSS := $(BUILD)/bench/peakrss
$(PEAKRSS): tests/bench/runtime/peakrss.c
	@mkdir -p $(@D)
	$(HOST_CC) -static -O2 -Wall -Wextra -Werror -Wmissing-prototypes -o $@ $<

BENCH_DEPS += $(BWRUN) $(BUSYBOX_IMAGE)/index.json $(PEAKRSS) $(GUEST_KERNEL) $(BENCH_INITRAMFS)
BENCH_SUITES += tests/bench/runtime/native.py tests/bench/runtime/vm.sh
