# Host unit tests of the agent client: the one JSON parser, the protocol codec, the per-VM session against a fake agent.
# SPDX-License-Identifier: MIT
AGENT_CLIENT_SRCS := kernel/json_parse.c kernel/console/json.c kernel/console/escape.c \
	hypervisor/agent/agent_codec.c hypervisor/agent/agent_result.c hypervisor/agent/agent_session.c
UNIT_TEST_NAMES += hv_agent_codec hv_agent_session
UNIT_hv_agent_codec_SRCS := tests/unit/hv_agent_codec.c $(AGENT_CLIENT_SRCS)
UNIT_hv_agent_session_SRCS := tests/unit/hv_agent_session.c $(AGENT_CLIENT_SRCS)
