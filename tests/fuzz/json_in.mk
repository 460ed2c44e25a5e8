# Fuzz harness of the management API's JSON body parser.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += json_in
FUZZ_json_in_SRCS := tests/fuzz/json_in.c kernel/net/api/json_in.c kernel/json_parse.c
