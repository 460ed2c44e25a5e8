# newlib, the hypervisor's C library: built once from Debian's newlib-source for
# the freestanding x86-64 target, cached in the build tree keyed by its version.
# SPDX-License-Identifier: MIT

NEWLIB_TARBALL := $(firstword $(wildcard /usr/src/newlib/newlib-*.tar.*))
NEWLIB_VERSION := $(shell dpkg-query -W -f='$${Version}' newlib-source 2>/dev/null | tr ':~+' '___')
NEWLIB_DIR := $(BUILD)/third_party/newlib-$(or $(NEWLIB_VERSION),missing)
NEWLIB_PREFIX := $(NEWLIB_DIR)/install
NEWLIB_INC := $(NEWLIB_PREFIX)/x86_64-elf/include
NEWLIB_LIBC := $(NEWLIB_PREFIX)/x86_64-elf/lib/libc.a
NEWLIB_LIBM := $(NEWLIB_PREFIX)/x86_64-elf/lib/libm.a

# The same code model and red-zone rule as the kernel: newlib runs inside it.
NEWLIB_CFLAGS := -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mcmodel=kernel -fno-omit-frame-pointer \
	-D_POSIX_TIMERS -w

$(NEWLIB_LIBC):
	@test -n "$(NEWLIB_TARBALL)" || { echo "newlib source missing: run 'make deps' (package newlib-source)"; exit 1; }
	rm -rf $(NEWLIB_DIR) && mkdir -p $(NEWLIB_DIR)/src $(NEWLIB_DIR)/obj
	tar -xf $(NEWLIB_TARBALL) -C $(NEWLIB_DIR)/src
	cd $(NEWLIB_DIR)/obj && ../src/*/newlib/configure --host=x86_64-elf \
		--prefix=$(abspath $(NEWLIB_PREFIX)) --disable-multilib \
		--disable-newlib-supplied-syscalls --enable-newlib-reent-small \
		--disable-newlib-fvwrite-in-streamio --enable-newlib-nano-formatted-io=no \
		CC=gcc AR=ar RANLIB=ranlib AS=as LD=ld CFLAGS="$(NEWLIB_CFLAGS)" \
		CC_FOR_BUILD=gcc >../configure.log 2>&1 || { tail -30 ../configure.log; exit 1; }
	$(MAKE) -C $(NEWLIB_DIR)/obj -j$$(nproc) >$(NEWLIB_DIR)/build.log 2>&1 || { tail -30 $(NEWLIB_DIR)/build.log; exit 1; }
	$(MAKE) -C $(NEWLIB_DIR)/obj install >>$(NEWLIB_DIR)/build.log 2>&1 || { tail -30 $(NEWLIB_DIR)/build.log; exit 1; }
	rm -rf $(NEWLIB_DIR)/src $(NEWLIB_DIR)/obj
	touch $@

$(NEWLIB_LIBM): $(NEWLIB_LIBC)

newlib: $(NEWLIB_LIBC)
.PHONY: newlib
