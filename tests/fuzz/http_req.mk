# Fuzz harness of the management API's HTTP request parser, router and token check.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += http_req
FUZZ_http_req_SRCS := tests/fuzz/http_req.c kernel/net/api/http_req.c kernel/net/api/api_route.c \
	kernel/net/api/api_token.c
