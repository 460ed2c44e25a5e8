# build/bulwark.iso: GRUB (BIOS and UEFI) booting bulwark.elf through Multiboot2.
# SPDX-License-Identifier: MIT

ISO := $(BUILD)/bulwark.iso
ISO_DIR := $(BUILD)/iso
# Boot modules for GRUB: "file:name" pairs, added by the guest and config rules.
ISO_MODULES ?=

# Rewritten only when its text changes, so the module list always matches ISO_MODULES.
$(ISO_DIR)/boot/grub/grub.cfg: FORCE
	@mkdir -p $(dir $@)
	@{ echo 'serial --unit=0 --speed=115200'; \
	  echo 'terminal_input serial console'; \
	  echo 'terminal_output serial console'; \
	  echo 'set timeout=0'; \
	  echo 'menuentry "Bulwark $(VERSION)" {'; \
	  echo '  multiboot2 /boot/bulwark.elf'; \
	  $(foreach m,$(ISO_MODULES),echo '  module2 /boot/modules/$(word 2,$(subst :, ,$(m))) $(word 2,$(subst :, ,$(m)))';) \
	  echo '  boot'; \
	  echo '}'; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(ISO): $(KERNEL_ELF) $(ISO_DIR)/boot/grub/grub.cfg $(foreach m,$(ISO_MODULES),$(word 1,$(subst :, ,$(m))))
	@mkdir -p $(ISO_DIR)/boot/modules
	cp $(KERNEL_ELF) $(ISO_DIR)/boot/bulwark.elf
	$(foreach m,$(ISO_MODULES),cp $(word 1,$(subst :, ,$(m))) $(ISO_DIR)/boot/modules/$(word 2,$(subst :, ,$(m)));)
	grub-mkrescue -o $@ $(ISO_DIR) >$(BUILD)/grub-mkrescue.log 2>&1 || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

ALL_TARGETS += $(ISO)

.PHONY: FORCE
FORCE:
