# Unit tests of the guest agent: the wire codec (every malformed request form), the bounded line
# reader and the log ring, the container bundle's config.json, the tar lookup of index.json. They link json-c, so they have
# their own rule.
# SPDX-License-Identifier: MIT

AGENT_DIR := guests/linux/agent
AGENT_UNIT_agent_codec := tests/unit/agent_codec.c $(AGENT_DIR)/codec.c $(AGENT_DIR)/encode.c $(AGENT_DIR)/utf8.c \
	guests/linux/runtime/signals.c
AGENT_UNIT_agent_buffers := tests/unit/agent_buffers.c $(AGENT_DIR)/linebuf.c $(AGENT_DIR)/logring.c
AGENT_UNIT_agent_bundle := tests/unit/agent_bundle.c $(AGENT_DIR)/bundle.c $(AGENT_DIR)/util.c
AGENT_UNIT_agent_tarfind := tests/unit/agent_tarfind.c $(AGENT_DIR)/tarfind.c

define agent_unit
$(BUILD)/unit/$(1): $$(AGENT_UNIT_$(1)) $$(wildcard $(AGENT_DIR)/*.h) include/bulwark/agent_proto.h | $(BUILD)/unit
	$$(HOST_CC) $$(HOST_CFLAGS) -D_GNU_SOURCE -I$(AGENT_DIR) -o $$@ $$(AGENT_UNIT_$(1)) -lcmocka -ljson-c
UNIT_TESTS += $(BUILD)/unit/$(1)
endef
$(foreach t,agent_codec agent_buffers agent_bundle agent_tarfind,$(eval $(call agent_unit,$(t))))
