/* Fuzz harness of the API's HTTP request parser and router: any bytes, split at any points, as one
 * connection's stream; every request it completes is well formed and every refusal has a 4xx/5xx. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/net/api/api_route.h"
#include "kernel/net/api/api_token.h"
#include "kernel/net/api/http_req.h"
#include "tests/fuzz/fuzz.h"

static struct http_req req;

static void check_done(void)
{
	char path[HTTP_LINE_MAX], query[HTTP_LINE_MAX];
	struct api_match m;
	int rc;

	FUZZ_CHECK(req.method[0] && strlen(req.method) < sizeof(req.method));
	FUZZ_CHECK(req.target[0] == '/' && strlen(req.target) < sizeof(req.target));
	FUZZ_CHECK(req.minor == 0 || req.minor == 1);
	FUZZ_CHECK(req.body_len == (req.has_length ? req.content_length : 0) && req.body_len <= HTTP_BODY_MAX);
	FUZZ_CHECK(strlen(req.auth) <= HTTP_AUTH_MAX);
	http_req_split_target(req.target, path, sizeof(path), query, sizeof(query));
	rc = api_route_match(req.method, path, &m);
	FUZZ_CHECK(rc == 0 || rc == 400 || rc == 404 || rc == 405);
	if (rc == 0)
		FUZZ_CHECK(m.route && strlen(m.name) < API_NAME_MAX);
	(void)api_token_check("fuzz-token-0123456789", req.auth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the chunk size, so the parser sees the stream cut everywhere */
	size_t chunk = size ? (data[0] % 64) + 1 : 1, at = size ? 1 : 0;

	http_req_init(&req);
	while (at < size) {
		size_t n = size - at < chunk ? size - at : chunk, used = 0;
		int rc = http_req_feed(&req, data + at, n, &used);
		FUZZ_CHECK(used <= n);
		at += used;
		if (rc == HTTP_PARSE_MORE) {
			FUZZ_CHECK(used == n);
			continue;
		}
		if (rc == HTTP_PARSE_ERROR) {
			FUZZ_CHECK(req.status >= 400 && req.status < 600 && req.why);
			return 0; /* the server answers and closes */
		}
		FUZZ_CHECK(rc == HTTP_PARSE_DONE);
		check_done();
		http_req_init(&req); /* the next pipelined request */
	}
	return 0;
}
