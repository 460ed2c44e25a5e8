# Fuzz harness of the management network's bulwark.cfg lines (kernel/net/net_config.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += net_config
FUZZ_net_config_SRCS := tests/fuzz/net_config.c kernel/net/net_config.c kernel/console/parse.c
