# Fuzz harness of the ct command's argument parser (kernel/console/ct_args.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += ct_args
FUZZ_ct_args_SRCS := tests/fuzz/ct_args.c kernel/console/ct_args.c kernel/console/parse.c
