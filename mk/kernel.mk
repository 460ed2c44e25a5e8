# The hypervisor ELF: every C and assembly file under boot/multiboot2, kernel,
# drivers and hypervisor, linked with linker.ld against newlib and the libraries
# fragments add to KERNEL_EXTRA_LIBS (as prerequisites of $(KERNEL_ELF)).
# SPDX-License-Identifier: MIT

KERNEL_ELF := $(BUILD)/bulwark.elf
KERNEL_SRC_DIRS := boot/multiboot2 kernel drivers hypervisor
KERNEL_SRCS := $(sort $(shell find $(KERNEL_SRC_DIRS) -name '*.c' -o -name '*.S' 2>/dev/null))
KERNEL_OBJS := $(KERNEL_SRCS:%=$(BUILD)/kernel-obj/%.o)

KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mcmodel=kernel -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror -Wmissing-prototypes \
	-I. -Iinclude -isystem $(NEWLIB_INC) -DBULWARK_VERSION=\"$(VERSION)\" -MMD -MP
KERNEL_ASFLAGS := -I. -Iinclude -D__ASSEMBLY__ -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T linker.ld

# Code that runs between loading a guest's SSE state and entering the guest must not touch
# SSE registers: the backends and the scheduler are built without them.
$(BUILD)/kernel-obj/hypervisor/vmx/%.c.o $(BUILD)/kernel-obj/hypervisor/svm/%.c.o \
	$(BUILD)/kernel-obj/kernel/sched.c.o: KERNEL_CFLAGS += -mgeneral-regs-only

$(BUILD)/kernel-obj/%.c.o: %.c $(NEWLIB_LIBC)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@gcc $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel-obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@gcc $(KERNEL_ASFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) linker.ld $(NEWLIB_LIBC)
	ld $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(KERNEL_EXTRA_LIBS) $(NEWLIB_LIBC) $(shell gcc -print-libgcc-file-name)

-include $(KERNEL_OBJS:.o=.d)

ALL_TARGETS += $(KERNEL_ELF)
