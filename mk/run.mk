# `make run` (QEMU/OVMF), `make run-grub` (QEMU/SeaBIOS + GRUB ISO), `make run-bochs` (Bochs, VT-x):
# boot Bulwark with COM1 (the management console) on this terminal.
# SPDX-License-Identifier: MIT

RUN_DIR := $(BUILD)/run
# `make run` boots the default guests and the Linux guest; the test rigs use guests/bulwark.cfg.
RUN_CONFIG ?= guests/run.cfg
# One TCG thread: multi-threaded TCG sees the machine triple-fault now and then under AMD-V
# guests (see DEFAULT_TCG in tests/system/rig.py).
RUN_QEMU := qemu-system-x86_64 -accel tcg,thread=single -machine q35 -smp 2 -m 1G -display none -vga none \
	-net none -serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=4
RUN_OVMF_CODE := /usr/share/OVMF/OVMF_CODE_4M.fd
RUN_OVMF_VARS := /usr/share/OVMF/OVMF_VARS_4M.fd
RUN_QUIT_QEMU := echo "Bulwark under QEMU: this terminal is COM1. Quit: Ctrl-A then X (or type 'poweroff')."

PACKAGES += qemu-system-x86 ovmf bochs bochsbios vgabios socat

.PHONY: run run-grub run-bochs

# -cpu max: TCG emulates AMD-V with nested paging, so the SVM backend is there to use.
# The ESP is copied: QEMU's fat:rw: writes back into the directory it serves.
run: deps
	$(MAKE) $(BUILD_JOBS) $(ESP_FILES)
	@rm -rf $(RUN_DIR)/esp && mkdir -p $(RUN_DIR) && cp -r $(ESP_DIR) $(RUN_DIR)/esp
	@cp $(RUN_CONFIG) $(RUN_DIR)/esp/bulwark/bulwark.cfg
	@cp $(RUN_OVMF_VARS) $(RUN_DIR)/OVMF_VARS.fd
	@$(RUN_QUIT_QEMU)
	@$(RUN_QEMU) -cpu max \
		-drive if=pflash,format=raw,readonly=on,file=$(RUN_OVMF_CODE) \
		-drive if=pflash,format=raw,file=$(RUN_DIR)/OVMF_VARS.fd \
		-drive format=raw,file=fat:rw:$(RUN_DIR)/esp; \
	rc=$$?; [ $$rc -eq 0 ] || echo "QEMU exited with status $$rc"

run-grub: deps
	$(MAKE) $(BUILD_JOBS) $(ISO)
	@$(RUN_QUIT_QEMU)
	@$(RUN_QEMU) -cpu max -cdrom $(ISO) -boot d; \
	rc=$$?; [ $$rc -eq 0 ] || echo "QEMU exited with status $$rc"

# Bochs serves COM1 on a local TCP port and waits for socat to attach this terminal to it.
# `sound: driver=dummy` keeps Debian's Bochs from aborting in its mixer thread.
run-bochs: deps
	$(MAKE) $(BUILD_JOBS) $(ISO)
	@mkdir -p $(RUN_DIR)
	@port=$$($(PYTHON) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	printf '%s\n' 'megs: 256' 'cpu: model=corei7_skylake_x, count=2, ips=100000000' \
		'romimage: file=/usr/share/bochs/BIOS-bochs-latest' \
		'vgaromimage: file=/usr/share/vgabios/vgabios.bin' \
		'ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14' \
		'ata0-slave: type=cdrom, path=$(ISO), status=inserted' 'boot: cdrom' \
		"com1: enabled=1, mode=socket-server, dev=localhost:$$port" \
		'log: $(RUN_DIR)/bochs.log' 'panic: action=fatal' 'speaker: enabled=0' \
		'sound: driver=dummy' 'display_library: rfb, options="timeout=0"' \
		'port_e9_hack: enabled=1' >$(RUN_DIR)/bochsrc; \
	echo c >$(RUN_DIR)/bochs.cmds; \
	echo "Bulwark under Bochs (VT-x, 2 CPUs): this terminal is COM1, the prompt comes after about 10 s."; \
	echo "Quit: type 'poweroff', or press Ctrl-] (Bochs' own output: $(RUN_DIR)/bochs.out)."; \
	bochs -q -f $(RUN_DIR)/bochsrc -rc $(RUN_DIR)/bochs.cmds >$(RUN_DIR)/bochs.out 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	socat -,raw,echo=0,escape=0x1d TCP:localhost:$$port,retry=100,interval=0.2; \
	kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; echo; echo "Bochs has stopped."
