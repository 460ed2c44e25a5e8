# The hostile agent's initramfs for tests/system/ct_hostile_*.py: the Linux guest's rootfs with
# bin/bulwark-agent replaced by guests/linux/hostile/hostile_agent.c (init starts it on the agent
# port like the real one). The AMD-V suite puts it on its own ESP copy as hostile.cpio.gz; the
# VT-x suite boots build/bulwark-hostile.iso, which has it as a boot module of that name.
# SPDX-License-Identifier: MIT

HOSTILE_AGENT := $(BUILD)/guests/linux/hostile-agent
HOSTILE_ROOTFS := $(BUILD)/guests/linux/hostile.cpio.gz

$(HOSTILE_AGENT): guests/linux/hostile/hostile_agent.c include/bulwark/agent_proto.h
	@mkdir -p $(@D)
	$(HOST_CC) -static -O2 -Wall -Wextra -Werror -Wmissing-prototypes -Iinclude -o $@ $<

$(HOSTILE_ROOTFS): $(LINUX_ROOTFS_INPUTS) $(HOSTILE_AGENT)
	@mkdir -p $(@D)
	guests/linux/rootfs/mkrootfs.sh $@ $(HOSTILE_AGENT):bin/bulwark-agent

ALL_TARGETS += $(HOSTILE_ROOTFS)
ISO_VARIANTS += hostile
ISO_MODULES_hostile := $(HOSTILE_ROOTFS):hostile.cpio.gz
CHECK_DEPS += $(HOSTILE_ROOTFS) $(BUILD)/bulwark-hostile.iso
TEST_SUITES += tests/system/ct_hostile_qemu.py tests/system/ct_hostile_bochs.py
