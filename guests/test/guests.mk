# The test guests: freestanding 32-bit ELF programs (hello, spin, hostile, cpuid_loop, io_loop, fpu_check, ac_loop, ...) and a
# Multiboot v1 kernel (mbinfo) for Bulwark VMs.
# SPDX-License-Identifier: MIT
#
# Each guest is guests/test/NAME.c or guests/test/NAME/*.c, linked with the shared
# runtime in guests/test/lib/ at 0x100000 into $(BUILD)/guests/NAME.elf (ELF32 i386).
# Only gcc's freestanding headers are used and ld links directly, so -m32 needs no
# gcc-multilib; the runtime avoids 64-bit division, so no 32-bit libgcc either.

TG_DIR := guests/test
TG_NAMES := hello spin hostile cpuid_loop io_loop fpu_check mmio mbinfo mmio_loop dr_check avx_check
TG_NAMES += platform
TG_NAMES += irq
TG_NAMES += virtio_hostile
TG_NAMES += ac_loop
TG_NAMES += db_loop
TG_OBJ := $(BUILD)/guests/obj

TG_CFLAGS := -std=gnu11 -m32 -march=i686 -ffreestanding -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-mgeneral-regs-only -O2 -Wall -Wextra -Werror -Wmissing-prototypes \
	-I$(TG_DIR)/lib -Iinclude -MMD -MP
TG_ASFLAGS := -m32 -I$(TG_DIR)/lib -MMD -MP
TG_LDSCRIPT := $(TG_DIR)/lib/guest.ld
TG_LDFLAGS := -m elf_i386 -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T $(TG_LDSCRIPT)

TG_LIB_SRCS := $(sort $(wildcard $(TG_DIR)/lib/*.c $(TG_DIR)/lib/*.S))
TG_LIB_OBJS := $(TG_LIB_SRCS:%=$(TG_OBJ)/%.o)
tg_srcs = $(sort $(wildcard $(TG_DIR)/$(1).c $(TG_DIR)/$(1)/*.c))

$(TG_OBJ)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	@gcc $(TG_CFLAGS) -c $< -o $@

$(TG_OBJ)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS32    $<"
	@gcc $(TG_ASFLAGS) -c $< -o $@

# test_guest NAME: $(BUILD)/guests/NAME.elf from its sources and the runtime.
define test_guest
$(BUILD)/guests/$(1).elf: $(patsubst %,$(TG_OBJ)/%.o,$(call tg_srcs,$(1))) $(TG_LIB_OBJS) $(TG_LDSCRIPT)
	@echo "  LD32    $$@"
	@ld $(TG_LDFLAGS) -o $$@ $(patsubst %,$(TG_OBJ)/%.o,$(call tg_srcs,$(1))) $(TG_LIB_OBJS)
endef
$(foreach g,$(TG_NAMES),$(eval $(call test_guest,$(g))))

TEST_GUESTS := $(TG_NAMES:%=$(BUILD)/guests/%.elf)
ALL_TARGETS += $(TEST_GUESTS)

.PHONY: test-guests
test-guests: $(TEST_GUESTS)

-include $(shell find $(TG_OBJ) -name '*.d' 2>/dev/null)

# The virtio-blk test disk (boot module virtio_disk.img): 128 sectors, each starting with its number.
TG_DISK := $(BUILD)/guests/virtio_disk.img
$(TG_DISK): $(TG_DIR)/mkdisk.py
	@mkdir -p $(dir $@)
	python3 $< $@ 128
GUEST_FILES += $(TG_DISK):virtio_disk.img
