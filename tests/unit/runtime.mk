# Unit tests of bwrun's pure logic: config decoding and validation, the state machine,
# layer paths and whiteouts, id maps. They link json-c, so they have their own rule.
# SPDX-License-Identifier: MIT

RT := guests/linux/runtime
RUNTIME_UNIT_LIBS := -lcmocka -ljson-c -lseccomp

RUNTIME_UNIT_runtime_config := tests/unit/runtime_config.c $(RT)/config.c $(RT)/validate.c \
	$(RT)/caps.c $(RT)/idmap.c $(RT)/mounts.c $(RT)/util.c
RUNTIME_UNIT_runtime_state := tests/unit/runtime_state.c $(RT)/state.c $(RT)/cgroup.c \
	$(RT)/signals.c $(RT)/util.c
RUNTIME_UNIT_runtime_whiteout := tests/unit/runtime_whiteout.c $(RT)/whiteout.c $(RT)/image.c \
	$(RT)/layer.c $(RT)/tar.c $(RT)/spec.c $(RT)/sha256.c $(RT)/util.c
RUNTIME_UNIT_runtime_idmap := tests/unit/runtime_idmap.c $(RT)/idmap.c $(RT)/util.c

define runtime_unit
$(BUILD)/unit/$(1): $$(RUNTIME_UNIT_$(1)) $$(wildcard $(RT)/*.h) | $(BUILD)/unit
	$$(HOST_CC) $$(HOST_CFLAGS) -I$(RT) -o $$@ $$(RUNTIME_UNIT_$(1)) $$(RUNTIME_UNIT_LIBS) -lz
UNIT_TESTS += $(BUILD)/unit/$(1)
endef
$(foreach t,runtime_config runtime_state runtime_whiteout runtime_idmap,$(eval $(call runtime_unit,$(t))))
