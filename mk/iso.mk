# build/bulwark.iso: GRUB (BIOS and UEFI) booting bulwark.elf through Multiboot2, with the boot
# modules of ISO_MODULES. A fragment that needs an ISO with more modules (a test's own guest
# image) names it in ISO_VARIANTS and lists its extra modules in ISO_MODULES_<variant>: that
# makes build/bulwark-<variant>.iso, the same ISO plus those modules.
# SPDX-License-Identifier: MIT

ISO := $(BUILD)/bulwark.iso
ISO_DIR := $(BUILD)/iso
# Boot modules for GRUB: "file:name" pairs, added by the guest and config rules.
ISO_MODULES ?=
ISO_VARIANTS ?=

iso_file = $(word 1,$(subst :, ,$(1)))
iso_name = $(word 2,$(subst :, ,$(1)))

# iso_image ISO, DIR, MODULES: the rules of one ISO. Its grub.cfg is rewritten only when its text
# changes, so the module list always matches MODULES.
define iso_image
$(2)/boot/grub/grub.cfg: FORCE
	@mkdir -p $$(dir $$@)
	@{ echo 'serial --unit=0 --speed=115200'; \
	  echo 'terminal_input serial console'; \
	  echo 'terminal_output serial console'; \
	  echo 'set timeout=0'; \
	  echo 'menuentry "Bulwark $(VERSION)" {'; \
	  echo '  multiboot2 /boot/bulwark.elf'; \
	  $(foreach m,$(3),echo '  module2 /boot/modules/$(call iso_name,$(m)) $(call iso_name,$(m))';) \
	  echo '  boot'; \
	  echo '}'; } > $$@.tmp
	@if cmp -s $$@.tmp $$@; then rm $$@.tmp; else mv $$@.tmp $$@; fi

$(1): $(KERNEL_ELF) $(2)/boot/grub/grub.cfg $(foreach m,$(3),$(call iso_file,$(m)))
	@rm -rf $(2)/boot/modules && mkdir -p $(2)/boot/modules
	cp $(KERNEL_ELF) $(2)/boot/bulwark.elf
	$(foreach m,$(3),cp $(call iso_file,$(m)) $(2)/boot/modules/$(call iso_name,$(m));)
	grub-mkrescue -o $$@ $(2) >$(2).grub-mkrescue.log 2>&1 || { cat $(2).grub-mkrescue.log; exit 1; }

ALL_TARGETS += $(1)
endef

$(eval $(call iso_image,$(ISO),$(ISO_DIR),$(ISO_MODULES)))
$(foreach v,$(ISO_VARIANTS),$(eval $(call iso_image,$(BUILD)/bulwark-$(v).iso,$(BUILD)/iso-$(v),$(ISO_MODULES) $(ISO_MODULES_$(v)))))

.PHONY: FORCE
FORCE:
