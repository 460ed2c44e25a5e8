# Benchmarks (`make bench`): boot times under each rig, idle memory, image sizes. Figures only.
# SPDX-License-Identifier: MIT

BENCH_SUITES += tests/bench/sizes.sh tests/bench/boot_times.py tests/bench/vm_exits.py tests/bench/linux_boot.py
BENCH_DEPS += $(ISO) $(ESP_FILES)
PACKAGES += binutils python3 qemu-system-x86 ovmf bochs bochsbios vgabios
BENCH_SUITES += tests/bench/net_api.py
