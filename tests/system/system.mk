# System suites: boot the real images under QEMU (OVMF, GRUB) and Bochs and drive COM1.
# SPDX-License-Identifier: MIT

SYSTEM_SUITES := tests/system/boot_uefi.py tests/system/boot_grub_qemu.py tests/system/boot_bochs.py \
	tests/system/vm_svm_qemu.py tests/system/vm_vmx_bochs.py tests/system/config_qemu.py \
	tests/system/panic_qemu.py tests/system/vm_mmio_qemu.py tests/system/vm_mmio_bochs.py \
	tests/system/vm_multiboot_qemu.py tests/system/vm_multiboot_bochs.py

TEST_SUITES += $(SYSTEM_SUITES)
CHECK_DEPS += $(ISO) $(ESP_FILES)
PACKAGES += python3 qemu-system-x86 ovmf bochs bochsbios vgabios

# The management network (drivers/net, kernel/net): each NIC model on each boot path with the
# API's lifecycle, tokens, metrics and routes; Ansible and abuse against one boot.
TEST_SUITES += tests/system/net_qemu.py tests/system/net_fleet_qemu.py
PACKAGES += curl python3-prometheus-client ansible
