# Host unit tests of the arch-neutral VM core: state machine, ELF loader, configs, CPUID policy, exit table.
# SPDX-License-Identifier: MIT

UNIT_TEST_NAMES += hv_vm_state hv_elf_load hv_config hv_cpuid hv_exit_table
UNIT_hv_vm_state_SRCS := tests/unit/hv_vm_state.c hypervisor/vm_state.c
UNIT_hv_elf_load_SRCS := tests/unit/hv_elf_load.c hypervisor/load/elf.c
UNIT_hv_config_SRCS := tests/unit/hv_config.c hypervisor/config.c hypervisor/vm_state.c kernel/console/parse.c
UNIT_hv_cpuid_SRCS := tests/unit/hv_cpuid.c hypervisor/cpuid_policy.c
UNIT_hv_exit_table_SRCS := tests/unit/hv_exit_table.c hypervisor/exit.c
UNIT_TEST_NAMES += hv_cr_policy
UNIT_hv_cr_policy_SRCS := tests/unit/hv_cr_policy.c hypervisor/cr_policy.c
UNIT_TEST_NAMES += hv_gva
UNIT_hv_gva_SRCS := tests/unit/hv_gva.c hypervisor/gva.c
UNIT_TEST_NAMES += intr
UNIT_intr_SRCS := tests/unit/intr.c hypervisor/intr.c hypervisor/pv_eoi.c hypervisor/dev/lapic.c hypervisor/dev/apic_bus.c hypervisor/dev/ioapic.c
UNIT_TEST_NAMES += hv_pvclock
UNIT_hv_pvclock_SRCS := tests/unit/hv_pvclock.c hypervisor/pvclock.c hypervisor/cpuid_policy.c
UNIT_TEST_NAMES += hv_vm_create
UNIT_hv_vm_create_SRCS := tests/unit/hv_vm_create.c hypervisor/vm.c hypervisor/vm_state.c
