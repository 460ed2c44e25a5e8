# Fuzz harness of the guest agent's tar lookup of an image layout's index.json (guests/linux/agent/tarfind.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += agent_tarfind
FUZZ_agent_tarfind_SRCS := tests/fuzz/agent_tarfind.c guests/linux/agent/tarfind.c
FUZZ_agent_tarfind_CFLAGS := -Iguests/linux/agent
