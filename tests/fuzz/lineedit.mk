# Fuzz harness of the console line editor (kernel/console/lineedit.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += lineedit
FUZZ_lineedit_SRCS := tests/fuzz/lineedit.c kernel/console/lineedit.c
