# The Linux guest: the bwrun container runtime, the busybox OCI image, the cgroup v2 test VM.
# SPDX-License-Identifier: MIT

PACKAGES += libseccomp-dev libjson-c-dev zlib1g-dev busybox-static linux-image-amd64 \
	cpio runc crun gzip tar

BWRUN := $(BUILD)/guests/linux/bwrun
BWRUN_SRCS := $(sort $(wildcard guests/linux/runtime/*.c))
BWRUN_OBJS := $(patsubst guests/linux/runtime/%.c,$(BUILD)/guests/linux/runtime/%.o,$(BWRUN_SRCS))
BWRUN_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes \
	-D_FILE_OFFSET_BITS=64 -DBWRUN_VERSION=\"$(VERSION)\" -MMD -MP
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

TEST_SUITES += tests/system/runtime/native.sh
