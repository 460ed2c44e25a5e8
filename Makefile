# Bulwark: the one entry point. `make`, `make run`, `make check`, `make bench`.
# SPDX-License-Identifier: MIT

VERSION := 0.1.0
BUILD := build
PYTHON := /usr/bin/python3

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

# Debian packages the build and the tests need; fragments append to this list.
PACKAGES := gcc make binutils gnu-efi newlib-source xz-utils grub-pc-bin \
	grub-efi-amd64-bin grub-common xorriso mtools qemu-system-x86 ovmf \
	bochs bochsbios vgabios libcmocka-dev python3 pkg-config

# Targets `make all` builds and suites `make check` runs; fragments append.
ALL_TARGETS :=
CHECK_DEPS :=
TEST_SUITES :=
BENCH_SUITES :=
UNIT_TESTS :=
FUZZ_NAMES :=

HOST_CC := gcc
# Host unit tests run under AddressSanitizer and UndefinedBehaviorSanitizer: an
# out-of-bounds access (even inside a static buffer) or undefined behaviour ends
# the test with a report instead of passing unseen.
HOST_SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wmissing-prototypes $(HOST_SANITIZE) \
	-I. -Iinclude -DBULWARK_HOST_TEST=1 -DBULWARK_VERSION=\"$(VERSION)\"
# A sanitizer report is a failure: abort (a non-zero status tests/run counts) at the first one.
export ASAN_OPTIONS := abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

include mk/newlib.mk
include mk/kernel.mk
include mk/lwip.mk
include mk/acpi.mk
-include boot/efi/efi.mk
-include guests/test/guests.mk
-include guests/linux/linux.mk
include mk/images.mk
include mk/iso.mk
-include $(sort $(wildcard tests/unit/*.mk))
-include $(sort $(wildcard tests/fuzz/*.mk))
include mk/fuzz.mk
-include tests/system/system.mk
-include tests/bench/bench.mk
-include mk/run.mk

# Any header may reach a unit test (a constant changed in a header must rebuild the
# tests that check it); rebuilding them all on a header change is cheap.
UNIT_HDRS := $(shell find include kernel hypervisor drivers boot tests/unit -name '*.h' 2>/dev/null)

# unit_test NAME, SOURCES: a cmocka program built for the host from pure-logic sources.
define unit_test
$(BUILD)/unit/$(1): $(2) $$(UNIT_HDRS) | $(BUILD)/unit
	$$(HOST_CC) $$(HOST_CFLAGS) -o $$@ $(2) -lcmocka
UNIT_TESTS += $(BUILD)/unit/$(1)
endef
$(foreach t,$(UNIT_TEST_NAMES),$(eval $(call unit_test,$(t),$(UNIT_$(t)_SRCS))))

$(BUILD)/unit:
	mkdir -p $@

.PHONY: all deps run run-bochs check unit bench clean distclean

all: $(ALL_TARGETS)

# Installs whatever Debian package is missing; silent when all are present.
deps:
	@$(SHELL) mk/deps.sh $(sort $(PACKAGES))

unit: $(UNIT_TESTS)

# The builds behind `make check`, `make run` and `make bench` use every CPU unless -j is given.
BUILD_JOBS := $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc))

check: deps
	$(MAKE) $(BUILD_JOBS) all unit $(CHECK_DEPS)
	CMOCKA_MESSAGE_OUTPUT=TAP tests/run $(UNIT_TESTS) $(TEST_SUITES)

bench: deps
	$(MAKE) $(BUILD_JOBS) all $(BENCH_DEPS)
	@# Figures never fail the run; a benchmark that crashes or exits non-zero does, after the others ran.
	@status=0; for b in $(BENCH_SUITES); do echo "== $$b"; \
		$$b || { echo "benchmark $$b failed (status $$?)"; status=1; }; done; exit $$status

clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name third_party -exec rm -rf {} +

distclean:
	rm -rf $(BUILD)
