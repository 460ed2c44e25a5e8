# Host unit tests of the management network's pure logic: PCI BAR decoding, the net/api config lines.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += pci_bar net_config
UNIT_pci_bar_SRCS := tests/unit/pci_bar.c drivers/pci/pci_bar.c
UNIT_net_config_SRCS := tests/unit/net_config.c kernel/net/net_config.c kernel/console/parse.c
NET_API_PURE := kernel/net/api/http_req.c kernel/net/api/api_route.c kernel/net/api/api_token.c \
	kernel/net/api/json_in.c kernel/net/api/outbuf.c kernel/net/api/prom.c
UNIT_TEST_NAMES += net_api
UNIT_net_api_SRCS := tests/unit/net_api.c $(NET_API_PURE) kernel/json_parse.c
UNIT_TEST_NAMES += virtqueue
UNIT_virtqueue_SRCS := tests/unit/virtqueue.c drivers/net/virtqueue.c
UNIT_TEST_NAMES += net_tcp
UNIT_net_tcp_SRCS := tests/unit/net_tcp.c kernel/net/tcp/tcp_seq.c
