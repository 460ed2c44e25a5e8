# Fuzz harness of the management network's SYN parser (kernel/net/tcp/tcp_seq.c): what arrives on the NIC.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += tcp_syn
FUZZ_tcp_syn_SRCS := tests/fuzz/tcp_syn.c kernel/net/tcp/tcp_seq.c
