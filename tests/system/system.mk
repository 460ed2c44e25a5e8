# System suites: boot the real images under QEMU (OVMF, GRUB) and Bochs and drive COM1.
# SPDX-License-Identifier: MIT

SYSTEM_SUITES := tests/system/boot_uefi.py tests/system/boot_grub_qemu.py tests/system/boot_bochs.py \
	tests/system/vm_svm_qemu.py tests/system/vm_vmx_bochs.py tests/system/config_qemu.py \
	tests/system/panic_qemu.py tests/system/vm_mmio_qemu.py tests/system/vm_mmio_bochs.py \
	tests/system/vm_multiboot_qemu.py tests/system/vm_multiboot_bochs.py tests/system/stress_svm_qemu.py \
	tests/system/stress_vmx_bochs.py tests/system/vm_virtio_qemu.py tests/system/vm_virtio_bochs.py

TEST_SUITES += $(SYSTEM_SUITES)

# The project's Linux guest with 2 vCPUs on AMD-V: a short boot to userspace on both CPUs with a
# clean kernel log (the interrupt delivery SMP Linux depends on; the full checks are linux_vm_qemu.py).
TEST_SUITES += tests/system/linux_smp_svm_qemu.py
# The virtio devices as Linux sees them: both disks, hvc0 both ways, the agent's port.
TEST_SUITES += tests/system/linux_virtio_qemu.py
CHECK_DEPS += $(ISO) $(ESP_FILES)
PACKAGES += python3 qemu-system-x86 ovmf bochs bochsbios vgabios

# The management network (drivers/net, kernel/net): each NIC model on each boot path with the
# API's lifecycle, tokens, metrics and routes; Ansible and abuse against one boot.
TEST_SUITES += tests/system/net_qemu.py tests/system/net_fleet_qemu.py
PACKAGES += curl python3-prometheus-client ansible

# Debian's stock kernel (unmodified: the compatibility check) under Bulwark on AMD-V, with a
# busybox initramfs whose /init reports what the suite checks and powers off.
LINUX_SHELL_INITRAMFS := $(BUILD)/tests/linux-shell.cpio.gz
$(LINUX_SHELL_INITRAMFS): tests/system/data/linux_shell_init /bin/busybox
	@rm -rf $(@D)/linux-shell && mkdir -p $(@D)/linux-shell/bin $(@D)/linux-shell/proc $(@D)/linux-shell/sys $(@D)/linux-shell/dev
	cp /bin/busybox $(@D)/linux-shell/bin/busybox
	cp tests/system/data/linux_shell_init $(@D)/linux-shell/init
	cd $(@D)/linux-shell && find . | cpio -o -H newc --quiet | gzip -9 > $(abspath $@)
ALL_TARGETS += $(LINUX_SHELL_INITRAMFS)
CHECK_DEPS += $(LINUX_SHELL_INITRAMFS) $(GUEST_KERNEL)
# With the TSCs found synchronised the paravirtual clock carries its stable bit, and Debian's
# kernel keeps a stable sched_clock (no "Unstable clock detected").
TEST_SUITES += tests/system/linux_vm_svm_qemu.py
