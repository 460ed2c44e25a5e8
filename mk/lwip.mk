# lwIP, the management network's TCP/IP stack: Debian's source package `lwip`, fetched
# with a deb-src entry derived from the machine's own apt source (mk/lwip-fetch.sh),
# built freestanding against newlib with the port in kernel/net/port, cached in the build
# tree keyed by the package version.
# SPDX-License-Identifier: MIT

PACKAGES += dpkg-dev debian-archive-keyring

LWIP_VERSION := 2.1.3
LWIP_DIR := $(BUILD)/third_party/lwip-$(LWIP_VERSION)
LWIP_SRC := $(LWIP_DIR)/src
LWIP_STAMP := $(LWIP_DIR)/unpacked
LWIP_LIB := $(LWIP_DIR)/liblwip.a
LWIP_PORT := kernel/net/port
LWIP_INCLUDES := -I$(LWIP_SRC)/src/include -I$(LWIP_PORT)

# NO_SYS core, IPv4 (DHCP, ARP, ICMP), TCP and UDP, altcp (so TLS can wrap the API later), Ethernet.
LWIP_FILES := core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c \
	core/memp.c core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/altcp.c \
	core/altcp_alloc.c core/altcp_tcp.c core/tcp.c core/tcp_in.c core/tcp_out.c \
	core/timeouts.c core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
	core/ipv4/ip4_frag.c core/ipv4/ip4.c core/ipv4/ip4_addr.c netif/ethernet.c
LWIP_OBJS := $(LWIP_FILES:%.c=$(LWIP_DIR)/obj/%.o)
LWIP_PORT_HEADERS := $(LWIP_PORT)/lwipopts.h $(LWIP_PORT)/arch/cc.h $(LWIP_PORT)/lwip_hooks.h

# Third-party code: the kernel's code model and red-zone rule, its warnings off (as newlib).
LWIP_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mcmodel=kernel -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables -w -I. -Iinclude -isystem $(NEWLIB_INC) $(LWIP_INCLUDES)

$(LWIP_STAMP):
	rm -rf $(LWIP_DIR) && mkdir -p $(LWIP_DIR)
	$(SHELL) mk/lwip-fetch.sh $(LWIP_DIR)/pkg
	tar -xf $(LWIP_DIR)/pkg/lwip_$(LWIP_VERSION)*.orig.tar.* -C $(LWIP_DIR)
	mv $(LWIP_DIR)/lwip-$(LWIP_VERSION) $(LWIP_SRC)
	rm -rf $(LWIP_DIR)/pkg/apt
	touch $@

$(LWIP_DIR)/obj/%.o: $(LWIP_PORT_HEADERS) $(NEWLIB_LIBC) | $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      lwip/$*.c"
	@gcc $(LWIP_CFLAGS) -c $(LWIP_SRC)/src/$*.c -o $@

$(LWIP_LIB): $(LWIP_OBJS)
	rm -f $@ && ar rcs $@ $^

# The port and everything that calls lwIP see its headers.
$(BUILD)/kernel-obj/kernel/net/%.c.o: KERNEL_CFLAGS += $(LWIP_INCLUDES)
$(filter $(BUILD)/kernel-obj/kernel/net/%,$(KERNEL_OBJS)): | $(LWIP_STAMP)
KERNEL_EXTRA_LIBS += $(LWIP_LIB)
$(KERNEL_ELF): $(LWIP_LIB)

lwip: $(LWIP_LIB)
.PHONY: lwip
