/* Host unit tests of the management API's pure logic: the HTTP request parser on good and
 * malformed input, the router, the token check, the JSON body parser and the Prometheus writer.
 * Expected values come from RFC 9112/9110, RFC 6750 and the Prometheus text format. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/net/api/api_route.h"
#include "kernel/net/api/api_token.h"
#include "kernel/net/api/http_req.h"
#include "kernel/net/api/json_in.h"
#include "kernel/net/api/outbuf.h"
#include "kernel/net/api/prom.h"

static struct http_req req;

/* Feeds `text` in pieces of `chunk` bytes; returns the final result. */
static int parse_in_chunks(const char *text, size_t chunk, size_t *total_used)
{
	size_t len = strlen(text), at = 0;
	int rc = HTTP_PARSE_MORE;

	http_req_init(&req);
	*total_used = 0;
	while (at < len && rc == HTTP_PARSE_MORE) {
		size_t n = len - at < chunk ? len - at : chunk, used = 0;
		rc = http_req_feed(&req, (const uint8_t *)text + at, n, &used);
		at += used;
		*total_used += used;
		if (rc == HTTP_PARSE_MORE)
			assert_int_equal(used, n);
	}
	return rc;
}

static int parse(const char *text)
{
	size_t used;
	return parse_in_chunks(text, 100000, &used);
}

static void test_get_keepalive(void **state)
{
	size_t used;
	(void)state;
	for (size_t chunk = 1; chunk < 40; chunk += 7) {
		assert_int_equal(parse_in_chunks("GET /v1/vms?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization:  Bearer abc \r\n\r\n",
						 chunk, &used), HTTP_PARSE_DONE);
		assert_string_equal(req.method, "GET");
		assert_string_equal(req.target, "/v1/vms?x=1");
		assert_int_equal(req.minor, 1);
		assert_true(req.keep_alive);
		assert_true(req.has_auth);
		assert_string_equal(req.auth, "Bearer abc"); /* OWS around the value is not part of it (RFC 9112 5.1) */
		assert_int_equal(req.body_len, 0);
	}
}

static void test_post_body_and_pipelining(void **state)
{
	static const char two[] = "POST /v1/vms HTTP/1.1\nHost: h\ncontent-length: 5\nConnection: close\n\nhelloGET / HTTP/1.0\r\n\r\n";
	size_t used = 0;
	(void)state;
	http_req_init(&req);
	assert_int_equal(http_req_feed(&req, (const uint8_t *)two, strlen(two), &used), HTTP_PARSE_DONE);
	assert_string_equal(req.body, "hello");
	assert_false(req.keep_alive);
	assert_int_equal(used, strlen(two) - strlen("GET / HTTP/1.0\r\n\r\n"));
	/* HTTP/1.0 closes by default; keep-alive turns it on (RFC 9112 9.3) */
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
	assert_false(req.keep_alive);
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), HTTP_PARSE_DONE);
	assert_true(req.keep_alive);
}

static void expect_error(const char *text, int status)
{
	assert_int_equal(parse(text), HTTP_PARSE_ERROR);
	assert_int_equal(req.status, status);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("GET\r\n\r\n", 400);
	expect_error("GET /x\r\n\r\n", 400);
	expect_error("GET x HTTP/1.1\r\nHost: h\r\n\r\n", 400);         /* not origin-form */
	expect_error("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400);
	expect_error("GET / HTTP/1.1\r\n\r\n", 400);                    /* no Host (RFC 9112 3.2) */
	expect_error("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505);
	expect_error("GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400);
	expect_error("BREW / HTTP/1.1\r\nHost: h\r\n\r\n", 501);
	expect_error("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400);        /* space before ':' (RFC 9112 5.1) */
	expect_error("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400); /* obs-fold (5.2) */
	expect_error("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400);
	expect_error("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", 400);
	expect_error("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", 400);
	expect_error("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 4097\r\n\r\n", 413);
	expect_error("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413);
	expect_error("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501);
	expect_error("GET / HTTP/1.1\r\nHost: h\rX\r\n\r\n", 400);
	expect_error("GET / HTTP/1.1\r\nHost: h\001\r\n\r\n", 400);
	/* the same length twice is one length (RFC 9110 8.6) */
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab"),
			 HTTP_PARSE_DONE);
}

static void test_limits(void **state)
{
	char *big = malloc(20000);
	(void)state;
	/* a request line of 1025 bytes: 414 */
	strcpy(big, "GET /");
	memset(big + 5, 'a', 1020);
	strcpy(big + 1025, " HTTP/1.1\r\nHost: h\r\n\r\n");
	expect_error(big, 414);
	/* a header line over 1024 bytes: 431 */
	strcpy(big, "GET / HTTP/1.1\r\nHost: h\r\nX-Long: ");
	memset(big + strlen(big), 'b', 1100);
	strcpy(big + strlen("GET / HTTP/1.1\r\nHost: h\r\nX-Long: ") + 1100, "\r\n\r\n");
	expect_error(big, 431);
	/* 33 header fields: 431 */
	strcpy(big, "GET / HTTP/1.1\r\nHost: h\r\n");
	for (int i = 0; i < 32; i++)
		strcat(big, "X-A: 1\r\n");
	strcat(big, "\r\n");
	expect_error(big, 431);
	/* 9 KiB of header lines in all: 431 */
	strcpy(big, "GET / HTTP/1.1\r\n");
	for (int i = 0; i < 10; i++) {
		size_t at = strlen(big);
		memcpy(big + at, "X-B: ", 5);
		memset(big + at + 5, 'c', 1000);
		strcpy(big + at + 1005, "\r\n");
	}
	strcat(big, "\r\n");
	expect_error(big, 431);
	/* a body of exactly the limit is fine */
	snprintf(big, 20000, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n", HTTP_BODY_MAX);
	memset(big + strlen(big) + 0, 'd', HTTP_BODY_MAX);
	big[strlen("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n") + HTTP_BODY_MAX] = 0;
	assert_int_equal(parse(big), HTTP_PARSE_DONE);
	assert_int_equal(req.body_len, HTTP_BODY_MAX);
	free(big);
}

static void test_target_and_query(void **state)
{
	char path[64], query[64], v[16];
	(void)state;
	http_req_split_target("/v1/vms/web/output?bytes=20&x=y", path, sizeof(path), query, sizeof(query));
	assert_string_equal(path, "/v1/vms/web/output");
	assert_string_equal(query, "bytes=20&x=y");
	assert_int_equal(http_query_get(query, "bytes", v, sizeof(v)), 0);
	assert_string_equal(v, "20");
	assert_int_equal(http_query_get(query, "x", v, sizeof(v)), 0);
	assert_string_equal(v, "y");
	assert_int_equal(http_query_get(query, "byte", v, sizeof(v)), -1);
	assert_int_equal(http_query_get("", "bytes", v, sizeof(v)), -1);
	http_req_split_target("/plain", path, sizeof(path), query, sizeof(query));
	assert_string_equal(query, "");
}

static void test_routes(void **state)
{
	struct api_match m;
	char allow[64], longname[100];
	(void)state;
	assert_int_equal(api_route_match("GET", "/v1/vms", &m), 0);
	assert_int_equal(m.route->op, API_VMS_LIST);
	assert_int_equal(api_route_match("POST", "/v1/vms", &m), 0);
	assert_int_equal(m.route->op, API_VMS_CREATE);
	assert_int_equal(api_route_match("POST", "/v1/vms/web/restart", &m), 0);
	assert_int_equal(m.route->op, API_VM_ACTION);
	assert_string_equal(m.route->action, "restart");
	assert_string_equal(m.name, "web");
	assert_int_equal(api_route_match("DELETE", "/v1/vms/web", &m), 0);
	assert_int_equal(m.route->op, API_VM_DELETE);
	assert_int_equal(api_route_match("HEAD", "/v1/host", &m), 0); /* HEAD is GET without a body */
	assert_int_equal(api_route_match("GET", "/v1/vms/web/start", &m), 405);
	api_route_allow("/v1/vms/web/start", allow, sizeof(allow));
	assert_string_equal(allow, "POST");
	api_route_allow("/v1/vms/web", allow, sizeof(allow));
	assert_string_equal(allow, "GET, DELETE");
	/* the container routes: {name} and {ct} */
	assert_int_equal(api_route_match("GET", "/v1/vms/linux0/containers", &m), 0);
	assert_int_equal(m.route->op, API_CT_LIST);
	assert_int_equal(api_route_match("POST", "/v1/vms/linux0/containers/web-1/kill", &m), 0);
	assert_int_equal(m.route->op, API_CT_ACTION);
	assert_string_equal(m.route->action, "kill");
	assert_string_equal(m.name, "linux0");
	assert_string_equal(m.ct, "web-1");
	assert_int_equal(api_route_match("DELETE", "/v1/vms/linux0/containers/web", &m), 0);
	assert_int_equal(m.route->op, API_CT_DELETE);
	assert_int_equal(api_route_match("GET", "/v1/vms/linux0/containers//logs", &m), 404);
	assert_int_equal(api_route_match("GET", "/v1/vms/linux0/containers/web", &m), 405);
	api_route_allow("/v1/vms/linux0/containers", allow, sizeof(allow));
	assert_string_equal(allow, "GET, POST");
	assert_int_equal(api_route_match("GET", "/v1/vms/", &m), 404);
	assert_int_equal(api_route_match("GET", "/v1/vms//stats", &m), 404);
	assert_int_equal(api_route_match("GET", "/v1/vms/web/stats/", &m), 404);
	assert_int_equal(api_route_match("GET", "/v1/vmsx", &m), 404);
	assert_int_equal(api_route_match("POST", "/v1/vms/web/explode", &m), 404);
	assert_int_equal(api_route_match("GET", "/", &m), 404);
	memset(longname, 'n', 80);
	strcpy(longname, "/v1/vms/");
	memset(longname + 8, 'n', 80);
	longname[88] = 0;
	assert_int_equal(api_route_match("GET", longname, &m), 400);
}

static void test_token(void **state)
{
	static const char tok[] = "s3cret-token-value-123";
	char hex[9];
	(void)state;
	assert_true(api_token_check(tok, "Bearer s3cret-token-value-123"));
	assert_true(api_token_check(tok, "bearer s3cret-token-value-123")); /* scheme is case-insensitive */
	assert_true(api_token_check(tok, "BEARER  s3cret-token-value-123"));
	assert_false(api_token_check(tok, "Bearer s3cret-token-value-124"));
	assert_false(api_token_check(tok, "Bearer s3cret-token-value-12"));
	assert_false(api_token_check(tok, "Bearer s3cret-token-value-1234"));
	assert_false(api_token_check(tok, "Bearer "));
	assert_false(api_token_check(tok, "Basic s3cret-token-value-123"));
	assert_false(api_token_check(tok, "s3cret-token-value-123"));
	assert_false(api_token_check(tok, ""));
	assert_false(api_token_check("", "Bearer "));
	assert_false(api_token_check(NULL, "Bearer x"));
	assert_false(api_token_equal("", 0, "", 0));
	api_token_hex((const uint8_t[]){ 0x00, 0x9f, 0xa5, 0xff }, 4, hex);
	assert_string_equal(hex, "009fa5ff");
}

static void test_json_in(void **state)
{
	struct json_member m[JSON_IN_MAX_MEMBERS];
	const char *err;
	const char *ok = " {\"name\" : \"web\\n\\u0041\", \"vcpus\":2, \"x\":true,\"y\":-5} ";
	(void)state;
	assert_int_equal(json_in_object(ok, strlen(ok), m, JSON_IN_MAX_MEMBERS, &err), 4);
	assert_string_equal(m[0].key, "name");
	assert_string_equal(m[0].value, "web\nA");
	assert_true(m[0].is_string);
	assert_string_equal(m[1].value, "2");
	assert_false(m[1].is_string);
	assert_string_equal(m[2].value, "true");
	assert_string_equal(m[3].value, "-5");
	assert_int_equal(json_in_object("{}", 2, m, 4, &err), 0);
	static const char *const bad[] = {
		"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":{\"b\":1}}", "{\"a\":[1]}",
		"{\"a\":null}", "{\"a\":\"x}", "{\"a\":01}", "{\"a\":1,\"a\":2}", "{\"a\":\"\\u00e9\"}", "{\"a\":\"\\q\"}",
		"{a:1}", "{\"a\":\"tab\there\"}", "{\"a\":-}", "{\"a\":1 \"b\":2}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(json_in_object(bad[i], strlen(bad[i]), m, JSON_IN_MAX_MEMBERS, &err), -1);
	/* too many members, a key over the limit */
	assert_int_equal(json_in_object("{\"a\":1,\"b\":2,\"c\":3}", 19, m, 2, &err), -1);
	char longkey[100] = "{\"";
	memset(longkey + 2, 'k', 40);
	strcpy(longkey + 42, "\":1}");
	assert_int_equal(json_in_object(longkey, strlen(longkey), m, 4, &err), -1);
}

static void test_outbuf(void **state)
{
	struct outbuf b;
	(void)state;
	/* the limit counts the terminating NUL: 16 characters fit in 17 */
	outbuf_init(&b, 17);
	outbuf_puts(&b, "0123456789");
	outbuf_json_string(&b, "a\"b", 3);
	assert_false(b.overflow);
	assert_string_equal(b.data, "0123456789\"a\\\"b\"");
	assert_int_equal(b.len, 16);
	outbuf_puts(&b, "x");
	assert_true(b.overflow);
	assert_int_equal(b.len, 16);
	outbuf_free(&b);
	outbuf_init(&b, 8);
	outbuf_printf(&b, "%s", "far too long for eight");
	assert_true(b.overflow);
	outbuf_free(&b);
}

static void test_prom(void **state)
{
	struct outbuf b;
	(void)state;
	outbuf_init(&b, 4096);
	prom_family(&b, "bulwark_vm_exits_total", "counter", "VM exits\nby reason \\ here.");
	prom_u64(&b, "bulwark_vm_exits_total", (const char *const[]){ "vm", "hello1", "reason", "io", NULL }, 42);
	prom_u64(&b, "bulwark_vm_exits_total", (const char *const[]){ "vm", "a\"b\\c\nd", NULL }, 0);
	prom_milli(&b, "bulwark_uptime_seconds", NULL, 12345);
	prom_milli(&b, "x", NULL, 7);
	assert_string_equal(b.data, "# HELP bulwark_vm_exits_total VM exits\\nby reason \\\\ here.\n"
				    "# TYPE bulwark_vm_exits_total counter\n"
				    "bulwark_vm_exits_total{vm=\"hello1\",reason=\"io\"} 42\n"
				    "bulwark_vm_exits_total{vm=\"a\\\"b\\\\c\\nd\"} 0\n"
				    "bulwark_uptime_seconds 12.345\n"
				    "x 0.007\n");
	outbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_keepalive),
		cmocka_unit_test(test_post_body_and_pipelining),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_target_and_query),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_json_in),
		cmocka_unit_test(test_outbuf),
		cmocka_unit_test(test_prom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
