# Fuzz harness of the agent client's reply decoder (hypervisor/agent/, kernel/json_parse.c): what the guest sends.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += agent_reply
FUZZ_agent_reply_SRCS := tests/fuzz/agent_reply.c kernel/json_parse.c kernel/console/json.c kernel/console/escape.c \
	hypervisor/agent/agent_codec.c hypervisor/agent/agent_result.c
