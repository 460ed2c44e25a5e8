# Fuzz harness of the guest agent's line reader and wire codec (guests/linux/agent/).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += agent_codec
FUZZ_agent_codec_SRCS := tests/fuzz/agent_codec.c $(addprefix guests/linux/agent/,codec.c encode.c \
	utf8.c linebuf.c) guests/linux/runtime/signals.c
FUZZ_agent_codec_CFLAGS := -Iguests/linux/agent
FUZZ_agent_codec_LIBS := -ljson-c
