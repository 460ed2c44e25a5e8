# Fuzz harness of the boot configuration parser (hypervisor/config.c) and the words it shares with `vm create`.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += config
FUZZ_config_SRCS := tests/fuzz/config.c hypervisor/config.c hypervisor/vm_state.c kernel/console/parse.c
