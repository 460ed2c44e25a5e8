/* The `api` command: the management API's listener, its token (a generated one is shown once), counters, routes. */
/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/json.h"
#include "kernel/console/parse.h"
#include "kernel/net/api/api_route.h"
#include "kernel/net/api_server.h"

static bool token_shown;

static const char *token_state(const struct api_status *s)
{
	if (!s->token_generated)
		return "from bulwark.cfg";
	return token_shown ? "generated at boot, shown once already" : "generated at boot";
}

static void api_json(const struct api_status *s, bool show_token)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_bool(&j, "listening", s->listening);
	json_u64(&j, "port", s->port);
	json_string(&j, "token_source", s->token_generated ? "generated" : "config");
	if (show_token)
		json_string(&j, "token", s->token);
	json_bool(&j, "metrics_open", s->metrics_open);
	json_u64(&j, "connections", s->connections);
	json_u64(&j, "connections_max", s->connections_max);
	json_u64(&j, "requests", s->requests);
	json_u64(&j, "rejected_auth", s->rejected_auth);
	json_u64(&j, "rejected_bad", s->rejected_bad);
	json_u64(&j, "rejected_connection_limit", s->dropped_limit);
	json_u64(&j, "timeouts", s->timeouts);
	json_array_begin(&j, "routes");
	for (size_t i = 0; i < api_route_count; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "method", api_routes[i].method);
		json_string(&j, "path", api_routes[i].pattern);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

static int cmd_api(int argc, char **argv)
{
	struct parse_opt opts[] = { { .name = "--json" } };
	struct api_status s;
	bool show;

	if (cmd_parse_opts(&argc, argv, opts, 1, 0))
		return CMD_USAGE;
	api_get_status(&s);
	show = s.listening && s.token_generated && !token_shown;
	if (opts[0].seen)
		api_json(&s, show);
	else if (!s.listening)
		console_printf("the management API is not listening (no NIC, 'api off', or the port was taken; see 'log')\n");
	else {
		console_printf("HTTP API on port %u; token %s%s\n", s.port, token_state(&s),
			       s.metrics_open ? "; /metrics open without a token" : "");
		if (show)
			console_printf("token: %s\n  (shown this once: note it, or set 'api token=...' in bulwark.cfg)\n", s.token);
		console_printf("connections %u of %u; requests %llu; refused: %llu token, %llu malformed, %llu over the "
			       "limit, %llu timed out\n", s.connections, s.connections_max, (unsigned long long)s.requests,
			       (unsigned long long)s.rejected_auth, (unsigned long long)s.rejected_bad,
			       (unsigned long long)s.dropped_limit, (unsigned long long)s.timeouts);
	}
	if (show)
		token_shown = true;
	return CMD_OK;
}

CONSOLE_COMMAND(api, .name = "api", .usage = "api [--json]",
		.help = "the management API: port, token (a generated one is shown once), counters, routes",
		.handler = cmd_api);
