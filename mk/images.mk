# Puts the boot configuration and the guest images where each boot path looks:
# the ESP (bulwark/bulwark.cfg, bulwark/guests/*) and the ISO's GRUB modules.
# SPDX-License-Identifier: MIT
#
# The test guests go there by themselves. Other guest files (a Linux bzImage, an
# initramfs, Multiboot modules) are "path:name" pairs a fragment adds to GUEST_FILES,
# e.g. GUEST_FILES += $(BUILD)/linux/bzImage:bzImage; each becomes the boot module
# `name` on both boot paths, whatever its size.

BOOT_CONFIG ?= guests/bulwark.cfg
ESP_CONFIG := $(ESP_DIR)/bulwark/bulwark.cfg
ESP_GUESTS := $(foreach g,$(TEST_GUESTS),$(ESP_DIR)/bulwark/guests/$(notdir $(g)))
GUEST_FILES ?=

$(ESP_CONFIG): $(BOOT_CONFIG)
	@mkdir -p $(dir $@)
	cp $< $@

$(ESP_DIR)/bulwark/guests/%.elf: $(BUILD)/guests/%.elf
	@mkdir -p $(dir $@)
	cp $< $@

# guest_file PATH, NAME: the ESP copy of one GUEST_FILES entry.
define guest_file
$(ESP_DIR)/bulwark/guests/$(2): $(1)
	@mkdir -p $$(dir $$@)
	cp $$< $$@
ESP_GUESTS += $(ESP_DIR)/bulwark/guests/$(2)
endef
$(foreach f,$(GUEST_FILES),$(eval $(call guest_file,$(word 1,$(subst :, ,$(f))),$(word 2,$(subst :, ,$(f))))))

ESP_FILES += $(ESP_CONFIG) $(ESP_GUESTS)
ALL_TARGETS += $(ESP_CONFIG) $(ESP_GUESTS)
ISO_MODULES += $(BOOT_CONFIG):bulwark.cfg $(foreach g,$(TEST_GUESTS),$(g):$(notdir $(g))) $(GUEST_FILES)
