# UEFI loader: builds $(ESP_DIR)/EFI/BOOT/BOOTX64.EFI with gnu-efi and stages the kernel on the ESP.
# SPDX-License-Identifier: MIT

ESP_DIR := $(BUILD)/esp
EFI_LOADER := $(ESP_DIR)/EFI/BOOT/BOOTX64.EFI
EFI_KERNEL := $(ESP_DIR)/bulwark/bulwark.elf
# Files every ESP needs; other fragments add the config and guests with their own rules.
ESP_FILES := $(EFI_LOADER) $(EFI_KERNEL)

EFI_OBJDIR := $(BUILD)/efi
EFI_CC := gcc
EFI_LD := ld
EFI_OBJCOPY := objcopy
EFI_GNUEFI_LIB := /usr/lib
EFI_GNUEFI_INC := /usr/include/efi
EFI_C_SRCS := main.c pages.c file.c modules.c kernel.c acpi.c fb.c mmap.c paging.c \
	elf_check.c mmap_convert.c pt_build.c text.c
EFI_OBJS := $(addprefix $(EFI_OBJDIR)/,$(EFI_C_SRCS:.c=.o)) $(EFI_OBJDIR)/handoff.o

# gnu-efi's flags for x86-64: position independent, no red zone (UEFI spec 2.3.4.2
# interrupt handlers share the stack), UCS-2 wide strings; GNU_EFI_USE_MS_ABI lets C
# call firmware services directly through ms_abi function pointers.
EFI_CFLAGS := -std=gnu11 -O2 -g -fpic -fshort-wchar -ffreestanding -fno-stack-protector \
	-fno-strict-aliasing -fno-builtin -mno-red-zone -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -Wall -Wextra -Werror -Wmissing-prototypes -MMD -MP \
	-I$(EFI_GNUEFI_INC) -I$(EFI_GNUEFI_INC)/x86_64 -Iinclude -Iboot/efi \
	-DBULWARK_VERSION=\"$(VERSION)\"
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_GNUEFI_LIB)/elf_x86_64_efi.lds
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	-j .rela -j .rel.* -j .rela.* -j .reloc

PACKAGES += gnu-efi

$(EFI_OBJDIR)/%.o: boot/efi/%.c | $(EFI_OBJDIR)
	$(EFI_CC) $(EFI_CFLAGS) -c -o $@ $<

$(EFI_OBJDIR)/%.o: boot/efi/%.S | $(EFI_OBJDIR)
	$(EFI_CC) $(EFI_CFLAGS) -c -o $@ $<

$(EFI_OBJDIR)/bootx64.so: $(EFI_OBJS)
	$(EFI_LD) $(EFI_LDFLAGS) $(EFI_GNUEFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) \
		-o $@ -L$(EFI_GNUEFI_LIB) -lefi -lgnuefi
	@if nm -u $@ | grep -q .; then echo "unresolved symbols in $@:"; nm -u $@; rm -f $@; exit 1; fi

$(EFI_LOADER): $(EFI_OBJDIR)/bootx64.so
	@mkdir -p $(@D)
	$(EFI_OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

$(EFI_KERNEL): $(BUILD)/bulwark.elf
	@mkdir -p $(@D)
	cp $< $@

$(EFI_OBJDIR):
	mkdir -p $@

ALL_TARGETS += $(ESP_FILES)

-include $(wildcard $(EFI_OBJDIR)/*.d)
