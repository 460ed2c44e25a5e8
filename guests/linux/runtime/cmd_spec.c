/* Command spec: write a default config.json into the bundle. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "spec.h"
#include "util.h"

int cmd_spec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, 0, 'b' },
		{ "rootless", no_argument, 0, 'r' },
		{ 0, 0, 0, 0 },
	};
	const char *bundle = ".";
	bool rootless = false;
	struct rt_err e = { 0 };
	struct json_object *spec;
	const char *text;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'r')
			rootless = true;
		else
			return cmd_usage_error(ctx, "unknown option");
	}
	if (optind != argc)
		return cmd_usage_error(ctx, "unexpected arguments");
	cleanup_free char *path = xasprintf("%s/config.json", bundle);
	if (path_exists(path)) {
		fprintf(stderr, "bwrun: File %s exists. Remove it first\n", path);
		return 1;
	}
	spec = spec_default(rootless);
	text = json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_SPACED |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
	r = write_file(path, text, strlen(text), &e);
	json_object_put(spec);
	if (r < 0)
		rt_err_print(&e);
	return r < 0 ? 1 : 0;
}
