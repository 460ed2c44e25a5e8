# Host unit tests of the management network's pure logic: PCI BAR decoding, the net/api config lines.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += pci_bar net_config
UNIT_pci_bar_SRCS := tests/unit/pci_bar.c drivers/pci/pci_bar.c
UNIT_net_config_SRCS := tests/unit/net_config.c kernel/net/net_config.c kernel/console/parse.c
