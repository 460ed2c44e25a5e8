# Unit tests of bwrun's pure logic: config decoding and validation, the state machine,
# layer paths and whiteouts, id maps. They link json-c, so they have their own rule.
# SPDX-License-Identifier: MIT

BWRUN_DIR := guests/linux/runtime
RUNTIME_UNIT_LIBS := -lcmocka -ljson-c -lseccomp

RUNTIME_UNIT_runtime_config := tests/unit/runtime_config.c $(BWRUN_DIR)/config.c $(BWRUN_DIR)/validate.c \
	$(BWRUN_DIR)/caps.c $(BWRUN_DIR)/idmap.c $(BWRUN_DIR)/mounts.c $(BWRUN_DIR)/util.c
RUNTIME_UNIT_runtime_state := tests/unit/runtime_state.c $(BWRUN_DIR)/state.c $(BWRUN_DIR)/cgroup.c \
	$(BWRUN_DIR)/signals.c $(BWRUN_DIR)/devices_bpf.c $(BWRUN_DIR)/util.c
RUNTIME_UNIT_runtime_whiteout := tests/unit/runtime_whiteout.c $(BWRUN_DIR)/whiteout.c $(BWRUN_DIR)/image.c \
	$(BWRUN_DIR)/layer.c $(BWRUN_DIR)/tar.c $(BWRUN_DIR)/spec.c $(BWRUN_DIR)/sha256.c $(BWRUN_DIR)/util.c
RUNTIME_UNIT_runtime_devices_bpf := tests/unit/runtime_devices_bpf.c $(BWRUN_DIR)/devices_bpf.c $(BWRUN_DIR)/util.c
RUNTIME_UNIT_runtime_idmap := tests/unit/runtime_idmap.c $(BWRUN_DIR)/idmap.c $(BWRUN_DIR)/util.c

define runtime_unit
$(BUILD)/unit/$(1): $$(RUNTIME_UNIT_$(1)) $$(wildcard $(BWRUN_DIR)/*.h) | $(BUILD)/unit
	$$(HOST_CC) $$(HOST_CFLAGS) -I$(BWRUN_DIR) -o $$@ $$(RUNTIME_UNIT_$(1)) $$(RUNTIME_UNIT_LIBS) -lz
UNIT_TESTS += $(BUILD)/unit/$(1)
endef
$(foreach t,runtime_config runtime_state runtime_whiteout runtime_idmap runtime_devices_bpf,$(eval $(call runtime_unit,$(t))))
