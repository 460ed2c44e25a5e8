# Host unit tests of the MMIO instruction emulator: encodings, a random shadow model, the guest page walk, the exit handler.
# SPDX-License-Identifier: MIT
EMUL_CORE := hypervisor/emul/decode.c hypervisor/emul/execute.c hypervisor/emul/alu.c hypervisor/emul/mode.c \
	hypervisor/vcpu_regs.c
UNIT_TEST_NAMES += emul_insn
UNIT_emul_insn_SRCS := tests/unit/emul_insn.c $(EMUL_CORE)
UNIT_TEST_NAMES += emul_random
UNIT_emul_random_SRCS := tests/unit/emul_random.c $(EMUL_CORE)
UNIT_TEST_NAMES += emul_gwalk
UNIT_emul_gwalk_SRCS := tests/unit/emul_gwalk.c hypervisor/emul/gwalk.c
UNIT_TEST_NAMES += emul_mmio
UNIT_emul_mmio_SRCS := tests/unit/emul_mmio.c hypervisor/emul/mmio_exit.c hypervisor/emul/gwalk.c \
	hypervisor/dev/mmiobus.c $(EMUL_CORE)
