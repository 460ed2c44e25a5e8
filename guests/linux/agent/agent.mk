# The guest agent (include/bulwark/agent_proto.h), static like bwrun so that it drops into the
# guest's initramfs: build/guests/linux/bulwark-agent.
# SPDX-License-Identifier: MIT

AGENT := $(BUILD)/guests/linux/bulwark-agent
AGENT_SRCS := $(sort $(wildcard guests/linux/agent/*.c))
AGENT_OBJS := $(patsubst guests/linux/agent/%.c,$(BUILD)/guests/linux/agent/%.o,$(AGENT_SRCS))
AGENT_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes -Iinclude \
	-D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -DAGENT_VERSION=\"$(VERSION)\" -MMD -MP

$(BUILD)/guests/linux/agent/%.o: guests/linux/agent/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(AGENT_CFLAGS) -c -o $@ $<

# What the agent shares with bwrun, one implementation each (linux.mk builds them): signal names
# and descriptor passing.
AGENT_RUNTIME_OBJS := $(addprefix $(BUILD)/guests/linux/runtime/,signals.o fdpass.o)

$(AGENT): $(AGENT_OBJS) $(AGENT_RUNTIME_OBJS)
	$(HOST_CC) -static -o $@ $(AGENT_OBJS) $(AGENT_RUNTIME_OBJS) -ljson-c

-include $(AGENT_OBJS:.o=.d)

ALL_TARGETS += $(AGENT)
CHECK_DEPS += $(AGENT) $(BWRUN) $(BUSYBOX_IMAGE)/index.json
# The whole protocol natively over a socketpair (the limits are skipped where the host's cgroup v2
# lacks the controllers).
TEST_SUITES += tests/system/agent_native.py
# The same in the Linux guest under QEMU, with the limits (the kernel and rootfs: kernel.mk);
# then the agent on a virtio-console port and the images disk on virtio-blk (Debian's kernel).
TEST_SUITES += tests/system/agent_qemu.py tests/system/agent_virtio_qemu.py

# The agent's path against bwrun run in the same guest, and its memory (figures only).
BENCH_DEPS += $(LINUX_BZIMAGE) $(LINUX_ROOTFS) $(BUSYBOX_IMAGE)/index.json
BENCH_SUITES += tests/bench/agent_qemu.py
