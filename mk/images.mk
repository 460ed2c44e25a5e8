# Puts the boot configuration and the guest images where each boot path looks:
# the ESP (bulwark/bulwark.cfg, bulwark/guests/*) and the ISO's GRUB modules.
# SPDX-License-Identifier: MIT

BOOT_CONFIG ?= guests/bulwark.cfg
ESP_CONFIG := $(ESP_DIR)/bulwark/bulwark.cfg
ESP_GUESTS := $(foreach g,$(TEST_GUESTS),$(ESP_DIR)/bulwark/guests/$(notdir $(g)))

$(ESP_CONFIG): $(BOOT_CONFIG)
	@mkdir -p $(dir $@)
	cp $< $@

$(ESP_DIR)/bulwark/guests/%.elf: $(BUILD)/guests/%.elf
	@mkdir -p $(dir $@)
	cp $< $@

ESP_FILES += $(ESP_CONFIG) $(ESP_GUESTS)
ALL_TARGETS += $(ESP_CONFIG) $(ESP_GUESTS)
ISO_MODULES += $(BOOT_CONFIG):bulwark.cfg $(foreach g,$(TEST_GUESTS),$(g):$(notdir $(g)))
