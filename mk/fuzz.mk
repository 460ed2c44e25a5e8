# libFuzzer harnesses of every parser of untrusted input: `make fuzz`, and the corpus replay `make check` runs.
# SPDX-License-Identifier: MIT
#
# A harness NAME is tests/fuzz/NAME.c (it defines LLVMFuzzerTestOneInput), declared in
# tests/fuzz/NAME.mk, with its seeds in tests/fuzz/corpus/NAME/:
#   FUZZ_NAMES += NAME
#   FUZZ_NAME_SRCS := tests/fuzz/NAME.c <the sources under test>
#   FUZZ_NAME_CFLAGS := <extra -I/-D flags>     (optional)
#   FUZZ_NAME_LIBS := <extra -l libraries>      (optional)
# Each harness is built twice with clang:
#   build/fuzz/NAME         -fsanitize=fuzzer,address,undefined (libFuzzer; `make fuzz`)
#   build/fuzz/replay/NAME  -fsanitize=address,undefined and tests/fuzz/replay_main.c, which
#                           runs each corpus file once (tests/fuzz/replay in `make check`)
# `make fuzz` runs every harness for FUZZ_SECONDS (default 60); `make fuzz FUZZ_ONLY="elf"`
# runs only the ones named. `make fuzz-replay` builds and replays every corpus.

# Debian 12's clang is clang 14; libclang-rt-14-dev carries libclang_rt.fuzzer and the sanitizers.
PACKAGES += clang libclang-rt-14-dev

FUZZ_CC := clang
FUZZ_SECONDS ?= 60
FUZZ_ONLY ?= $(FUZZ_NAMES)
FUZZ_SANITIZERS := address,undefined
# Every UBSan report aborts, so libFuzzer and the replay count it as a crash.
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wmissing-prototypes -I. -Iinclude \
	-DBULWARK_HOST_TEST=1 -DBULWARK_FUZZ=1 -DBULWARK_VERSION=\"$(VERSION)\"
# Any header may reach a harness; rebuilding all of them on a header change is cheap.
FUZZ_HDRS := $(shell find include kernel hypervisor drivers boot guests/linux/runtime tests/fuzz \
	-name '*.h' 2>/dev/null)

define fuzz_harness
$(BUILD)/fuzz/$(1): $(FUZZ_$(1)_SRCS) $$(FUZZ_HDRS) | $(BUILD)/fuzz/replay
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -fsanitize=fuzzer,$$(FUZZ_SANITIZERS) $(FUZZ_$(1)_CFLAGS) \
		-o $$@ $(FUZZ_$(1)_SRCS) $(FUZZ_$(1)_LIBS)
$(BUILD)/fuzz/replay/$(1): tests/fuzz/replay_main.c $(FUZZ_$(1)_SRCS) $$(FUZZ_HDRS) | $(BUILD)/fuzz/replay
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -fsanitize=$$(FUZZ_SANITIZERS) $(FUZZ_$(1)_CFLAGS) \
		-o $$@ tests/fuzz/replay_main.c $(FUZZ_$(1)_SRCS) $(FUZZ_$(1)_LIBS)
endef
$(foreach f,$(FUZZ_NAMES),$(eval $(call fuzz_harness,$(f))))

FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay/%)

# The harness list tests/fuzz/replay reads (it runs without arguments, like every suite).
$(BUILD)/fuzz/names: $(wildcard tests/fuzz/*.mk) mk/fuzz.mk | $(BUILD)/fuzz/replay
	printf '%s\n' $(FUZZ_NAMES) >$@

$(BUILD)/fuzz/replay:
	mkdir -p $@

CHECK_DEPS += $(FUZZ_REPLAYS) $(BUILD)/fuzz/names
TEST_SUITES += tests/fuzz/replay

.PHONY: fuzz fuzz-replay
fuzz: deps
	$(MAKE) $(FUZZ_ONLY:%=$(BUILD)/fuzz/%)
	tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_ONLY)

fuzz-replay: $(FUZZ_REPLAYS) $(BUILD)/fuzz/names
	BUILD=$(BUILD) tests/fuzz/replay
