# Fuzz harness of the MMIO instruction decoder and executor (hypervisor/emul/).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += emul
FUZZ_emul_SRCS := tests/fuzz/emul.c hypervisor/emul/decode.c hypervisor/emul/execute.c hypervisor/emul/alu.c \
	hypervisor/emul/mode.c hypervisor/vcpu_regs.c
FUZZ_NAMES += gwalk
FUZZ_gwalk_SRCS := tests/fuzz/gwalk.c hypervisor/emul/gwalk.c
